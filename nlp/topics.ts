/**
 * What a problem is about, finer than its category: a pothole, a cold radiator, a stray pack of
 * dogs. Two reports of one incident often share no rare word ("радиаторы еле тёплые" and "нет
 * отопления", "помойка" and "мусорки переполнены"), and the words they do share are too common to
 * weigh in the merge score; a shared topic says they describe the same kind of trouble, and two
 * reports with topics but none in common rarely describe one problem.
 *
 * Rules are prefixes of normalised words (`Token.norm`), each naming one topic; a word may name
 * several ("свет" is a power cut or a street light). A rule with `with` needs a word of that pattern
 * in the same text ("мутная" is about water only next to "вода" or "кран"); one with `without` does
 * not count when such a word is there ("скорая не проедет" is about access, not the ambulance).
 */
import type { Token } from './contract.js';
import { memoByKey } from '../core/memo.js';

export type ProblemTopic =
  | 'road-damage'
  | 'traffic-light'
  | 'road-markings'
  | 'traffic-accident'
  | 'ice'
  | 'snow'
  | 'street-light'
  | 'flooding'
  | 'garbage'
  | 'dump'
  | 'burning'
  | 'emission'
  | 'smell'
  | 'water-quality'
  | 'water-supply'
  | 'heating'
  | 'power'
  | 'gas'
  | 'sewer'
  | 'roof-leak'
  | 'icicles'
  | 'elevator'
  | 'intercom'
  | 'stray-dogs'
  | 'bus-service'
  | 'tram'
  | 'cable-car'
  | 'bus-stop'
  | 'stop-equipment'
  | 'ambulance'
  | 'clinic'
  | 'service-access'
  | 'medical-equipment'
  | 'public-office'
  | 'school'
  | 'kindergarten'
  | 'playground'
  | 'trees'
  | 'noise'
  | 'water-pollution'
  | 'construction'
  | 'sidewalk'
  | 'social-benefits'
  | 'vandalism'
  | 'parking'
  | 'manhole'
  | 'meals'
  | 'metro'
  | 'level-crossing'
  | 'crosswalk'
  | 'abandoned-building'
  | 'grass'
  | 'insects'
  | 'vermin'
  | 'dust'
  | 'poplar-fluff'
  | 'beach'
  | 'stuffiness'
  | 'public-order'
  | 'street-trade'
  | 'ferry'
  | 'facade';

interface TopicRule {
  readonly topic: ProblemTopic;
  readonly word: RegExp;
  /** Another word the text must hold for the rule to count. */
  readonly with?: RegExp;
  /** A word that, present anywhere, makes the rule not count ("скорая не проедет" is about access, not the ambulance service). */
  readonly without?: RegExp;
}

const WATER = /^(вод[аыуеой]?$|водичк|кран|из-под крана|водопровод)/;
/** What bursts when water or heating does: "порыв кабеля" is the power. */
const PIPE = /^(труб|вод[аыуеой]?$|кипят|пар$|пара$|паром$|асфальт|земл|теплотрасс|теплосет|магистрал|водовод|водопровод|стояк)/;
/** A burst sewer is the sewer's trouble, not the water supply's or the heating's. */
const SEWER = /^(канализ|фекал|нечистот)/;

/** Who sees patients, and where. */
const CLINIC_STAFF = /^(поликлиник|врач|педиатр|терапевт|хирург|регистратур|црб$|больниц|участков|фельдшер|кардиолог|невролог|окулист|офтальмолог|стоматолог|зубн(ой|ого|ому|ым)$|лор$)/;
/** Offices where citizens queue for papers and benefits. */
const PUBLIC_OFFICE = /^(мфц$|паспортн|загс$|соцзащит|усзн$)/;
const SERVICE = new RegExp(`${CLINIC_STAFF.source}|${PUBLIC_OFFICE.source}`);

/** A road or its surface. */
const ROADWAY = /^(дорог|асфальт|проезжа|трасс|тротуар|покрыти)/;

/** What a stop has for those who wait: a shelter, an arrival board. */
const STOP_EQUIPMENT = /^(павильон|навес|табло)/;

/** Burning said by a word that no light nor gas ring coming back is said by ("горит" may be either). */
const SETS_ON_FIRE = /^(жжет|жгут|жгли|сжига|сжег|подожг|поджог|дым|пожар|возгоран)/;

/** Whether the tokens say something is set on fire ("пластик жгут"), not merely that it "горит". */
export const saysSetOnFire = (tokens: readonly Pick<Token, 'norm'>[]): boolean => tokens.some((t) => SETS_ON_FIRE.test(t.norm));

const RULES: readonly TopicRule[] = [
  { topic: 'road-damage', word: /^(ям[аыуеио]?$|ямой$|ямам|ямах|ямк|ямищ|ямин|выбоин|колдобин|коле[яи]$|покрыти[ея]$|провал|ухаб|рытвин|трещин|просел|проседа|латк|ямочн|дыр[аыуе]$|дырой$|дырищ)/ },
  // "из-под асфальта бьёт вода" is a burst main under the road, not the road's damage.
  { topic: 'road-damage', word: /^асфальт/, without: /^(прорыв|прорвал|порыв|хлещ|фонтан|бь[её]т|бьют|кипят|пар$|пара$|паром$)/ },
  { topic: 'traffic-light', word: /^светофор/ },
  { topic: 'traffic-light', word: /^(мигающ|желтый$|зелен|красный$)/, with: /^(перекрест|переход|светофор)/ },
  { topic: 'road-markings', word: /^(разметк|зебр)/ },
  { topic: 'traffic-accident', word: /^(дтп$|столкнов|столкнул|врезал|перевернул|сбил[аио]?$|сбили)/ },
  { topic: 'ice', word: /^(гололед|скольз|налед|обледен|каток|катк|посыпа|реагент|песк[оа]м?$|песок|подскользн|поскользн)/ },
  { topic: 'snow', word: /^(снег|снеж|сугроб|расчист|чищен|нечищен|почищ|чистил|чистят|грейдер|трактор|снегоубор|снегопад|замело|заметает|заметен|завалил[оа]?$|метел|колейност)/ },
  { topic: 'street-light', word: /^(фонар|освещен|темн(о|а|ая|ый|ые|ой|ую|ом)$|темнот|темень|тьм[аеуы]?$|тьмой$|свет[ау]?$|лампочк|прожектор)/ },
  { topic: 'flooding', word: /^(луж[аиуе]?$|лужи|подтоп|затоп|ливнев|ливнестоки|водоотвод|утонул|потоп|размыл|размыв|ливен|ливня|ливнем|ливни|паводк|половод|тал(ая|ой|ые|ых|ыми)$)/ },
  { topic: 'garbage', word: /^(мусор|контейнер|бак[иаов]?$|баках|бачк|помойк|тко$|мусорк|вывоз|вывез|мусоровоз|отход|урн[аыуе]?$|урнам|регоператор|мешк[иаов]?$|пакет[ыов]?$)/ },
  { topic: 'dump', word: /^(свалк|строймусор)/ },
  // Tyres burnt ("как будто покрышки жгут") are what burns, not a heap of them.
  { topic: 'dump', word: /^(покрышк|шин[ыа]?$)/, without: SETS_ON_FIRE },
  // A dump is rubbish too: "за гаражами свалка" and "у гаражей мусор растёт" are one heap.
  { topic: 'garbage', word: /^(свалк|строймусор)/ },
  { topic: 'burning', word: new RegExp(`${SETS_ON_FIRE.source}|^(поджиг|гар[ьи]$)`) },
  // "фонари не горят", "конфорка еле горит", "светофор не горит" are no fire.
  { topic: 'burning', word: /^(горит$|горят$|горел)/, without: /^(фонар|освещ|свет|ламп|светофор|конфорк|плит|газ[аеуо]?$|колонк|окн|огон[её]к)/ },
  // What a plant lets out: "рыжий дым над заводом", "опять выброс ночью, машины в налёте".
  { topic: 'emission', word: /^(выброс|дым|копот|смог|саж[аиеу]?$|налет)/ },
  { topic: 'smell', word: /^(запах|вон[ьи]$|воня|смрад|пахн|пахл|вонищ|амбре|зловон|дыш[аи]ть$|задыха|вонюч|аммиак|сероводород|хлорк|хлором$)/ },
  { topic: 'water-quality', word: /^(мутн|ржав|коричнев|грязн|желт|вонюч)/, with: WATER },
  // A planned summer shutdown of hot water is announced as the pipes' pressure test.
  { topic: 'water-supply', word: /^(водоснабжени|хвс$|гвс$|водовод|водокачк|напор|водоканал|водовоз|сух[ои]$|кап(ли|ель)$|опрессовк|гидравлич|гидроиспыт|водоразбор)/ },
  // A village's street pump; a gas water heater is the gas.
  { topic: 'water-supply', word: /^колонк/, with: WATER, without: /^газ/ },
  // "вода стоит во дворе" is a puddle: water is the supply only when it is missing or back.
  { topic: 'water-supply', word: /^(вод[аыуеой]?$|водичк)/, with: /^(нет|нету|без|отключ|пропал|дали|дадут|включ|кран)/ },
  // A burst main: the water ("вода хлещет из-под асфальта") or the heating ("хлещет кипяток") of the
  // houses it feeds; "что опять прорвало?" may be either.
  { topic: 'water-supply', word: /^(прорыв|прорвал|порыв|хлещ|фонтан|бь[её]т$|бьют$)/, with: PIPE, without: SEWER },
  { topic: 'heating', word: /^(прорыв|прорвал|порыв|кипят)/, with: PIPE, without: SEWER },
  // Elliptical: "горячей нет", "без горячки", "Свердлова нет холодной".
  { topic: 'water-supply', word: /^(горячк|горяч(ая|ей|ую)$|холодн(ая|ой|ую)$)/, with: /^(нет|нету|без|отключ|пропал|дали|дадут|пошл)/ },
  // Steam from the ground is a heating main.
  { topic: 'heating', word: /^(пар$|пара$|паром$)/, with: /^(земл|асфальт|труб|колодц|люк|валит)/ },
  // Dressed for the street indoors, or a room's temperature in degrees: "сидят на уроках в куртках",
  // "в кабинете 15 градусов", "в квартире 16 градусов".
  { topic: 'heating', word: /^(куртк|кофт|пуховик|шуб[аеыу]?$|валенк)/, with: /^(сидят|сидим|сидел|спят|спим|спали|ходят|ходим)$/ },
  { topic: 'heating', word: /^градус/, with: /^(кабинет|класс|групп|квартир|дома$|комнат|палат|спальн)/ },
  { topic: 'heating', word: /^(отоплени|отопительн|батаре(?!йк)|радиатор|теплоснабж|теплотрасс|теплосет|теплоэнерго|теплоносител|котельн|обогреват|недотоп|недогрев|холодно$|холодина|холодрыг|мерзн|мерзнем|замерза|тепл[оа]$|дубак|дубар|колотун|топят|топить|затопят|греют|нагрев)/ },
  { topic: 'power', word: /^(свет[ау]?$|светом$|электричеств|электроэнерги|электроснабжени|подстанци|обесточ|электрик|россет|энергетик|энергосбыт|рэс$|напряжени|проводк|щиток|щитк|вырубил|нижновэнерго)/ },
  // Wires brought down are the cut's cause: "ветром дерево на провода уронило".
  { topic: 'power', word: /^(провод[аов]?$|проводам|проводами|лэп$)/, with: /^(дерев|ветк|обрыв|оборв|порва|порвал|упал|уронил|ветр|ветер)/ },
  { topic: 'gas', word: /^(газ[аеуо]?м?$|газоснабж|горгаз|конфорк|газов|газопровод|газораспредел|газпром)/ },
  { topic: 'sewer', word: /^(канализац|сток(?:и|ов|а|ам|ах|ами)?$|засор|фекал|откачк|нечистот|говн|ассенизатор|септик|выгребн|прочистк)/ },
  { topic: 'roof-leak', word: /^(крыш|кровл|протеч|протека|потол[оке]|капает|подтек|тазик|тазы|ведра$|ведро$)/ },
  // Water running in the street ("из-под асфальта хлещет, течёт рекой по проезжей части") is a burst
  // main, not a leak indoors; a fridge that "течёт" is a power cut's.
  // Nor is the tap's ("из горячего крана холодная течёт").
  { topic: 'roof-leak', word: /^(теч[её]т|течь$|льет$|льёт$|заливает|залило)/, without: /^(асфальт|проезж|тротуар|дорог|улиц[аеу]$|рекой|фонтан|хлещ|прорва|порыв|прорыв|холодильник|морозилк|холодн|горяч|кран)/ },
  { topic: 'icicles', word: /^(сосул|сосуль)/ },
  // "С крыши упала глыба льда": what falls from a roof.
  { topic: 'icicles', word: /^(глыб|наледь|наледи|льд[аоы]?$|лед$|ледян)/, with: /^(крыш|кровл)/ },
  { topic: 'elevator', word: /^(лифт|подъемник|застрял[аи]?$)/ },
  { topic: 'intercom', word: /^домофон/ },
  // A lost or found pet is its owner's notice, not a pack: "Нашлась собака, в ошейнике. Хозяин отзовитесь".
  { topic: 'stray-dogs', word: /^(собак|псов|псы$|стая|стаи|стаю|стаей|свора|своры|бездомн|безнадзорн|покусал|укус|кусают|бросаются|кидаются|кинулись|отлов|лают|лаем|дворняг|щенк)/, without: /^(нашлась|нашелся|потерялась|потерялся|отзовит|ошейник)/ },
  { topic: 'bus-service', word: /^(автобус|маршрут|маршрутк|троллейбус|интервал|рейс(а|ы|ов|у|ом|ам|ами|ах)?$|расписани|пазик|газел|перевозчик|пассажир|электробус|нпат|проездн|кондуктор)/ },
  { topic: 'tram', word: /^трамва/ },
  { topic: 'cable-car', word: /^(канатк|канатн)/ },
  { topic: 'bus-stop', word: /^(павильон|остановк|автовокзал|автостанц)/ },
  // What a stop lacks is its own trouble, not the service's: a shelter taken away, a dead arrival board.
  { topic: 'stop-equipment', word: STOP_EQUIPMENT },
  { topic: 'stop-equipment', word: /^(лавк|скамей|скамеек)/, with: /^(остановк|павильон)/ },
  // A stop is a landmark ("фонари от остановки до 20-го дома") unless people wait at it; "под
  // дождём" is the rain, not waiting ("дождаться", "дождались"). Waiting by a dead arrival board
  // is about the board.
  { topic: 'bus-service', word: /^остановк/, with: /^(жд[ауеи]|жд[её]м|дожд(ат|ал|ус|еш|ет|емс|ут)|толп|стоим|стояли|мерзн|замерз|уехать|уеха)/, without: STOP_EQUIPMENT },
  { topic: 'ambulance', word: /^(скор[аоуы][йяю]?$|скорую|скорой|неотложк)/, without: /^(проед|проех|проезд|подъех|подъед)/ },
  { topic: 'clinic', word: new RegExp(`${CLINIC_STAFF.source}|^(талон|прием$|приём$|медсестр|узи$|мрт$|анализ|флюорограф|травмпункт|фап$|амбулатор|медпункт|лекарств|аптек|рецепт)`) },
  { topic: 'public-office', word: PUBLIC_OFFICE },
  // Getting seen, not the building: no slots, queues, a staff shortage. It goes on for weeks and is
  // told again and again in a town's groups ("к терапевту не попасть", "так и нет педиатра",
  // "в МФЦ очередь на три часа").
  { topic: 'service-access', word: /^(талон|запис|очеред|попасть|попала?$|уволил|уволи|нехватк|вакан|дефицит|отсутстви|больничн)/, with: SERVICE },
  { topic: 'service-access', word: CLINIC_STAFF, with: /^(нет$|нету$|один$|одна$|одного$|второго$|уволил|хватает$)/ },
  // A hospital's machine out of order is its own trouble, not its queue: "в ЦРБ рентген сломался".
  { topic: 'medical-equipment', word: /^(рентген|флюорограф|томограф|маммограф|мрт$|кт$)/ },
  { topic: 'school', word: /^(школ|класс[аеуо]?$|классов|\d{1,2}[абвгд]$|учител|урок|гимнази|лице[йяю]$|математик|директор|физр|физкультур|ученик|школьник|столов|буфет|питани|всухомятку)/ },
  { topic: 'kindergarten', word: /^(садик|детсад|сад[ау]?$|воспитател|ясл|мбдоу|доу$|заведующ)/ },
  // What a school or kindergarten feeds the children: "котлеты сырые", "жалуются на столовую". The
  // canteen is a trouble of its own, apart from the building's cold or its roof.
  { topic: 'meals', word: /^(корм[ияюе]|накорм|столов|питани|буфет|всухомятку|котлет|макарон|каш[аиу]$|обед[аыу]?$|завтрак|меню$|повар|пищеблок|отравлени|продукт)/, with: /^(школ|класс|гимнази|лице[йяю]$|садик|детсад|сад[ау]?$|групп|дет[иья]|ребен|ребён|сын|доч|столов|пищеблок)/ },
  // Not "в детской" alone: that is the child's room ("обои отвалились в детской").
  { topic: 'playground', word: /^(качел|песочниц|карусел|турник|батут)/ },
  // "ледяная горка" is a slippery slope, "в горку" a rise in the road: a slide only in a yard's play area.
  { topic: 'playground', word: /^горк[аиуе]$/, without: /^(ледян|скольз|лед$|льда$|машин|буксу|дорог|подъем|съезд|спуск)/ },
  // A "контейнерная площадка" is where the bins stand: a site is a playground only when it is said so.
  { topic: 'playground', word: /^площадк/, with: /^(детск|игров)/ },
  { topic: 'trees', word: /^(дерев|вырубк|вырубают|рубят|срубил|спилил|спилят|пилят|лип[ыа]?$|тополь|тополя|ветк|берез|клен|сосн|ель$|ели$|елк|кронир|спил|валежник|упавш|повал|бурелом|ветровал|сухост)/ },
  // Silence broken is noise; "сейчас вообще тишина" is nobody doing anything.
  { topic: 'noise', word: /^тишин/, with: /^(наруш|соблюд|режим|закон)/ },
  { topic: 'noise', word: /^(мотоцикл|мопед|питбайк|байкер|фейерверк|петард|дискотек|шум|гудк|гудят|гудок|сигналя|сигнал$|сваебо|долбит|долбят|грохот|гремит|гремят|спать$|уснуть|музык|орут|кричат|перфоратор|караоке|громк|децибел|гул$|гула$|гудит)/ },
  { topic: 'water-pollution', word: /^(рыб[аыуе]?$|рыбы|пятн[оа]|мазут|нефтепродукт|пленк|утк[аи]$|сброс)/ },
  // Roadworks: a street dug up, closed or being resurfaced.
  { topic: 'construction', word: /^(ремонт|перекры|фрезер|асфальтир|укладк|объезд)/, with: /^(дорог|асфальт|проезжа|трасс|тротуар|улиц|движени|проезд|мост)/ },
  { topic: 'construction', word: /^(стройк|застройщ|котлован|строител(?!ьн)|раскоп|разрыл|перекоп|траншея|траншею|траншеи|экскаватор|подрядчик|ограждени)/ },
  { topic: 'sidewalk', word: /^(тротуар|плитк|бордюр)/ },
  { topic: 'social-benefits', word: /^(соцзащит|усзн$|пенси|пособи|выплат|льгот|субсиди|компенсаци(я|и|ю|ей)$|маткапитал|инвалид|многодетн|соцфонд|сфр$|пфр$)/ },
  { topic: 'parking', word: /^(фур[аыу]?$|фурами|парковк|припаркова|стоянк|паркуются|паркуют|эвакуатор|газон[ауе]?$|газонах)/ },
  // A road "вся разбита" is worn out, not vandalised.
  { topic: 'road-damage', word: /^(разбит[оыа]?$|убит[оыа]?$|раздолбан)/, with: ROADWAY },
  { topic: 'vandalism', word: /^(осколк|разбит[оыа]?$|разбили|вандал|граффити|исписал|надпис|трафарет|закрас|реклам[ауы]?$)/, without: ROADWAY },
  // Glass broken, not the ice "как стекло" on a pavement.
  { topic: 'vandalism', word: /^стекл/, with: /^(разби|выбит|выбил|побит|побил|осколк|вандал)/ },
  { topic: 'manhole', word: /^(люк[аиу]?$|люком$|колод(ец|ц[аеу]|цем)$)/ },
  { topic: 'metro', word: /^(метро$|метрополитен|эскалатор|метромост)/ },
  { topic: 'level-crossing', word: /^(переезд|шлагбаум)/ },
  { topic: 'crosswalk', word: /^(переход|зебр)/ },
  { topic: 'abandoned-building', word: /^(заброшк|заброшен|аварийн(ое|ого|ый|ом)$|расселен|развалин|руин)/ },
  // Summer's troubles. Grass not mowed: "трава по пояс", "бурьян", "борщевик". Not "покосился": a
  // fence or a house that leans.
  { topic: 'grass', word: /^(трав[аыуеой]?$|травой$|покос[ау]?$|покосом$|покосить|покосили|покосят|скос(ить|или|ят)$|скошен|некошен|нескошен|выкос|кос(ить|ят|или|ит)$|косилк|газонокосил|триммер|бурьян|борщевик|амбрози|заросл|зарос(ла|ло|ли|ший|шая|шее|шие|ших)?$|сорняк|крапив|лопух)/ },
  // Biting insects over a town or a park, and their spraying.
  { topic: 'insects', word: /^(комар(ы|ам|ами|ах|а|у|ом|ик|ики|иков|ье|ья|ьё)?$|комарин|мошк|мошкар|гнус|клещ|слепн|шершн|ос[аы]$|дезинсекц|акарицид|противоклещ|энцефалит)/ },
  // Pests in a building.
  { topic: 'vermin', word: /^(крыс|грызун|тарака|клоп|дератизац|мыш(и|ей|ами|ь)$)/ },
  { topic: 'dust', word: /^(пыл[ьиюе]?$|пылью$|пыльн|пылит|пылят|пылищ|пылюк)/ },
  { topic: 'poplar-fluff', word: /^(пух[ауе]?$|пухом$|тополин)/ },
  { topic: 'beach', word: /^(пляж|купальн|спасател|лодочн|понтон|буйк)/ },
  // Bathing where it is unsafe or forbidden; "ребёнка купать не в чем" is the hot water.
  { topic: 'beach', word: /^купа/, with: /^(рек[аиеу]$|реке$|озер|пруд|водоем|водоём|карьер|пляж|берег)/ },
  // Heat indoors: a bus, a clinic, a class with no air.
  { topic: 'stuffiness', word: /^(жар[аеуы]$|жарищ|жарко$|духот|душн|кондиционер|зной)/ },
  { topic: 'public-order', word: /^(пьян|алкаш|алкоголик|распива|бухают|наркоман|закладчик|драк[аиуе]?$|дерутся|хулиган|гопник|притон)/ },
  // A river crossing: "паром не ходит", "переправа стоит". Not steam ("из люка валит паром").
  { topic: 'ferry', word: /^(паром[аеу]?$|паромн|переправ)/, without: /^(валит|труб|люк|земл|асфальт|колодц|пар$)/ },
  // Plaster or cladding falling from a building onto the pavement.
  { topic: 'facade', word: /^(фасад|штукатурк|облицовк|карниз|лепнин)/ },
  // A lake or a river in bloom: "вода цветёт, тиной пахнет"; "сирень цветёт" is no trouble.
  { topic: 'water-pollution', word: /^(цвет[её]т$|цветени|тин[аыуе]?$|тиной$|водоросл|синезелен)/, with: /^(вод[аыуеой]?$|озер|пруд|рек[аиеу]$|реке$|водоем|водоём|карьер|пляж|берег|купа)/ },
  { topic: 'street-trade', word: /^(торгаш|торгуют|торговц|торговл|ларьк|ларек|лоток|лотк|перекупщ|бахч|арбуз)/ },
];

/** Each topic once, in rule order: the order of a report's topics. */
const TOPICS: readonly ProblemTopic[] = RULES.map((rule) => rule.topic).filter((topic, i, all) => all.indexOf(topic) === i);

/**
 * What one word says, worked out once per norm: the topics it names alone (as indexes into
 * TOPICS), and as bit sets over the conditional rules (32 rules to a number), which of them it is
 * the word of, the companion of, or the veto of.
 */
interface WordTopics {
  readonly topics: readonly number[];
  readonly words: readonly number[];
  readonly companions: readonly number[];
  readonly vetoes: readonly number[];
}

const CONDITIONAL = RULES.filter((rule) => rule.with !== undefined || rule.without !== undefined);
/** The index into TOPICS of each conditional rule's topic. */
const CONDITIONAL_TOPICS = CONDITIONAL.map((rule) => TOPICS.indexOf(rule.topic));
/** How many 32-bit numbers hold one bit per conditional rule. */
const MASKS = Math.ceil(CONDITIONAL.length / 32);
const NONE: readonly number[] = new Array<number>(MASKS).fill(0);
const NOTHING: WordTopics = { topics: [], words: NONE, companions: NONE, vetoes: NONE };

const wordTopics = memoByKey((norm): WordTopics => {
  const topics = RULES.filter((rule) => rule.with === undefined && rule.without === undefined && rule.word.test(norm)).map((rule) => TOPICS.indexOf(rule.topic));
  const words = new Array<number>(MASKS).fill(0);
  const companions = new Array<number>(MASKS).fill(0);
  const vetoes = new Array<number>(MASKS).fill(0);
  let any = false;
  CONDITIONAL.forEach((rule, i) => {
    const bit = 1 << i % 32;
    const at = i >> 5;
    const word = rule.word.test(norm);
    if (word) words[at] = (words[at] as number) | bit;
    // A rule without a companion needs none: its own word stands for it.
    if (rule.with ? rule.with.test(norm) : word) companions[at] = (companions[at] as number) | bit;
    if (rule.without?.test(norm)) vetoes[at] = (vetoes[at] as number) | bit;
  });
  for (let k = 0; k < MASKS; k++) any ||= (words[k] as number) !== 0 || (companions[k] as number) !== 0 || (vetoes[k] as number) !== 0;
  return topics.length === 0 && !any ? NOTHING : { topics: [...new Set(topics)], words, companions, vetoes };
});

/** Which topics the tokens name, by index into TOPICS; null for none. */
const foundTopics = (tokens: readonly Pick<Token, 'norm'>[]): boolean[] | null => {
  let found: boolean[] | null = null;
  let masks: number[] | null = null;
  for (const { norm } of tokens) {
    const entry = wordTopics(norm);
    if (entry === NOTHING) continue;
    // words, companions and vetoes side by side.
    masks ??= new Array<number>(3 * MASKS).fill(0);
    for (let k = 0; k < MASKS; k++) {
      masks[k] = (masks[k] as number) | (entry.words[k] as number);
      masks[MASKS + k] = (masks[MASKS + k] as number) | (entry.companions[k] as number);
      masks[2 * MASKS + k] = (masks[2 * MASKS + k] as number) | (entry.vetoes[k] as number);
    }
    for (const i of entry.topics) (found ??= new Array<boolean>(TOPICS.length).fill(false))[i] = true;
  }
  if (masks !== null)
    for (let k = 0; k < MASKS; k++) {
      const conditional = (masks[k] as number) & (masks[MASKS + k] as number) & ~(masks[2 * MASKS + k] as number);
      if (conditional === 0) continue;
      for (let b = 0; b < 32; b++) if (conditional & (1 << b)) (found ??= new Array<boolean>(TOPICS.length).fill(false))[CONDITIONAL_TOPICS[k * 32 + b] as number] = true;
    }
  return found;
};

const pick = <T>(found: readonly boolean[] | null, from: readonly T[]): T[] => {
  if (found === null) return [];
  const out: T[] = [];
  for (let i = 0; i < from.length; i++) if (found[i]) out.push(from[i] as T);
  return out;
};

/** The problem's topics, in rule order, each once. */
export const problemTopics = (tokens: readonly Pick<Token, 'norm'>[]): ProblemTopic[] => pick(foundTopics(tokens), TOPICS);

const TOPIC_KEYS: readonly string[] = TOPICS.map((topic) => `topic:${topic}`);

/** The same as `topic:` keys, the strings made once rather than per report. */
export const problemTopicKeys = (tokens: readonly Pick<Token, 'norm'>[]): string[] => pick(foundTopics(tokens), TOPIC_KEYS);

const TRANSIT = /^(автобус|маршрут|маршрутк|троллейбус|трамва|электричк)/;
/** Words that make an ordinal such as "45й" a route: the report is about waiting for transport. */
const TRANSIT_CONTEXT = /^(автобус|маршрут|маршрутк|троллейбус|трамва|электричк|рейс|остановк|интервал|толп|опозда|опазд|езди[тл]|ездят|ездим|езжу|едет$|едут$|ходит|ходят|проехал|проезжа|приехал|пришел|пришла|уехал|битком|водител|ждал|дождат|дождал)/;
/** A route number as citizens write it: "40", "№40", "А-40", "45й", "45-й", "40-ка", "7ке". */
const ROUTE_NUMBER = /^(?:[атм]-?)?(\d{1,3})(?:-?[йгмя]|-?го|-?му|-?ая|-?к[аеиуо]й?)?$/;
/** "А-40", "Т-7": a bus or minibus route by its letter, whatever the words around it ("М-7" is a highway). */
const LETTERED_ROUTE = /^[ат]-?\d{1,3}$/;
/** "автобус 40 минут не было" counts time, not a route; "в 5я школу" names a school. */
const UNIT = /^(мин|час|сек|км$|метр|м$|руб|раз|человек|чел$|градус|этаж|класс|подъезд|дом[аеу]?$|квартир|школ|гимнази|лице[йяю]|садик|сад[ау]?$|больниц|поликлиник|корпус)/;

/** Colloquial route names: "пятёрка" is route 5 ("единичка" to "десятка"), "сороковка" route 40. */
const COLLOQUIAL: readonly (readonly [RegExp, number])[] = [
  [/^единичк/, 1], [/^двойк/, 2], [/^тройк/, 3], [/^четверк/, 4], [/^пятерк/, 5], [/^шестерк/, 6], [/^семерк/, 7], [/^восьмерк/, 8], [/^девятк/, 9], [/^десятк/, 10],
  [/^сороковк/, 40],
];
/** Ordinals from the tenth on ("сороковой", "двадцать седьмой"): below that, "третий день" and "первый раз" are no routes. */
const TENS_ORDINAL: readonly (readonly [RegExp, number])[] = [
  [/^десят(ый|ого|ому|ом|ая|ой|ую)$/, 10], [/^одиннадцат/, 11], [/^двенадцат/, 12], [/^тринадцат/, 13], [/^четырнадцат/, 14], [/^пятнадцат/, 15],
  [/^шестнадцат/, 16], [/^семнадцат/, 17], [/^восемнадцат/, 18], [/^девятнадцат/, 19], [/^двадцат(ый|ого|ому|ом|ая|ой|ую)$/, 20], [/^тридцат(ый|ого|ому|ом|ая|ой|ую)$/, 30],
  [/^сороков(ой|ого|ому|ом|ая|ую)$/, 40], [/^пятидесят/, 50], [/^шестидесят/, 60], [/^семидесят/, 70], [/^восьмидесят/, 80], [/^девяност(ый|ого|ому|ом|ая|ой|ую)$/, 90],
];
const TENS = new Map([['двадцать', 20], ['тридцать', 30], ['сорок', 40], ['пятьдесят', 50], ['шестьдесят', 60], ['семьдесят', 70], ['восемьдесят', 80], ['девяносто', 90]]);
const UNIT_ORDINAL: readonly (readonly [RegExp, number])[] = [
  [/^перв/, 1], [/^втор(ой|ого|ому|ом|ая|ую)$/, 2], [/^трет(ий|ьего|ьему|ьем|ья|ью)$/, 3], [/^четверт/, 4], [/^пят(ый|ого|ому|ом|ая|ую)$/, 5],
  [/^шест(ой|ого|ому|ом|ая|ую)$/, 6], [/^седьм/, 7], [/^восьм(ой|ого|ому|ом|ая|ую)$/, 8], [/^девят(ый|ого|ому|ом|ая|ую)$/, 9],
];
/** What a spoken ordinal counts instead of a route: "двадцатый день", "десятый раз". */
const SPOKEN_UNIT = /^(день|дня|дней|раз|этаж|год|года|неделю|недели|месяц|час|минут|подъезд|класс|квартир)/;
const valueOf = (table: readonly (readonly [RegExp, number])[], norm: string): number | undefined => table.find(([pattern]) => pattern.test(norm))?.[1];

/** What a word is as a spoken number, worked out once per norm: most words are none. */
interface SpokenWord {
  readonly colloquial?: number;
  readonly tens?: number;
  readonly tensOrdinal?: number;
  readonly unitOrdinal?: number;
  readonly unit: boolean;
}
const NO_NUMBER: SpokenWord = { unit: false };
const spokenWord = memoByKey((norm): SpokenWord => {
  const colloquial = valueOf(COLLOQUIAL, norm);
  const tens = TENS.get(norm);
  const tensOrdinal = valueOf(TENS_ORDINAL, norm);
  const unitOrdinal = valueOf(UNIT_ORDINAL, norm);
  const unit = SPOKEN_UNIT.test(norm);
  return colloquial === undefined && tens === undefined && tensOrdinal === undefined && unitOrdinal === undefined && !unit ? NO_NUMBER : { colloquial, tens, tensOrdinal, unitOrdinal, unit };
});

/** Whether a route said in words may start at this word: "день" alone is a unit, not a number. */
const startsSpokenRoute = (word: SpokenWord): boolean => word.colloquial !== undefined || word.tens !== undefined || word.tensOrdinal !== undefined;

/** A route said in words at token `i`: "пятёрка" or "сороковой" in a report about transport, "сорок третий" in any. */
const spokenRoute = (tokens: readonly Pick<Token, 'norm'>[], i: number, transit: boolean): number | undefined => {
  const word = spokenWord((tokens[i] as Pick<Token, 'norm'>).norm);
  if (word === NO_NUMBER) return undefined;
  const next = i + 1 < tokens.length ? spokenWord((tokens[i + 1] as Pick<Token, 'norm'>).norm) : NO_NUMBER;
  // "пятёрка" is a school mark and "десятка" a car too; "сороковка" is nothing but the route.
  if (word.colloquial !== undefined) return transit || word.colloquial > 10 ? word.colloquial : undefined;
  // "сорок третий опять нет" needs no transport word: two words make a number no day or mark is called by.
  if (word.tens !== undefined) {
    const after = i + 2 < tokens.length ? spokenWord((tokens[i + 2] as Pick<Token, 'norm'>).norm) : NO_NUMBER;
    return next.unitOrdinal !== undefined && !after.unit ? word.tens + next.unitOrdinal : undefined;
  }
  return word.tensOrdinal !== undefined && transit && !next.unit ? word.tensOrdinal : undefined;
};

/**
 * The route numbers a report names: a number next to a transport word ("автобус 40", "23 маршрут",
 * "маршрута А-40"), an ordinal such as "45й", or a route said in words ("пятёрка", "сорок третий")
 * in a report about transport. Two reports about route 40 are about one service however else they
 * word it; routes 40 and 45 are two.
 */
/** A bus or a train between towns, by what riders call it. */
const INTERCITY_BUS = /^(автобус|маршрутк|рейс)/;
const TRAIN = /^(электричк|поезд)/;
/** Which service between towns the tokens speak of: a train ("электричка на Нижний") is not the bus there. */
export const intercityService = (tokens: readonly Pick<Token, 'norm'>[]): 'bus' | 'train' | null =>
  tokens.some((t) => TRAIN.test(t.norm)) ? 'train' : tokens.some((t) => INTERCITY_BUS.test(t.norm)) ? 'bus' : null;

/** How far before a trip's end the word for its service may stand: "электричку в Арзамас", "рейс Вознесенское — Нижний". */
const SERVICE_REACH = 4;
/**
 * The service of the trip whose end starts at `at`: the nearest service word before it, else the
 * post's (`intercityService`, which a caller that has it already passes as `post`). "рейс на Нижний
 * не выходит, а людям на электричку в Арзамас" is a bus to Нижний and a train to Арзамас.
 */
export const tripService = (tokens: readonly Pick<Token, 'norm' | 'span'>[], at: number, post?: 'bus' | 'train' | null): 'bus' | 'train' | null => {
  let i = tokens.findIndex((t) => t.span.start >= at);
  if (i < 0) i = tokens.length;
  for (let j = i - 1; j >= 0 && j >= i - SERVICE_REACH; j--) {
    const norm = (tokens[j] as Pick<Token, 'norm'>).norm;
    if (TRAIN.test(norm)) return 'train';
    if (INTERCITY_BUS.test(norm)) return 'bus';
  }
  return post === undefined ? intercityService(tokens) : post;
};

export const routeNumbers = (tokens: readonly Pick<Token, 'norm'>[]): string[] => {
  const out: string[] = [];
  let transit = false;
  let spoken = false;
  for (const t of tokens) {
    if (TRANSIT_CONTEXT.test(t.norm) || LETTERED_ROUTE.test(t.norm)) transit = true;
    if (!spoken && startsSpokenRoute(spokenWord(t.norm))) spoken = true;
  }
  for (let i = 0; transit && i < tokens.length; i++) {
    const norm = (tokens[i] as Pick<Token, 'norm'>).norm;
    const match = ROUTE_NUMBER.exec(norm);
    if (!match) continue;
    const ordinal = !/^\d+$/.test(norm);
    const near = (j: number) => j >= 0 && j < tokens.length && TRANSIT.test((tokens[j] as Pick<Token, 'norm'>).norm);
    // "Про 43 обещали добавить машины": talk about a number among transit words is about the route.
    if (!ordinal && !near(i - 1) && !near(i + 1) && tokens[i - 1]?.norm !== 'про') continue;
    if (i + 1 < tokens.length && UNIT.test((tokens[i + 1] as Pick<Token, 'norm'>).norm)) continue;
    const number = String(Number(match[1]));
    if (!out.includes(number)) out.push(number);
  }
  for (let i = 0; spoken && i < tokens.length; i++) {
    const number = spokenRoute(tokens, i, transit);
    if (number !== undefined && !out.includes(String(number))) out.push(String(number));
  }
  return out;
};
