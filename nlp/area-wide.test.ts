import test from 'ava';
import { areaWideKind, outageEnded, outageReply, saysMeToo } from './area-wide.js';
import { BaselineNormalizer } from './normalize.js';

const kind = (text: string) => {
  const doc = new BaselineNormalizer().normalize(text);
  return areaWideKind(doc.tokens, doc.clean);
};
const reply = (text: string) => outageReply(new BaselineNormalizer().normalize(text).tokens);

test('outages and smells are area-wide; a broken traffic light or one flat is not', (t) => {
  t.is(kind('Кстово без света! Весь город?'), 'power');
  t.is(kind('В Бору краны сухие, нет ни капли'), 'water');
  t.is(kind('и на Студёной так же, кран сухой с семи утра'), 'water');
  // Its return is the same outage ending.
  t.is(kind('Литвинова 74 — вода появилась, напор слабый'), 'water');
  t.is(kind('Батареи пошли тёплые, Федосеенко 52'), 'heat');
  t.is(kind('батареи потеплели наконец, Дьяконова 21'), 'heat');
  t.is(kind('потеплело, снег тает'), null);
  t.is(kind('газ пошёл, плиту проверили'), 'gas');
  // An authority's words for a storm's damage: "повреждены линии электропередачи ... восстановительные работы".
  t.is(kind('В результате грозы повреждены линии электропередачи, бригады ведут восстановительные работы'), 'power');
  t.is(kind('Тонкинский РЭС информирует: произошло аварийное отключение ВЛ-10 кВ'), 'power');
  t.is(kind('у нас в микрорайоне воды нет ни холодной ни горячей'), 'water');
  t.is(kind('дали свет на Островского, у кого ещё нет?'), 'power');
  t.is(kind('в сормово на коминтерна дом без отопления уже почти неделю'), 'heat');
  t.is(kind('Западный посёлок — газ еле горит, конфорки не горят, нет давления'), 'gas');
  t.is(kind('Дзержинск, запах хлора на Петрищева, окна закрыли'), 'smell');
  t.is(kind('Что за вонь в городе? Химией пахнет'), 'smell');
  t.is(kind('светофор на Светлоярской не работает'), null);
  // A smell inside one house is that house's trouble.
  t.is(kind('Веденяпина, 6: лифт стоит пятый день, в кабине воняет'), null);
  t.is(kind('из подвала воняет канализацией, Бекетова 13'), null);
  t.is(kind('воняет гарью на весь район, в квартире дышать нечем'), 'smell');
  // Water that smells is the tap water gone bad.
  t.is(kind('вода с запахом и рыжая, Садовая улица, уже который день'), 'water-quality');
  // A smell of gas is a leak, and the gas is cut for it.
  t.is(kind('на Кирова газом воняет страшно, экскаватор трубу зацепил'), 'gas');
  // What smoke does to the eyes and throat says the smell without naming it.
  t.is(kind('тоже чувствуем, Южное шоссе, глаза режет'), 'smell');
  t.is(kind('на Мира першит в горле, окна закрыли'), 'smell');
  t.is(kind('у ребёнка глаза красные, к окулисту не записаться'), null);
  // Cold radiators are the heating gone; water brought in a tanker means the taps are dry.
  t.is(kind('Автозавод, батареи ледяные с ночи!'), 'heat');
  t.is(kind('пр. Октября — вечер, батареи так и холодные'), 'heat');
  t.is(kind('радиаторы еле тёплые'), 'heat');
  t.is(kind('воду развозят в бочке к администрации'), 'water');
  t.is(kind('ул. Литвинова, д. 74 — отсутствует холодное водоснабжение с 6:30'), 'water');
  t.is(kind('прекращена подача холодной воды в центре города'), 'water');
  t.is(kind('поменяли батареи в подъезде, красиво'), null);
  t.is(kind('яма на дороге у дома 5, вода стоит'), null);
  // A stopgap says the utility and its absence at once.
  t.is(kind('водовозка у администрации стоит, очередь человек 20'), 'water');
  t.is(kind('привезли бочку к 12 дому, очередь стоит, на всех не хватает'), 'water');
  t.is(kind('дети уроки при свечке делают, юбилейный 27'), 'power');
  t.is(kind('сидим со свечами, холодильник течёт'), 'power');
  t.is(kind('купила свечи на новый год, нет идей для подарков'), null);
  // The grid's own words: a line down, houses de-energised.
  t.is(kind('из-за падения деревьев на ЛЭП 10 кВ отключены потребители центральной части города'), 'power');
  t.is(kind('дома на Кирова обесточены с обеда'), 'power');
  t.is(kind('ЛЭП проложат вдоль трассы к 2028 году'), null);
  // A resumption put off, a return promised: the water is still off.
  t.is(kind('возобновление горячего водоснабжения переносится на 4 сентября'), 'water');
  t.is(kind('Горячую воду вернут не раньше 8 сентября'), 'water');
  // The utility in any case: "за водой очередь, бочка одна", "с газом перебои".
  t.is(kind('у ДК за водой очередь человек 50, бочка одна'), 'water');
  t.is(kind('с газом перебои второй день'), 'gas');
  // Water brought round is the tanker only beside the water: a pump for a flooded underpass is no outage.
  t.is(kind('воду привезли к администрации, очередь с баклажками'), 'water');
  t.is(kind('Июльских дней, вода так и стоит, откачку так и не привезли'), null);
  // Only cold water from the taps: the hot water is off.
  t.is(kind('+1 Ватутина 10 холодная из обоих кранов'), 'water');
  t.is(kind('из крана только холодная, третий день'), 'water');
  t.is(kind('из крана течёт холодная ржавая вода'), 'water-quality');
  // Batteries are no radiators.
  t.is(kind('где можно сдать старые батарейки? приём не работает, пункта нет'), null);
});

test('bad tap water is its own area-wide kind; water back but dirty is the outage ending', (t) => {
  t.is(kind('Арзамас, вода из крана коричневая! У всех так?'), 'water-quality');
  t.is(kind('вода в доме как чай, пить страшно'), 'water-quality');
  t.is(kind('ул. Ленина — дали воду, но грязная, пусть стечёт'), 'water');
  t.is(kind('двор грязный, после стройки всё в глине'), null);
});

test('a room temperature written with its sign is the heating gone; the weather is not', (t) => {
  t.is(kind('дома +17 и падает, дети в шерстяных носках'), 'heat');
  t.is(kind('в квартирах +16, дети в кофтах'), 'heat');
  t.is(kind('в школе в кабинетах +15, сидим в куртках'), null, 'one building, not an outage');
  t.is(kind('на улице +17, тепло для ноября'), null);
  t.is(kind('дома 17 человек прописано'), null);
});

test('a short reply with an absence or a "me too" and no utility named reads as an outage thread reply', (t) => {
  t.true(reply('Дзержинского 35 тоже нет. опять водоканал что-то роет?'));
  t.true(reply('Кирова тоже тьма, ни одного окна'));
  t.true(reply('Кирова тоже без'));
  t.true(reply('мы тоже без с утра'));
  t.false(reply('спасибо всем коммунальщикам, кто двое суток работал в Сормово без сна'), '"без" something else');
  t.true(reply('пр-т Революции 61 сухо с 8 утра'));
  t.true(reply('Мира 5 тоже нет, дома никого'), 'a house number and "дома" are no utility');
  t.false(reply('Канавинский мост встал намертво, авария посередине'), 'a crash, not an outage');
  t.false(reply('Ленина 5 нет света'), 'names its utility: an outage report, not a reply');
  t.true(reply('Московский район — то же самое, у ребёнка кашель начался'));
  t.true(reply('у нас тоже самое'));
  t.true(reply('аналогично, Сормово'));
  t.false(reply('самое обидное, что никто не предупредил'));
  t.false(reply('у нас тоже нет, и вообще в этом районе постоянно что-то ломают, то дороги разроют, то трубы меняют, то фонари снимут, а спросить не у кого'), 'too long for a reply');
});

test('an outage\'s end is told in many words', (t) => {
  const ended = (text: string) => outageEnded(new BaselineNormalizer().normalize(text).tokens);
  t.true(ended('Дали отопление! Лескова 40 уже тёплые'));
  t.true(ended('Литвинова 74 — вода появилась, напор слабый'));
  t.true(ended('батареи потеплели! Ивлиева 33'));
  t.false(ended('когда дадут свет?'));
  t.false(ended('света нет третий час'));
  t.false(ended('Курчатова 10 — горячую воду так и не включили после профилактики'), 'negated');
  t.true(ended('Суворова 12 свет есть, наконец-то'));
  t.false(ended('Сормово, у кого свет есть? У нас на Коминтерна всё вырубилось'), 'asks who still has it');
  t.false(ended('ну что, лесковцы, есть у кого горячая? у нас всё ещё холодная'), 'asks who has it, the other way round');
  t.is(kind('Суворова 12 свет есть, наконец-то'), 'power');
});

test('an outage report says "me too" with тоже or так же', (t) => {
  const meToo = (text: string) => saysMeToo(new BaselineNormalizer().normalize(text).tokens);
  t.true(meToo('Берёзовская 90 тоже без газа'));
  t.true(meToo('и у нас на Бурнаковской так же, с ночи ледяные'));
  t.false(meToo('газ отключили на Березовской 88, плита не горит'));
  t.false(meToo('так жалко соседей, без газа третий день'));
});
