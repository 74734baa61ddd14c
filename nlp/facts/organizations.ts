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
}

const rule = (source: string, kind: Rule['kind'], flags = 'gu'): Rule => ({ re: new RegExp(`${L}(?:${source})${R}`, flags), kind });

const LEGAL_KIND: Readonly<Record<string, OrganizationKind>> = {
  муп: 'municipal_enterprise', гуп: 'municipal_enterprise', мку: 'municipal_enterprise', мбу: 'municipal_enterprise',
  мау: 'municipal_enterprise', гбу: 'municipal_enterprise', гку: 'municipal_enterprise', гбуз: 'hospital', ооо: 'company',
  ао: 'company', оао: 'company', пао: 'company', зао: 'company', ип: 'company',
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
  rule(`(?:[Нн]ижегородск(?:ий|ого|ому|им)\\s+)?[Вв]одоканал(?:а|е|у|ом)?(?:${QUOTED})?`, 'utility'),
  rule(`[«"]?(?:[Тт]еплоэнерго|Теплоснабжающ(?:ая|ей) компани(?:я|и)|Нижегородская теплоснабжающая компания|НТСК|Горэнерго)[»"]?`, 'utility'),
  rule(`(?:Россети(?:\\s+Центр(?:\\s+и\\s+Приволжье)?)?|ТНС\\s*[Ээ]нерго(?:\\s+НН)?|НЭСК|Энергосбыт|Нижновэнерго|Горэлектросет\\p{L}*|Газпром(?:\\s+межрегионгаз(?:\\s+Нижний\\s+Новгород)?|\\s+газораспределение(?:\\s+Нижний\\s+Новгород)?)?|[Нн]ижегородоблгаз|[Гг]оргаз|[Мм]ежрегионгаз)`, 'energy_company'),
  rule(`[«"]?(?:Экология-НН|Нижэкология-НН|[Рр]егоператор(?:а|у|ом|е)?)[»"]?`, 'waste_operator'),
  rule(`(?:Нижегородпассажиравтотранс|НПАТ|Нижегородэлектротранс|НЭТ|Нижегородское метро|Мосгортранс|Минтранс(?:а|е)?)`, 'transport_operator'),
  rule(`(?:(?:[Сс]редн(?:яя|ей|юю)\\s+)?(?:[Шш]кол(?:а|ы|е|у|ой)|[Гг]имнази(?:я|и|ю|ей)|[Лл]ице(?:й|я|е|ю|ем)|СОШ|сош|МБОУ(?:\\s+СОШ)?)${NUMBER}|СОШ${NUMBER})`, 'school'),
  rule(`(?:[Дд]етск(?:ий|ого|ом|ому)\\s+сад(?:а|е|у|ик|ика|ике)?|[Дд]етсад(?:а|е|у)?|[Сс]адик(?:а|е|у)?|д/с|ДОУ|МБДОУ|МАДОУ)${NUMBER}`, 'kindergarten'),
  rule(`(?:(?:[Дд]етск(?:ая|ой|ую)\\s+|[Гг]ородск(?:ая|ой|ую)\\s+)?[Пп]оликлиник(?:а|и|е|у|ой)(?:${NUMBER})?|ГБУЗ\\s+НО\\s+[«"][^»"]{1,60}[»"])`, 'clinic'),
  rule(`(?:(?:(?:[Гг]ородск(?:ая|ой|ую)|[Оо]бластн(?:ая|ой|ую)|[Дд]етск(?:ая|ой|ую)|[Рр]айонн(?:ая|ой|ую)|[Цц]ентральн(?:ая|ой|ую)(?:\\s+районн(?:ая|ой|ую))?)\\s+)?[Бб]ольниц(?:а|ы|е|у|ей)(?:${NUMBER})?|ЦРБ|ЦГБ|ГКБ(?:${NUMBER})?|[Рр]оддом(?:а|е)?(?:${NUMBER})?|[Сс]танци(?:я|и|ю)\\s+скорой\\s+помощи|ФАП|фап)`, 'hospital'),
  rule(`(?:[Аа]дминистраци(?:я|и|ю|ей)(?:\\s+(?:[А-ЯЁ]?[а-яё]+(?:ого|ской|ского)\\s+)?(?:района|города|округа|г\\.\\s?[А-ЯЁ][а-яё]+|муниципального\\s+округа|[А-ЯЁ][а-яё]+(?:а|я|ска|ского))|\\s+[А-ЯЁ][а-яё]+(?:ого|ского)\\s+района)?|[Мм]эри(?:я|и|ю|ей)|[Гг]ородск(?:ая|ой|ую)\\s+дум(?:а|ы|е|у))`, 'administration'),
  rule(`(?:ГИБДД|ГАИ|ДПС|[Пп]олици(?:я|и|ю|ей)|МВД|УМВД|[Уу]частков(?:ый|ого|ому))`, 'police'),
  rule(`(?:МЧС|[Сс]пасател(?:и|ей|ям))`, 'emergency'),
  rule(`(?:[Рр]оспотребнадзор(?:а|у|е|ом)?|ГЖИ|[Гг]осжилинспекци(?:я|и|ю|ей)|[Жж]илинспекци(?:я|и|ю|ей)|[Пп]рокуратур(?:а|ы|у|е|ой)|[Рр]осприроднадзор(?:а|у|е)?|Минэкологии)`, 'regulator'),
  rule(`(?:[Сс]оцзащит(?:а|ы|у|е|ой)|УСЗН|МФЦ|[Пп]енсионн(?:ый|ого|ом)\\s+фонд(?:а|е|у)?|ПФР|[Сс]оцфонд(?:а|е|у)?|СФР)`, 'social_service'),
];

const compilePatterns = compileOnFirstUse(rules.map((r) => r.re));

export const extractOrganizations = (text: string): OrganizationFact[] => {
  compilePatterns(text);
  const out: OrganizationFact[] = [];
  for (const r of rules) {
    eachAtWordStart(r.re, text, false, (m) => {
      const whole = m[0];
      const kind = typeof r.kind === 'function' ? r.kind(m) : r.kind;
      out.push({ text: whole, span: { start: m.index, end: m.index + whole.length }, kind });
    });
  }
  return out;
};
