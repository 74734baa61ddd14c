import type { OrganizationFact } from '../../core/types.js';
import { compileOnFirstUse } from '../compile-regex.js';
import { eachAtWordStart } from './boundary.js';

/**
 * `kind` values: management_company, hoa, utility, municipal_enterprise, company, school, kindergarten,
 * clinic, hospital, administration, waste_operator, transport_operator, police, emergency, regulator,
 * social_service, energy_company.
 */
export type OrganizationKind =
  | 'management_company' | 'hoa' | 'utility' | 'municipal_enterprise' | 'company' | 'school' | 'kindergarten'
  | 'clinic' | 'hospital' | 'administration' | 'waste_operator' | 'transport_operator' | 'police' | 'emergency'
  | 'regulator' | 'social_service' | 'energy_company';

const L = '';
const R = '(?![\\p{L}\\d])';
/** A quoted name: «Домком», "Наш дом", “Уют”, or the ASCII-quoted form. */
const QUOTED = '\\s*(?:[«"„“][^«»"„“”\\n]{1,60}[»"“”])';
/** An unquoted proper name right after the kind: "УК Домком", "ТСЖ Радуга-2". */
const BARE_NAME = '\\s+[А-ЯЁA-Z][\\p{L}\\d-]{1,30}';
const NUMBER = '\\s*(?:№|N|#|номер)?\\s*\\d{1,4}';

interface Rule {
  readonly re: RegExp;
  readonly kind: OrganizationKind | ((m: RegExpExecArray) => OrganizationKind);
  /**
   * A word every match contains, far cheaper to look for than a rule that may start at any
   * capitalised word ("Кстовский водоканал"): a text without it skips the rule.
   */
  readonly needs?: RegExp;
}

const rule = (source: string, kind: Rule['kind'], flags = 'gu', needs?: RegExp): Rule => ({ re: new RegExp(`${L}(?:${source})${R}`, flags), kind, ...(needs ? { needs } : {}) });

const LEGAL_KIND: Readonly<Record<string, OrganizationKind>> = {
  муп: 'municipal_enterprise', гуп: 'municipal_enterprise', мку: 'municipal_enterprise', мбу: 'municipal_enterprise',
  мау: 'municipal_enterprise', гбу: 'municipal_enterprise', гку: 'municipal_enterprise', гбуз: 'hospital', ооо: 'company',
  ао: 'company', оао: 'company', пао: 'company', зао: 'company', ип: 'company',
};

/** Ordinals as words, 1–20 and round tens: "в четвёртой школе", "восьмого садика". */
const ORDINAL_VALUES: ReadonlyMap<string, number> = new Map([
  ...['перв', 'втор', 'трет', 'четверт', 'пят', 'шест', 'седьм', 'восьм', 'девят', 'десят', 'одиннадцат', 'двенадцат', 'тринадцат', 'четырнадцат', 'пятнадцат', 'шестнадцат', 'семнадцат', 'восемнадцат', 'девятнадцат', 'двадцат'].map(
    (stem, i) => [stem, i + 1] as const,
  ),
  ['тридцат', 30], ['сороков', 40], ['пятидесят', 50], ['шестидесят', 60], ['семидесят', 70], ['восьмидесят', 80], ['девяност', 90],
]);
// Longest stem first, in the pattern and in the lookup: "пятнадцатой" is not "пят…".
const ORDINAL_STEMS = [...ORDINAL_VALUES.keys()].sort((a, b) => b.length - a.length);
const ORDINAL = `(?:${ORDINAL_STEMS.map((stem) => `[${stem[0]?.toUpperCase()}${stem[0]}]${stem.slice(1).replaceAll('е', '[её]')}`).join('|')})(?:ья|ьей|ью|ий|ьего|ьем|ая|ой|ую|ый|ого|ом|ому|ей|ое)`;

/** The number an ordinal word stands for ("четвёртой" -> 4), or undefined. */
export const ordinalValue = (word: string): number | undefined => {
  const w = word.toLowerCase().replaceAll('ё', 'е');
  const stem = ORDINAL_STEMS.find((s) => w.startsWith(s));
  return stem === undefined ? undefined : ORDINAL_VALUES.get(stem);
};

const rules: readonly Rule[] = [
  rule(`(?:УК|Ук|ук|[Уу]правляющ(?:ая|ей|ую|ие|их) компани(?:я|и|ю|ей|ей))(?:${QUOTED}|${BARE_NAME})?`, 'management_company'),
  rule(`(?:ДУК|ЖЭК|ЖЭУ|ЖКО|ЖЭК|РЭУ|ДЕЗ)(?:[-\\s]?\\d{1,3})?(?:${QUOTED})?`, 'management_company'),
  rule(`(?:[Дд]омоуправляющ(?:ая|ей|ую) компани(?:я|и|ю|ей))(?:${QUOTED})?`, 'management_company'),
  rule(`(?:ТСЖ|ТСН|ЖСК|тсж)(?:${QUOTED}|${BARE_NAME})?`, 'hoa'),
  {
    re: new RegExp(`${L}(МУП|ГУП|МКУ|МБУ|МАУ|ГБУЗ|ГБУ|ГКУ|ООО|ОАО|ПАО|ЗАО|АО)(?:\\s+[А-ЯЁ][\\p{L}-]+)?${QUOTED}`, 'gu'),
    kind: (m) => LEGAL_KIND[(m[1] ?? '').toLowerCase()] ?? 'company',
  },
  // A town's own water utility goes by its adjective: "Кстовский водоканал", "Борского водоканала".
  rule(`(?:[А-ЯЁ][а-яё]+(?:ский|ского|скому|ским|ском|цкий|цкого|цкому|цким|цком)\\s+)?(?:[Вв]одоканал(?:а|е|у|ом)?|ВОДОКАНАЛ)(?:${QUOTED})?`, 'utility', 'gu', /водоканал/iu),
  rule(`[«"]?(?:[Тт]еплоэнерго|Теплоснабжающ(?:ая|ей) компани(?:я|и)|Нижегородская теплоснабжающая компания|НТСК|Горэнерго)[»"]?`, 'utility'),
  rule(`(?:Россет(?:и|ей|ям|ями|ях)(?:\\s+Центр(?:\\s+и\\s+Приволжье)?)?|ТНС\\s*[Ээ]нерго(?:\\s+НН)?|НЭСК|Энергосбыт(?:а|у|ом|е)?(?:\\s+Плюс)?|Т\\s?Плюс|Нижновэнерго|Горэлектросет\\p{L}*|Газпром(?:\\s+межрегионгаз(?:\\s+Нижний\\s+Новгород)?|\\s+газораспределение(?:\\s+Нижний\\s+Новгород)?)?|[Нн]ижегородоблгаз|[Гг]оргаз|[Мм]ежрегионгаз)`, 'energy_company'),
  // Distribution grids by town ("Дзержинские электросети"), district grids (РЭС) and power plants.
  rule(`(?:[А-ЯЁ][а-яё]+(?:ие|их|им|ими)\\s+)?[Ээ]лектросет(?:и|ей|ям|ями|ях)|РЭС|(?:[А-ЯЁ][а-яё]+(?:ая|ой|ую)\\s+)?ТЭЦ(?:-?\\d{1,2})?`, 'energy_company', 'gu', /[Ээ]лектросет|РЭС|ТЭЦ/u),
  rule(`[«"]?(?:(?:Нижэкологи|Экологи)(?:я|и|ю|ей)-НН|[Рр]егоператор(?:а|у|ом|е)?)[»"]?`, 'waste_operator'),
  // Bus companies are named "<Place>автотранс" or "Пассажиравтотранс" across the country.
  rule(`(?:[А-ЯЁ][а-яё]*автотранс(?:а|е|у|ом)?|НПАТ|Нижегородэлектротранс|НЭТ|Нижегородское метро|Мосгортранс|Минтранс(?:а|е)?)`, 'transport_operator', 'gu', /автотранс|НПАТ|Нижегородэлектротранс|НЭТ|метро|Мосгортранс|Минтранс/u),
  rule(`(?:(?:(?:[Сс]редн|[Мм]узыкальн|[Сс]портивн|[Хх]удожественн)(?:яя|ая|ей|ой|юю|ую)\\s+)?(?:[Шш]кол(?:а|ы|е|у|ой)|[Гг]имнази(?:я|и|ю|ей)|[Лл]ице(?:й|я|е|ю|ем)|СОШ|сош|МБОУ(?:\\s+СОШ)?)${NUMBER}|СОШ${NUMBER})`, 'school'),
  rule(`(?:[Дд]етск(?:ий|ого|ом|ому)\\s+сад(?:а|е|у|ик|ика|ике)?|[Дд]етсад(?:а|е|у)?|[Сс]адик(?:а|е|у)?|д/с|ДОУ|МБДОУ|МАДОУ)(?:${NUMBER}|${QUOTED})`, 'kindergarten'),
  // The number first, as parents say it, in digits or in words: "в 22й школе", "в четвёртой
  // школе", "в 14м садике", "14 сад".
  rule(`(?:\\d{1,3}(?:-?(?:я|й|ю|м|ом|ой|ая|ую))?|${ORDINAL})\\s+(?:[Шш]кол(?:а|ы|е|у|ой)|[Гг]имнази(?:я|и|ю|ей))(?![\\p{L}])`, 'school'),
  rule(`(?:\\d{1,3}(?:-?(?:й|м|ом|ый|ого|ому))?|${ORDINAL})\\s+(?:[Сс]адик(?:а|е|у)?|[Сс]ад(?:а|е|у)?|[Дд]етсад(?:а|е|у)?)(?![\\p{L}])`, 'kindergarten'),
  // Clinics and hospitals go by their numbers too: "21я поликлиника", "в 33-й больнице".
  rule(`(?:\\d{1,3}(?:-?(?:я|й|ю|ая|ой|ую))?|${ORDINAL})\\s+(?:[Пп]оликлиник(?:а|и|е|у|ой)|[Бб]ольниц(?:а|ы|е|у|ей))(?![\\p{L}])`, (m) => (/^\S+\s+[Бб]/u.test(m[0]) ? 'hospital' : 'clinic')),
  rule(`(?:(?:[Дд]етск(?:ая|ой|ую)\\s+|[Гг]ородск(?:ая|ой|ую)\\s+)?[Пп]оликлиник(?:а|и|е|у|ой)(?:${NUMBER})?|ГБУЗ\\s+НО\\s+[«"][^»"]{1,60}[»"])`, 'clinic'),
  rule(`(?:(?:(?:[Гг]ородск(?:ая|ой|ую)|[Оо]бластн(?:ая|ой|ую)|[Дд]етск(?:ая|ой|ую)|[Рр]айонн(?:ая|ой|ую)|[Цц]ентральн(?:ая|ой|ую)(?:\\s+районн(?:ая|ой|ую))?)\\s+)?[Бб]ольниц(?:а|ы|е|у|ей)(?:${NUMBER})?|ЦРБ|ЦГБ|ГКБ(?:${NUMBER})?|[Рр]оддом(?:а|е)?(?:${NUMBER})?|[Сс]танци(?:я|и|ю)\\s+скорой\\s+помощи|ФАП(?:а|е|у|ом)?|фап|ОКБ)`, 'hospital'),
  rule(`(?:[Аа]дминистраци(?:я|и|ю|ей)(?:\\s+(?:[А-ЯЁ]?[а-яё]+(?:ого|ской|ского)\\s+)?(?:района|города|округа|г\\.\\s?[А-ЯЁ][а-яё]+|муниципального\\s+округа|[А-ЯЁ][а-яё]+(?:а|я|ска|ского))|\\s+[А-ЯЁ][а-яё]+(?:ого|ского)\\s+района)?|[Мм]эри(?:я|и|ю|ей)|[Гг]ородск(?:ая|ой|ую)\\s+[Дд]ум(?:а|ы|е|у))`, 'administration'),
  rule(`(?:ГИБДД|ГАИ|ДПС|[Пп]олици(?:я|и|ю|ей)|МВД|УМВД|[Уу]частков(?:ый|ого|ому))`, 'police'),
  rule(`(?:(?:ГУ\\s+)?МЧС(?:\\s+по\\s+[А-ЯЁ][а-яё]+(?:ой|ому)\\s+области)?|[Сс]пасател(?:и|ей|ям)|ЕДДС)`, 'emergency'),
  // Providers citizens complain about besides the utilities: post, telecom, banks.
  rule(`(?:Почт(?:а|ы|у|е|ой)\\s+России|[Пп]очтов(?:ое|ого|ом)\\s+отделени(?:е|я|и)(?:${NUMBER})?|Ростелеком(?:а|у|ом|е)?|МТС|Билайн(?:а|у|ом|е)?|МегаФон(?:а|у|ом|е)?|Мегафон(?:а|у|ом|е)?|Сбербанк(?:а|у|ом|е)?)`, 'company', 'gu', /Почт|почтов|Ростелеком|МТС|Билайн|Мега[Фф]он|Сбербанк/u),
  rule(`(?:[Рр]оспотребнадзор(?:а|у|е|ом)?|ГЖИ|[Гг]осжилинспекци(?:я|и|ю|ей)|[Жж]илинспекци(?:я|и|ю|ей)|[Пп]рокуратур(?:а|ы|у|е|ой)|[Рр]осприроднадзор(?:а|у|е)?|Минэкологии)`, 'regulator'),
  rule(`(?:[Сс]оцзащит(?:а|ы|у|е|ой)|УСЗН|МФЦ|[Пп]енсионн(?:ый|ого|ом)\\s+фонд(?:а|е|у)?|ПФР|[Сс]оцфонд(?:а|е|у)?|СФР)`, 'social_service'),
];

const compilePatterns = compileOnFirstUse(rules.flatMap((r) => (r.needs ? [r.needs, r.re] : [r.re])));

export const extractOrganizations = (text: string): OrganizationFact[] => {
  compilePatterns(text);
  const out: OrganizationFact[] = [];
  for (const r of rules) {
    if (r.needs && !r.needs.test(text)) continue;
    eachAtWordStart(r.re, text, false, (m) => {
      const whole = m[0];
      const kind = typeof r.kind === 'function' ? r.kind(m) : r.kind;
      out.push({ text: whole, span: { start: m.index, end: m.index + whole.length }, kind });
    });
  }
  return out;
};
