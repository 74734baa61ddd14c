import test from 'ava';
import { BaselineNormalizer } from './normalize.js';
import { intercityService, problemTopicKeys, problemTopics, type ProblemTopic, routeNumbers, tripService } from './topics.js';

const normalizer = new BaselineNormalizer();
const topics = (text: string) => problemTopics(normalizer.normalize(text).tokens);
const routes = (text: string) => routeNumbers(normalizer.normalize(text).tokens);

test('reports of one kind of trouble in different words share a topic', (t) => {
  t.true(topics('Третий день дома холодно, радиаторы еле тёплые').includes('heating'));
  t.true(topics('Советская 18 — батареи ледяные, отопления нет').includes('heating'));
  t.true(topics('помойка в 4м микрорайоне, крысы').includes('garbage'));
  t.deepEqual(topics('за гаражами свалка из стройматериалов'), ['garbage', 'dump']);
  t.true(topics('у гаражей кто-то сгрузил старые покрышки').includes('dump'));
  // Water running in the street is a burst main; water running indoors is a leak; a fridge's is a power cut's.
  t.deepEqual(topics('На Ванеева из-под асфальта бьёт вода, течёт рекой по проезжей части'), ['water-supply']);
  t.deepEqual(topics('с потолка течёт, залило всю кухню'), ['roof-leak']);
  t.false(topics('света нет третий час, холодильник уже течёт').includes('roof-leak'));
  // The tap's water running cold is no leak either.
  t.false(topics('у нас в 46 доме всё ещё холодная течет').includes('roof-leak'));
  // A hospital's machine out of order is a trouble of its own, not its queue.
  t.true(topics('в ЦРБ рентген сломался, на снимок отправляют в Заволжье').includes('medical-equipment'));
  t.false(topics('в поликлинике ЦРБ очередь в регистратуру на весь коридор').includes('medical-equipment'));
  // Tyres burnt are what burns: "как будто покрышки жгут" is smoke, not a heap of them.
  t.false(topics('горит что-то? запах едкий, как будто покрышки жгут').includes('dump'));
  t.true(topics('мусорки переполнены, мусор не вывозят 5 дней').includes('garbage'));
  t.true(topics('Гордеевская яма растёт').includes('road-damage'));
  t.true(topics('многочисленные выбоины на проезжей части').includes('road-damage'));
  t.true(topics('собаки у гаражей опять, девочка убегала в слезах').includes('stray-dogs'));
  t.true(topics('вызывали скорую к отцу, приехали через 1,5 часа').includes('ambulance'));
  t.true(topics('ДТП на Канавинском мосту, три машины').includes('traffic-accident'));
  t.true(topics('разметку на перекрёстке вообще не видно').includes('road-markings'));
  // A dark street in any gender: "Кирова до сих пор тёмная вечером".
  t.true(topics('Кирова до сих пор тёмная вечером').includes('street-light'));
  t.true(topics('во дворе темно, ни одного фонаря').includes('street-light'));
  // What falls from a roof is its icicles' trouble; glass is vandalism only when broken; "в детской" is a room.
  t.true(topics('С крыши дома № 47 на Большой Покровской упала глыба льда').includes('icicles'));
  t.false(topics('на бекетова как было стекло так и есть, тротуар каток').includes('vandalism'));
  t.true(topics('на остановке разбили стекло павильона').includes('vandalism'));
  // A burst sewer is the sewer's; "прорвало" alone names no pipe, "водопровод" does.
  t.deepEqual(topics('У рынка прорвало канализацию, течёт по тротуару').filter((x) => x === 'water-supply' || x === 'heating' || x === 'sewer'), ['sewer']);
  t.true(topics('на улице Ошарской прорвало водопровод').includes('water-supply'));
  t.true(topics('трубу прорвало, хлещет').includes('water-supply'));
  // A road worn to pieces is its damage, not vandalism.
  t.deepEqual(topics('дорога на молодежной возле школы вся разбита').filter((x) => x !== 'school'), ['road-damage']);
  t.false(topics('Чаадаева 5 — тоже течёт, обои отвалились в детской').includes('playground'));
  t.true(topics('во дворе сломаны качели').includes('playground'));
  // More forms: "по отменённому рейсу", "бульвар опять во тьме".
  t.true(topics('Ответ минтранса по отменённому утреннему рейсу на Нижний').includes('bus-service'));
  // "завален" is heaped with anything: "двор завален мусором" is no snow.
  t.false(topics('Школьная 7: двор опять завален, всё переполнено неделю, крысы').includes('snow'));
  t.true(topics('юбилейный бульвар опять во тьме').includes('street-light'));
  // Dressed for the street indoors, or a room in degrees, is the heating.
  t.true(topics('Дети в школе №4 сидят на уроках в куртках!').includes('heating'));
  t.true(topics('в кабинете 15 градусов, директор разводит руками').includes('heating'));
  t.false(topics('куртку оставила в классе, кто видел?').includes('heating'));
  t.false(topics('на улице минус 20 градусов, одевайтесь теплее').includes('heating'));
});

test('a word counts for a topic only with its companion, and unrelated texts share none', (t) => {
  t.false(topics('провода висят над детской площадкой').includes('power'), 'wires alone are no cut');
  t.true(topics('вода из крана мутная, как чай').includes('water-quality'));
  t.false(topics('двор грязный, после стройки всё в глине').includes('water-quality'));
  // Standing water is a puddle, not the supply.
  t.false(topics('Калинина, яма у перехода, вода стоит').includes('water-supply'));
  t.true(topics('у нас на Маяковского нет воды').includes('water-supply'));
  const dogs = topics('стая собак у школы кидается на детей');
  const lift = topics('лифт не работает третий день');
  t.deepEqual(dogs.filter((topic) => lift.includes(topic)), []);
  t.deepEqual(topics('Доброе утро, Нижний! Какие планы на выходные?'), []);
  // An ambulance that cannot get through is about access, not the ambulance service.
  t.false(topics('фуры во дворе опять, скорая не проедет').includes('ambulance'));
  t.true(topics('фуры во дворе опять, скорая не проедет').includes('parking'));
  t.true(topics('скорую ждали два часа').includes('ambulance'));
  t.true(topics('Ленина 47 — дубак, сидим в пуховиках').includes('heating'));
  // A burst main is the water or the heating of the houses it feeds; icicles are their own trouble.
  t.true(topics('на Гордеевской вода хлещет из-под асфальта, целая река').includes('water-supply'));
  t.true(topics('у подъезда хлещет кипяток из земли').includes('heating'));
  t.false(topics('нет света, в Россетях сказали порыв кабеля').includes('heating'), 'a cable, not a pipe');
  t.true(topics('опять выброс ночью, машины во дворах в рыжем налёте').includes('emission'));
  t.true(topics('пр-т Революции не чищен вообще, колея по колено').includes('snow'));
  t.deepEqual(topics('сосульки метровые над тротуаром'), ['icicles', 'sidewalk']);
  t.true(topics('Гордеевская 61, подвал до сих пор в стоках').includes('sewer'));
  // The site where the bins stand is no playground.
  t.false(topics('контейнерную площадку закрыли, мусор выносим куда?').includes('playground'));
  t.true(topics('на детской площадке сломаны качели').includes('playground'));
  t.true(topics('площадку игровую разобрали').includes('playground'));
  t.true(topics('во дворе горка сломана, дети лазают').includes('playground'));
  t.false(topics('лестница к поликлинике — ледяная горка').includes('playground'), 'a slippery slope');
  t.false(topics('машины буксуют в горку у съезда').includes('playground'), 'a rise in the road');
  t.false(topics('где сдать старые батарейки?').includes('heating'), 'batteries, not radiators');
  // A stop is a landmark unless people wait at it.
  t.deepEqual(topics('на Ларина от остановки до 20-го дома фонари не горят'), ['street-light', 'bus-stop']);
  t.true(topics('45й вечером не дождёшься, толпа на остановке').includes('bus-service'));
  t.false(topics('на пешеходной улице гололёд').includes('crosswalk'), 'a pedestrian street is no crossing');
  t.false(topics('в сад на дачу, вода в бочке').includes('water-supply'));
  // Traffic jams and a blinking traffic light are no power cut.
  t.false(topics('пробки на мосту, светофор мигает').includes('power'));
});

test('the everyday words for a trouble name its topic', (t) => {
  const cases: readonly (readonly [string, ProblemTopic])[] = [
    ['трактор так и не приехал, машины не выехать', 'snow'],
    ['все в гололедице, бабушка поскользнулась', 'ice'],
    ['дыра в асфальте, ухаб на ухабе', 'road-damage'],
    ['ливнёвка забита, после ливня река', 'flooding'],
    ['урны переполнены, мешки лежат неделю', 'garbage'],
    ['дышать нечем, амбре на весь район', 'smell'],
    ['Теплоэнерго обещает, а котельная не греет', 'heating'],
    ['щиток искрит, энергетики не едут', 'power'],
    ['газовики перекрыли газопровод', 'gas'],
    ['с потолка капает, подставили тазик', 'roof-leak'],
    ['застряли в подъемнике на полчаса', 'elevator'],
    ['свора безнадзорных кидается на прохожих, где отлов?', 'stray-dogs'],
    ['перевозчик снял машины, пассажиры мёрзнут', 'bus-service'],
    ['к кардиологу запись через месяц, в аптеке нет лекарства', 'clinic'],
    ['в столовой кормят всухомятку', 'school'],
    ['в МБДОУ холодно, заведующая молчит', 'kindergarten'],
    ['аварийную березу не спилили', 'trees'],
    ['соседи с перфоратором до полуночи, уснуть невозможно', 'noise'],
    ['экскаватор разрыл траншею и уехал', 'construction'],
    ['компенсацию многодетным не выплатили', 'social-benefits'],
    ['машины на газоне, вызывайте эвакуатор', 'parking'],
    ['у нас на Белинке опять без горячки', 'water-supply'],
    ['Свердлова нет холодной, магазин закрылся', 'water-supply'],
    ['пар из-под земли валит у гаражей', 'heating'],
    ['недотоп, в квартирах 15 градусов', 'heating'],
    ['на перекрёстке жёлтый мигающий, гаишников нет', 'traffic-light'],
    ['люк на Ильинской до сих пор открыт', 'manhole'],
    ['эскалатор на Заречной так и стоит', 'metro'],
    ['переезд на Сортировочной закрыт на ремонт', 'level-crossing'],
    ['на переходе 10 секунд зелёный', 'crosswalk'],
    ['заброшенное здание не огорожено, дети лазят', 'abandoned-building'],
    ['на стене опять трафарет с рекламой', 'vandalism'],
    ['на Республиканской тоже, ветром дерево на провода уронило', 'power'],
  ];
  for (const [text, topic] of cases) t.true(topics(text).includes(topic), `${text}: ${topics(text).join(', ')}`);
});

test("summer's troubles have topics of their own", (t) => {
  const cases: readonly (readonly [string, ProblemTopic])[] = [
    ['трава по пояс у дома, когда покосят', 'grass'],
    ['во дворе борщевик выше человека', 'grass'],
    ['комары заели, обработки не было', 'insects'],
    ['в парке клещи, обработку обещали в мае', 'insects'],
    ['крысы в подвале бегают', 'vermin'],
    ['пыль столбом, окна не открыть', 'dust'],
    ['тополиный пух летит в окна', 'poplar-fluff'],
    ['дети купаются в карьере, спасателей нет', 'beach'],
    ['в автобусе жара, кондиционер не работает', 'stuffiness'],
    ['у магазина пьяные распивают каждый вечер', 'public-order'],
    ['арбузы продают прямо на тротуаре', 'street-trade'],
    ['колонка на Садовой не работает, воды нет', 'water-supply'],
    ['опрессовка, горячей воды не будет две недели', 'water-supply'],
    ['перекрыли улицу на ремонт дороги', 'construction'],
    ['ветром повалило деревья', 'trees'],
    ['паводок подтопил огороды', 'flooding'],
    ['мотоциклы ревут всю ночь под окнами', 'noise'],
    ['паром через реку не ходит с субботы', 'ferry'],
    ['переправа так и стоит', 'ferry'],
    ['с фасада сыпется штукатурка прямо на тротуар', 'facade'],
    ['озеро всё зелёное, вода цветёт, тиной пахнет', 'water-pollution'],
  ];
  for (const [text, topic] of cases) t.true(topics(text).includes(topic), `${text}: ${topics(text).join(', ')}`);
  t.deepEqual(topics('забор покосился'), [], 'a fence that leans is no mowing');
  t.false(topics('из люка валит паром').includes('ferry'), 'steam is no ferry');
  t.false(topics('во дворе сирень цветёт, красота').includes('water-pollution'), 'lilac in bloom');
  t.false(topics('ребёнка купать не в чем, горячей воды нет').includes('beach'), 'a bath at home is no beach');
  t.false(topics('газовая колонка не греет воду').includes('water-supply'), 'a gas water heater is the gas');
  t.false(topics('Космонавта Комарова 6 крыша течёт').includes('insects'), 'a street named after Комаров');
  t.false(topics('за гаражами свалка, строительный мусор').includes('construction'), 'building rubbish is a dump');
  t.false(topics('на Коминтерна из-под асфальта бьёт вода, прям фонтан').includes('road-damage'), 'a burst main under the road');
  t.true(topics('асфальт весь в трещинах').includes('road-damage'));
  t.false(topics('обещанный компенсационный автобус где?').includes('social-benefits'), 'a replacement bus is no benefit');
  t.true(topics('компенсацию за проезд не выплатили').includes('social-benefits'));
});

test("a school's or kindergarten's meals are a trouble of their own, said in any words", (t) => {
  t.true(topics('в первой школе кормят непонятно чем, котлеты сырые внутри').includes('meals'));
  t.true(topics('Родители 1-й школы, у вас тоже жалуются на столовую?').includes('meals'));
  t.true(topics('в садике опять каша холодная, дети не едят').includes('meals'));
  t.false(topics('на обед заехали в кафе у трассы, очередь').includes('meals'), 'no school or child named');
  t.false(topics('в школе холодно, дети в куртках').includes('meals'));
});

test('a lost or found pet is no stray pack', (t) => {
  t.false(topics('Нашлась собака, метис овчарки, в ошейнике, у магазина на ул. Ленина. Хозяин отзовитесь').includes('stray-dogs'));
  t.false(topics('Потерялся пёс, рыжий, откликается на Бим').includes('stray-dogs'));
  t.true(topics('у рынка на Ленина собаки бегают стаей, вчера женщину покусали').includes('stray-dogs'));
});

test("what a stop lacks is the stop's trouble, not the service's; rain is no waiting", (t) => {
  t.deepEqual(topics('павильон на Бурнаковской так и не вернули, мокнем каждое утро'), ['bus-stop', 'stop-equipment']);
  t.deepEqual(topics('на остановке Бурнаковская сняли павильон, люди под дождём стоят, даже лавки нет'), ['bus-stop', 'stop-equipment']);
  t.deepEqual(topics('на остановке Пролетарская табло прибытия не работает, стоим гадаем что когда придет'), ['bus-stop', 'stop-equipment']);
  t.true(topics('на остановке стоим полчаса, автобуса нет').includes('bus-service'));
  t.true(topics('на остановке полчаса не могли дождаться').includes('bus-service'));
  t.false(topics('под дождём у остановки фонарь не горит').includes('bus-service'), 'the rain');
});

test('each topic is listed once, in a fixed order', (t) => {
  const found = topics('мусор, мусорки, мусоровоз и снова мусор');
  t.deepEqual(found, ['garbage']);
  t.deepEqual(topics('яма и мусор'), topics('мусор и яма'));
  const tokens = normalizer.normalize('яма и мусор').tokens;
  t.deepEqual(problemTopicKeys(tokens), problemTopics(tokens).map((topic) => `topic:${topic}`));
});

test('getting seen at a clinic or an office is a trouble of its own; the building is only a place', (t) => {
  for (const text of ['В ЦРБ к терапевту не попасть, талоны разбирают в 7 утра', 'в ЦРБ так и нет второго терапевта', 'один врач на весь район', 'в МФЦ на Куйбышева очередь на три часа'])
    t.true(topics(text).includes('service-access'), text);
  t.false(topics('Спасибо нашим врачам из ЦРБ, хирургическое отделение, за маму!').includes('service-access'), 'thanks to the surgeons');
  t.false(topics('на лестнице к поликлинике ни песка ни соли').includes('service-access'), 'ice on the way there');
  // An office is where a trouble is, not the trouble: the ramp of an MFC is no benefit payment.
  t.deepEqual(topics('В МФЦ на проспекте Ленина пандус обледенел'), ['ice', 'public-office']);
  t.true(topics('пособие так и не пришло').includes('social-benefits'));
});

test('route numbers next to a transport word, and ordinals in a report about transport', (t) => {
  t.deepEqual(routes('Автобус 40 с утра не ходит вообще'), ['40']);
  t.deepEqual(routes('Т37 больше до Гнилиц не едет??'), ['37']);
  t.deepEqual(routes('на 40 маршруте водители бастуют'), ['40']);
  t.deepEqual(routes('Автобусы маршрута А-40 утром не вышли на линию'), ['40']);
  t.deepEqual(routes('23 маршрут вообще не ходит нормально'), ['23']);
  t.deepEqual(routes('Про 43 обещали добавить машины — ага, сегодня опять 35 минут ждала'), ['43']);
  t.deepEqual(routes('про 43 дом на Ленина ничего не слышно'), [], 'no transit words: a house');
  t.deepEqual(routes('45й вечером не дождёшься, толпа на остановке'), ['45']);
  t.deepEqual(routes('Маршрут №45 сократили до 3 машин'), ['45']);
  // A vehicle that went by or never came is transport too; a minibus is "она".
  t.deepEqual(routes('34я опять мимо проехала на Ларина, полупустая!'), ['34']);
  t.deepEqual(routes('220-й в 6:50 опять не пришёл'), ['220']);
  // A crowd waiting and a rider late for work are transport words too.
  t.deepEqual(routes('43го вообще нет с утра, на Сормовском шоссе толпа человек 50'), ['43']);
  t.deepEqual(routes('ну и где ваши дополнительные машины на 43-м? третий раз опоздал'), ['43']);
  t.deepEqual(routes('опоздал на 5 минут, толпа у входа'), [], 'minutes, not a route');
  t.deepEqual(routes('в 5я школу пришла проверка из 3 человек'), [], 'a school, not a route');
  // "-ка" makes a route a noun; waiting, a crush and the driver are transport words.
  t.deepEqual(routes('40-ка опять пропала, полчаса на остановке стою'), ['40']);
  t.deepEqual(routes('по 7ке что нибудь изменилось?? сегодня опять 50 мин ждали на Шохина'), ['7']);
  t.deepEqual(routes('132-я не останавливается, битком проезжает'), ['132']);
  t.deepEqual(routes('ждали свет до 7 вечера'), [], 'a bare number needs a transport word beside it');
  // A route's letter says what it is without other words; "М-7" is the highway.
  t.deepEqual(routes('А-40 по 40 минут ждать на Пролетарской утром это норма?'), ['40']);
  t.deepEqual(routes('с сегодняшнего дня Т-7 не доезжает до Бурнаковской'), ['7']);
  t.deepEqual(routes('на трассе М-7 опять пробка у Кстова'), []);
  // Silence is noise's word only when it is broken.
  t.true(topics('соседи каждую ночь нарушают тишину').includes('noise'));
  t.false(topics('лифт стоит неделю, УК обещала, а сейчас вообще тишина').includes('noise'));
});

test('routes said in words: colloquial names and ordinals from the tenth on, in a report about transport', (t) => {
  t.deepEqual(routes('пятёрка опять последний рейс отменили'), ['5']);
  t.deepEqual(routes('сорокового нет, приложение показывает ни одной машины на маршруте'), ['40']);
  t.deepEqual(routes('автобус сорок третий опять не пришёл'), ['43']);
  t.deepEqual(routes('третий день нет автобуса'), [], 'a day, not route 3');
  t.deepEqual(routes('двадцатый день без автобуса'), [], 'a day, not route 20');
  t.deepEqual(routes('маршрут 220 утренний рейс отменили второй день подряд'), ['220']);
  t.deepEqual(routes('пятёрка по русскому, ура'), [], 'a school mark: no transport here');
  t.deepEqual(routes('сорок третий опять нет, уже неделю так'), ['43'], 'two words make a route without a transport word');
  t.deepEqual(routes('сорок второй день без воды'), []);
  t.deepEqual(routes('кто ездит на 43-м? он вообще ходит сегодня?'), ['43']);
  t.deepEqual(routes('ребёнок ходит в 5й класс'), [], 'a class, not a route');
  t.deepEqual(routes('Уже почти месяц сороковка ходит как хочет'), ['40']);
  t.deepEqual(routes('Сороковку ждем на повороте уже полчаса'), ['40'], 'no other word says the route');
  t.deepEqual(routes('отдал десятку за пакет'), [], 'a banknote');
  // A rider's past trips say the route too: "убрали 62-й, я на нём на работу ездил".
  t.deepEqual(routes('С понедельника убрали 62-й?? Я с Южного шоссе на нем на работу ездил'), ['62']);
});

test('numbers that are no route: time, houses, and texts not about transport', (t) => {
  t.deepEqual(routes('автобус 40 минут не было'), []);
  t.deepEqual(routes('Стою на Мызе 40 минут, ни одного'), []);
  t.deepEqual(routes('Кирова 10 тоже холодные батареи'), []);
  t.deepEqual(routes('в 5й квартире потоп'), []);
  // A departure is no route: "рейс 7:20".
  t.deepEqual(routes('101 опять отменили рейс 7:20, без объяснений'), []);
});

test('a service between towns: a bus or a train, by what riders call it', (t) => {
  const service = (text: string) => intercityService(text.toLowerCase().split(/[\s,.!?]+/).filter(Boolean).map((norm) => ({ norm })));
  t.is(service('утренний рейс до Арзамаса вернули'), 'bus');
  t.is(service('электричка на Нижний по расписанию?'), 'train');
  t.is(service('в Арзамас к врачу возим'), null);
  // Each trip's end by the service word nearest before it.
  const text = 'утренний рейс на Нижний не выходит, а людям на электричку в Арзамас ехать?';
  const tokens = normalizer.normalize(text).tokens;
  t.is(tripService(tokens, text.indexOf('Нижний')), 'bus');
  t.is(tripService(tokens, text.indexOf('Арзамас')), 'train');
  t.is(tripService(normalizer.normalize('до Павлово утром никак, электрички нет').tokens, 3), 'train', 'none before it: the post\'s');
});
