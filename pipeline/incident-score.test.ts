import test from 'ava';
import { defaultConfig } from '../core/config.js';
import { TermWeights } from '../nlp/term-weights.js';
import type { IncidentCandidate } from '../store/contract.js';
import { candidateWindow, outageWindowHours, reportWindow } from './dedup.js';
import { ENDED_KEY, INCIDENT_FEATURES, ME_TOO_KEY, REPLY_KEY, incidentFeatures, incidentProbability, LAMPS_KEY, PERSISTS_KEY, rarestTerms, type ReportKeys, reportKeysOf, sameThread, sharesAnchor } from './incident-score.js';

// Three documents: "ям" in all of them, "ошар" in one, "бели" in none.
const weights = TermWeights.build([
  [{ norm: 'яма', stem: 'ям' }, { norm: 'ошарская', stem: 'ошарск' }],
  [{ norm: 'яма', stem: 'ям' }],
  [{ norm: 'яма', stem: 'ям' }],
].map((tokens) => tokens.map((t) => ({ ...t, span: { start: 0, end: 1 } }))));
const settings = defaultConfig.dedup.incidentMerge;

const candidate = (placeKeys: string[], extra: Partial<IncidentCandidate> = {}): IncidentCandidate => ({
  id: 'inc_1', category: 'roads', status: 'open', placeKeys, firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-01T00:00:00.000Z', signature: new Uint32Array(64), ...extra,
});
const ours = (terms: string[], keys: string[] = [], category = 'roads'): ReportKeys =>
  reportKeysOf([...terms.map((term) => `term:${term}`), ...keys, 'story:sto_x'], keys, weights, category, ['roads', 'urban']);
const context = { weights, windowHours: 24, areaWideHours: 6, areaWideHoursByKind: {}, seenAt: Date.parse('2026-11-01T02:00:00.000Z') };

test('term weights: common words weigh less than rare ones, unseen words the most', (t) => {
  t.true(weights.weight('ям') < weights.weight('ошар'));
  t.is(weights.weight('бели'), weights.maxWeight);
});

test('a rare shared place word makes a merge likely, a common one alone does not', (t) => {
  const rare = incidentProbability(candidate(['term:ям', 'term:ошар', 'area:нижний новгород']), ours(['ям', 'ошар'], ['area:нижний новгород']), context, settings);
  const common = incidentProbability(candidate(['term:ям', 'term:бели', 'area:нижний новгород']), ours(['ям', 'ошар'], ['area:нижний новгород']), context, settings);
  t.true(rare !== null && common !== null);
  t.true((rare as number) >= settings.threshold, `rare ${rare}`);
  t.true((common as number) < settings.threshold, `common ${common}`);
});

test('another house vetoes the merge, and so do two named towns that differ', (t) => {
  t.true((incidentProbability(candidate(['term:ошар', 'addr:ошарская|5']), ours(['ошар'], ['addr:ошарская|5']), context, settings) as number) > 0.5);
  t.is(incidentProbability(candidate(['term:ошар', 'addr:ошарская|7']), ours(['ошар'], ['addr:ошарская|5']), context, settings), null);
  t.is(incidentProbability(candidate(['term:ошар', 'muni:бор']), ours(['ошар'], ['muni:кстово']), context, settings), null);
  t.is(incidentProbability(candidate(['term:ошар', 'area:бор']), ours(['ошар'], ['area:кстово']), context, settings), null);
  // Two sources covering different towns, but the report names the incident's town: not a veto.
  t.not(incidentProbability(candidate(['term:ошар', 'area:бор', 'muni:бор']), ours(['ошар'], ['area:кстово', 'muni:бор']), context, settings), null);
});

test('an incompatible category never merges, even at one address; a compatible one is scored', (t) => {
  t.is(incidentProbability(candidate(['term:ям', 'area:бор'], { category: 'health' }), ours(['ям'], ['area:бор']), context, settings), null);
  t.is(incidentProbability(candidate(['term:ям', 'addr:ленина|5', 'area:бор'], { category: 'waste' }), ours(['ям'], ['addr:ленина|5', 'area:бор']), context, settings), null);
  t.not(incidentProbability(candidate(['term:ям', 'addr:ленина|5', 'area:бор'], { category: 'urban' }), ours(['ям'], ['addr:ленина|5', 'area:бор']), context, settings), null);
  // The rules that come first still hold across categories: a copy of one story is one incident.
  t.is(incidentProbability(candidate(['story:sto_x'], { category: 'waste' }), ours(['ям']), context, settings), 1);
});

test('one outage in one town joins whatever street a report names, within the area-wide window', (t) => {
  const outage = candidate(['kind:water', 'street:ленина', 'area:бор']);
  t.is(incidentProbability(outage, ours(['вод'], ['kind:water', 'street:маяковского', 'area:бор']), context, settings), 1);
  const later = { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') };
  t.not(incidentProbability(outage, ours(['вод'], ['kind:water', 'street:маяковского', 'area:бор']), later, settings), 1);
  t.is(incidentProbability(outage, ours(['вод'], ['kind:water', 'area:кстово']), context, settings), null);
  t.not(incidentProbability(outage, ours(['отоп'], ['kind:heat', 'street:маяковского', 'area:бор']), context, settings), 1, 'heating off is not the water outage');
});

test('another house vetoes an outage until it has been reported from several streets', (t) => {
  const report = ours(['отоп'], ['kind:heat', 'street:октяб', 'addr:октяб|5', 'area:нижний новгород'], 'housing');
  const oneHouse = candidate(['kind:heat', 'street:киров', 'addr:киров|10', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentProbability(oneHouse, report, context, settings), null);
  const district = candidate(['kind:heat', 'street:киров', 'addr:киров|10', 'street:львов', 'street:южное', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentProbability(district, report, context, settings), 1);
  // Past the area-wide window the house is another problem again.
  t.is(incidentProbability(district, report, { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') }, settings), null);
});

test("a house's share of an outage reported from several streets joins it by its trouble alone, within the area-wide window", (t) => {
  // "У Культуры 6 из-под асфальта пар валит": no outage said, but the heating of one more house.
  const report = ours(['пар'], ['topic:heating', 'street:культ', 'addr:культ|6', 'area:нижний новгород'], 'housing');
  const district = candidate(['kind:heat', 'topic:heating', 'street:комин', 'addr:комин|39', 'street:культ', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentProbability(district, report, context, settings), 1);
  const oneStreet = candidate(['kind:heat', 'topic:heating', 'street:комин', 'addr:комин|39', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentProbability(oneStreet, report, context, settings), null, 'one street: another house is another problem');
  t.is(incidentProbability(district, report, { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') }, settings), null, 'past the area-wide window');
  const lift = ours(['лифт'], ['topic:elevator', 'street:культ', 'addr:культ|6', 'area:нижний новгород'], 'housing');
  t.is(incidentProbability(district, lift, context, settings), null, 'a trouble of its own');
});

test('a reply in an outage thread joins the outage its source reported within hours, at any house', (t) => {
  const outage = candidate(['kind:water', 'street:энгел', 'addr:энгел|3', 'area:балахна', 'src:tg-balakhna', 'topic:water-supply'], { category: 'housing' });
  const reply = (keys: string[], category = 'other') => reportKeysOf(['term:ям', 'reply:outage', ...keys, 'story:sto_r'], keys, weights, category, [category]);
  t.is(incidentProbability(outage, reply(['addr:дзерж|35', 'area:балахна', 'src:tg-balakhna']), context, settings), 1);
  t.is(incidentProbability(outage, reply(['addr:дзерж|35', 'area:балахна', 'src:vk-balakhna']), context, settings), null, 'another source: another thread');
  const later = { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') };
  t.not(incidentProbability(outage, reply(['area:балахна', 'src:tg-balakhna']), later, settings), 1, 'past the area-wide window');
  t.is(incidentProbability(outage, reply(['area:балахна', 'src:tg-balakhna', 'topic:elevator']), context, settings), null, 'names another trouble');
  const pothole = candidate(['term:ям', 'area:балахна', 'src:tg-balakhna', 'topic:road-damage'], { category: 'roads' });
  t.is(incidentProbability(pothole, reply(['area:балахна', 'src:tg-balakhna']), context, settings), null, 'no outage to reply to');
});

test("in a city of districts, a trouble or a numbered building's reply joins an outage only at the outage's district or street", (t) => {
  const sormovo = candidate(['kind:heat', 'topic:heating', 'street:комин', 'street:зайце', 'muni:сормовский район', 'district:сормовский район', 'area:нижний новгород', 'src:vk-p'], { category: 'housing' });
  const reply = (keys: string[]) => reportKeysOf(['term:ям', 'reply:outage', ...keys, 'story:sto_r'], keys, weights, 'education', ['education']);
  // "в 151й школе в кабинетах холодно", in the city-wide feed that reported Сормово's heat outage.
  t.not(incidentProbability(sormovo, reply(['org:school|151', 'topic:heating', 'topic:school', 'area:нижний новгород', 'src:vk-p']), context, settings), 1);
  t.is(incidentProbability(sormovo, reply(['topic:heating', 'area:нижний новгород', 'src:vk-p']), context, settings), 1, 'a reply naming no building');
  t.is(incidentProbability(sormovo, reply(['org:school|151', 'topic:heating', 'topic:school', 'muni:сормовский район', 'area:нижний новгород', 'src:vk-p']), context, settings), 1, 'in the district');
  const trouble = (keys: string[]) => ours(['бата'], keys, 'housing');
  t.not(incidentProbability(sormovo, trouble(['topic:heating', 'area:нижний новгород']), context, settings), 1, 'a trouble anywhere in the city');
  t.is(incidentProbability(sormovo, trouble(['topic:heating', 'muni:сормовский район', 'area:нижний новгород']), context, settings), 1, 'a trouble in the district');
});

test('a main that burst on a street takes the outage it causes at another house of that street, within the outage hours', (t) => {
  // "на Коминтерна у 139 из-под асфальта бьёт кипяток", then "коминтерна 141 батареи ледяные".
  const burst = candidate(['street:комин', 'addr:комин|139', 'topic:heating', 'topic:road-damage', 'district:сормовский район', 'area:нижний новгород'], { category: 'urban' });
  const cold = (keys: string[]) => reportKeysOf(['term:бата', 'kind:heat', 'topic:heating', ...keys, 'area:нижний новгород', 'story:sto_b'], [...keys, 'area:нижний новгород'], weights, 'housing', ['housing', 'urban']);
  t.is(incidentProbability(burst, cold(['street:комин', 'addr:комин|141', 'district:сормовский район']), context, settings), 1);
  t.is(incidentProbability(burst, cold(['street:ленин', 'addr:ленин|5', 'district:сормовский район']), context, settings), null, 'another street');
  t.is(incidentProbability(burst, cold(['street:комин', 'addr:комин|141', 'district:сормовский район']), { ...context, seenAt: Date.parse('2026-11-03T02:00:00.000Z'), windowHours: 336 }, settings), null, 'two days on');
  const outage = candidate(['street:комин', 'addr:комин|139', 'kind:heat', 'topic:heating', 'district:сормовский район', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentProbability(outage, cold(['street:комин', 'addr:комин|141', 'district:сормовский район']), context, settings), null, 'an outage at one house: another house is another riser until several streets report it');
});

test('a copy of the same story joins its incident whatever the words', (t) => {
  t.is(incidentProbability(candidate(['story:sto_x']), ours(['бели']), context, settings), 1);
  t.is(incidentProbability(candidate(['story:sto_x', 'muni:бор']), ours(['бели'], ['muni:кстово']), context, settings), null);
});

const feature = (cand: IncidentCandidate, report: ReportKeys, name: (typeof INCIDENT_FEATURES)[number]): number | string => {
  const x = incidentFeatures(cand, report, context);
  return typeof x === 'string' ? x : (x[INCIDENT_FEATURES.indexOf(name)] as number);
};

test('two named streets that differ are two places even when their map cells touch', (t) => {
  const report = ours(['ям'], ['street:ленин', 'geo:ucyzuy', 'area:дзержинск']);
  const other = candidate(['term:ям', 'street:гагар', 'geo:ucyzuy', 'area:дзержинск']);
  t.is(feature(other, report, 'otherStreet'), 1);
  t.is(feature(other, report, 'sharedStreet'), 0);
  // Without a street name on one side, the cell is the place.
  const cellOnly = candidate(['term:ям', 'geo:ucyzuy', 'area:дзержинск']);
  t.is(feature(cellOnly, report, 'sharedStreet'), 1);
  t.is(feature(candidate(['term:ям', 'street:ленин', 'area:дзержинск']), report, 'sharedStreet'), 1);
});

test('a shared topic, route or source raises the score; another route is another service', (t) => {
  const report = ours(['ям'], ['area:бор', 'topic:road-damage', 'route:40', 'src:tg-bor']);
  const base = incidentProbability(candidate(['term:ям', 'area:бор']), report, context, settings) as number;
  const topic = incidentProbability(candidate(['term:ям', 'area:бор', 'topic:road-damage']), report, context, settings) as number;
  const route = incidentProbability(candidate(['term:ям', 'area:бор', 'route:40']), report, context, settings) as number;
  const source = incidentProbability(candidate(['term:ям', 'area:бор', 'src:tg-bor']), report, context, settings) as number;
  t.true(topic > base && route > base && source > base, `${base} ${topic} ${route} ${source}`);
  t.is(incidentProbability(candidate(['term:ям', 'area:бор', 'route:45', 'topic:road-damage']), report, context, settings), null, 'route 45 is another service');
});

test('two named troubles with none in common are two problems, even at one house', (t) => {
  const lift = ours(['ям'], ['addr:белин|32', 'topic:elevator', 'area:бор'], 'housing');
  const hotWater = candidate(['term:ям', 'addr:белин|32', 'topic:water-supply', 'area:бор'], { category: 'housing' });
  t.is(incidentProbability(hotWater, lift, context, settings), null);
  // One side naming no trouble of the list is no veto: the score decides.
  t.not(incidentProbability(candidate(['term:ям', 'addr:белин|32', 'area:бор'], { category: 'housing' }), lift, context, settings), null);
  t.not(incidentProbability(candidate(['term:ям', 'addr:белин|32', 'topic:water-supply', 'topic:elevator', 'area:бор'], { category: 'housing' }), lift, context, settings), null);
});

test('a landmark in common places two reports as a street does', (t) => {
  const pack = candidate(['term:ям', 'topic:stray-dogs', 'site:вокзал', 'area:шахунья', 'src:tg-sh'], { category: 'safety' });
  const report = (keys: string[]) => reportKeysOf(['term:ям', 'topic:stray-dogs', 'area:шахунья', 'src:tg-sh', 'story:sto_y', ...keys], ['area:шахунья'], weights, 'safety', ['safety']);
  const at = incidentFeatures(pack, report(['site:вокзал']), context);
  const elsewhere = incidentFeatures(pack, report(['site:рынок']), context);
  t.true(at instanceof Float64Array && elsewhere instanceof Float64Array);
  const street = INCIDENT_FEATURES.indexOf('sharedStreet');
  t.is((at as Float64Array)[street], 1);
  t.is((elsewhere as Float64Array)[street], 0);
});

test('a beach is a place, not a trouble: oil on the water and litter on the sand there are two problems', (t) => {
  const oil = candidate(['term:ям', 'topic:water-pollution', 'topic:beach', 'area:бор'], { category: 'ecology' });
  const litter = reportKeysOf(['term:ям', 'topic:garbage', 'topic:beach', 'area:бор', 'story:sto_y'], ['area:бор'], weights, 'ecology', ['ecology', 'waste']);
  t.is(incidentProbability(oil, litter, context, settings), null);
  const moreOil = reportKeysOf(['term:ям', 'topic:water-pollution', 'topic:beach', 'area:бор', 'story:sto_y'], ['area:бор'], weights, 'ecology', ['ecology', 'waste']);
  t.not(incidentProbability(oil, moreOil, context, settings), null);
});

test('an unrelated category is no veto when the report shares a topic and a named place with the incident', (t) => {
  // "тополь на Тимирязева так и лежит, скорая не проедет" read as health; the incident is urban.
  const fallen = candidate(['term:ям', 'street:тимир', 'topic:trees', 'area:бор'], { category: 'urban' });
  const report = (keys: string[]) => reportKeysOf(['term:ям', ...keys, 'story:sto_y'], keys, weights, 'health', ['health', 'social']);
  t.not(incidentProbability(fallen, report(['street:тимир', 'topic:trees', 'area:бор']), context, settings), null);
  t.is(incidentProbability(fallen, report(['street:тимир', 'topic:ambulance', 'area:бор']), context, settings), null, 'no topic in common');
  t.is(incidentProbability(fallen, report(['topic:trees', 'area:бор']), context, settings), null, 'no place in common');
  // "канатка стоит" read as energy, an hour after "Канатка не работает" (transport) in the same group.
  const cableCar = candidate(['term:ям', 'topic:cable-car', 'area:бор', 'src:tg-bor'], { category: 'transport' });
  const stuck = reportKeysOf(['term:ям', 'topic:cable-car', 'area:бор', 'src:tg-bor', 'story:sto_z'], ['area:бор'], weights, 'energy', ['energy', 'urban']);
  t.not(incidentProbability(cableCar, stuck, context, settings), null, 'the same trouble in the same feed within two days');
  const threeDaysOn = { ...context, seenAt: Date.parse('2026-11-04T02:00:00.000Z'), windowHours: 96 };
  t.is(incidentProbability(cableCar, stuck, threeDaysOn, settings), null, 'not three days on');
});

test('the same trouble at the incident\'s house, organisation or route may be reported after its category\'s window; an outage may not', (t) => {
  const lift = candidate(['term:лифт', 'addr:фавор|3', 'topic:elevator', 'area:павлово'], { category: 'housing' });
  const stillBroken = ours(['лифт'], ['addr:фавор|3', 'topic:elevator', 'area:павлово'], 'housing');
  t.true(sharesAnchor(lift, stillBroken, weights));
  t.false(sharesAnchor(lift, ours(['лифт'], ['addr:фавор|5', 'topic:elevator', 'area:павлово'], 'housing'), weights), 'another house');
  t.false(sharesAnchor(lift, ours(['домо'], ['addr:фавор|3', 'topic:intercom', 'area:павлово'], 'housing'), weights), "the house's other trouble");
  t.false(sharesAnchor(candidate(['addr:фавор|3', 'topic:power', 'kind:power']), ours(['свет'], ['addr:фавор|3', 'topic:power', 'kind:power']), weights), 'the next outage');
  t.true(sharesAnchor(candidate(['route:43', 'topic:bus-service']), ours(['ходи'], ['route:43', 'topic:bus-service']), weights));
  // Days after a power cut, a dark park is its lamps; the cut's water or heat said to go on is the cut.
  const cut = candidate(['district:автозаводский район', 'kind:power', 'topic:power', 'topic:street-light', 'src:tg-a'], { category: 'energy' });
  t.false(sharesAnchor(cut, ours(['алле'], ['district:автозаводский район', 'topic:street-light', 'src:tg-a', PERSISTS_KEY], 'urban'), weights), 'the lamps');
  t.true(sharesAnchor(cut, ours(['свет'], ['district:автозаводский район', 'topic:power', 'src:tg-a', PERSISTS_KEY], 'energy'), weights), 'the cut');
  // A lift the cut stopped, told a week on as stopped still, is the lift's own trouble.
  const stoppedLift = candidate(['district:автозаводский район', 'street:монче', 'kind:power', 'topic:power', 'topic:elevator', 'src:tg-a'], { category: 'energy' });
  t.false(sharesAnchor(stoppedLift, ours(['лифт'], ['district:автозаводский район', 'street:монче', 'topic:elevator', 'src:tg-a', PERSISTS_KEY], 'housing'), weights), 'the lift');
  const settings = defaultConfig.dedup;
  const fiveDaysOn = Date.parse('2026-11-06T00:00:00.000Z');
  t.is(candidateWindow(settings, lift, fiveDaysOn), null, 'housing: 48 hours');
  t.is(candidateWindow(settings, lift, fiveDaysOn, true), settings.anchoredWindowHours);
  t.is(candidateWindow(settings, lift, Date.parse('2026-11-20T00:00:00.000Z'), true), null, 'not past the anchored window');
  // A school's fence and its cold gym both say "школа": the place, not the trouble.
  const fence = candidate(['org:school|7', 'topic:school', 'topic:construction'], { category: 'education' });
  t.false(sharesAnchor(fence, ours(['спор'], ['org:school|7', 'topic:school', 'topic:heating'], 'education'), weights));
  t.true(sharesAnchor(fence, ours(['забо'], ['org:school|7', 'topic:school', 'topic:construction'], 'education'), weights));
});

test("a report of the candidate's outage gets the outage's own hours when they outlast the category's window: a gas cut lasts two days", (t) => {
  const settings = defaultConfig.dedup;
  const gasCut = candidate(['kind:gas', 'street:берез', 'addr:берез|88', 'area:нижний новгород'], { category: 'energy' });
  const nextDay = Date.parse('2026-11-02T06:00:00.000Z');
  t.is(candidateWindow(settings, gasCut, nextDay, false, outageWindowHours(settings, 'kind:gas', gasCut)), 48);
  t.is(candidateWindow(settings, gasCut, nextDay, false, outageWindowHours(settings, null, gasCut)), null, 'energy: 12 hours');
  t.is(outageWindowHours(settings, 'kind:water', gasCut), 0, 'another outage');
  t.is(candidateWindow(settings, gasCut, Date.parse('2026-11-03T06:00:00.000Z'), false, outageWindowHours(settings, 'kind:gas', gasCut)), null, 'not past two days');
});

test('an outage said to go on at its house or street stays open four days; said again, or elsewhere, it does not', (t) => {
  const dedup = defaultConfig.dedup;
  const gasCut = candidate(['kind:gas', 'street:федос', 'addr:федос|48', 'area:нижний новгород'], { category: 'energy' });
  const at = Date.parse('2026-11-03T14:00:00.000Z');
  // "газа так и нет на Федосеенко, третий день", two and a half days on.
  t.is(reportWindow(dedup, gasCut, ours(['газ'], ['kind:gas', 'street:федос', 'area:нижний новгород', PERSISTS_KEY], 'energy'), at, weights), 96);
  t.is(reportWindow(dedup, gasCut, ours(['газ'], ['kind:gas', 'street:федос', 'area:нижний новгород'], 'energy'), at, weights), null, 'not said to go on');
  t.is(reportWindow(dedup, gasCut, ours(['газ'], ['kind:gas', 'street:ленин', 'area:нижний новгород', PERSISTS_KEY], 'energy'), at, weights), null, 'another street');
  t.is(reportWindow(dedup, gasCut, ours(['газ'], ['kind:gas', 'street:федос', 'area:нижний новгород', PERSISTS_KEY], 'energy'), Date.parse('2026-11-06T00:00:00.000Z'), weights), null, 'five days on');
  // Another outage's report keeps to its own category's window, not that of the incident it meets.
  const burstFiledAsRoadworks = candidate(['kind:heat', 'street:зайце', 'area:нижний новгород', 'topic:heating'], { category: 'urban' });
  const hotWater = ours(['горяч'], ['kind:water', 'street:зайце', 'area:нижний новгород'], 'housing');
  t.is(reportWindow(dedup, burstFiledAsRoadworks, hotWater, Date.parse('2026-11-14T00:00:00.000Z'), weights), null, 'a fortnight on');
  t.is(reportWindow(dedup, burstFiledAsRoadworks, hotWater, Date.parse('2026-11-01T20:00:00.000Z'), weights), 48, 'the same day: housing');
  // Within those days it is the same area-wide problem, whatever category the classifier gave it.
  const rusty = candidate(['kind:water-quality', 'street:садов', 'area:починки', 'topic:water-quality'], { category: 'housing' });
  const later = { ...context, seenAt: Date.parse('2026-11-02T22:00:00.000Z'), windowHours: 96 };
  const smells = (keys: string[]) => reportKeysOf(['term:рыж', ...keys, 'story:sto_y'], keys, weights, 'ecology', ['ecology']);
  t.is(incidentProbability(rusty, smells(['kind:water-quality', 'street:садов', 'area:починки', PERSISTS_KEY]), later, settings), 1);
  t.is(incidentProbability(rusty, smells(['kind:water-quality', 'street:садов', 'area:починки']), later, settings), null, 'not said to go on: another category');
});

test('the same trouble told again at its street, in its feed, or said to go on, may come after the window; the place alone needs words that it goes on', (t) => {
  // "школа 2 — плиту так и не починили": the place, and words that say it is not fixed yet.
  const stove = candidate(['org:school|2', 'topic:school', 'topic:canteen'], { category: 'education' });
  t.true(sharesAnchor(stove, ours(['плит'], ['org:school|2', 'topic:school', 'reply:persists'], 'education'), weights));
  t.false(sharesAnchor(stove, ours(['плит'], ['org:school|2', 'topic:school'], 'education'), weights), 'no shared trouble and no word that it goes on');
  t.false(sharesAnchor(stove, ours(['плит'], ['org:school|3', 'topic:school', 'reply:persists'], 'education'), weights), 'another school');
  // "на фаворского свалка растёт": the same trouble on the same street.
  const dump = candidate(['street:вязни', 'topic:dump', 'src:vk-pavlovo'], { category: 'waste' });
  t.true(sharesAnchor(dump, ours(['свал'], ['street:вязни', 'topic:dump', 'src:tg-other'], 'waste'), weights));
  t.false(sharesAnchor(dump, ours(['свал'], ['street:ленин', 'topic:dump', 'src:tg-other'], 'waste'), weights), 'another street');
  t.false(sharesAnchor(dump, ours(['свал'], ['street:вязни', 'topic:garbage', 'src:vk-pavlovo', 'reply:persists'], 'waste'), weights), 'another trouble on the street');
  // "собаки у школы так и бегают" in the town's group, with no place of its own.
  const dogs = candidate(['muni:правд', 'topic:stray-dogs', 'topic:school', 'src:tg-balakhna'], { category: 'safety' });
  const again = (keys: string[], category = 'safety') => reportKeysOf(['term:соба', ...keys, 'story:sto_d'], keys, weights, category, [category]);
  t.true(sharesAnchor(dogs, again(['topic:stray-dogs', 'src:tg-balakhna']), weights), 'the same trouble in the same feed and category');
  t.false(sharesAnchor(dogs, again(['topic:stray-dogs', 'src:vk-kstovo']), weights), 'another feed');
  t.false(sharesAnchor(dogs, again(['topic:stray-dogs', 'src:tg-balakhna'], 'education'), weights), 'another category');
  // A dump filed as ecology, whose later report was waste: told again as waste, it is the same category.
  const dump2 = candidate(['topic:dump', 'src:vk-voznesenskoe', 'cat:waste'], { category: 'ecology' });
  t.true(sharesAnchor(dump2, again(['topic:dump', 'src:vk-voznesenskoe'], 'waste'), weights), 'a category an earlier report had a fair chance of');
  t.false(sharesAnchor(dump2, again(['topic:dump', 'src:vk-voznesenskoe'], 'urban'), weights), 'one no report had');
  t.false(sharesAnchor(dogs, again(['topic:stray-dogs', 'street:ленин', 'src:tg-balakhna']), weights), 'a place of its own the incident does not have');
  t.true(sharesAnchor(dogs, again(['topic:stray-dogs', 'src:vk-kstovo', 'reply:persists']), weights), 'said to go on, from anywhere: the score and the vetoes still judge the place');
  t.false(sharesAnchor(dogs, again(['topic:school', 'src:tg-balakhna', 'reply:persists']), weights), 'the place only');
});

test('kindred troubles are no other trouble: a road dug up is its damage, muddy water the supply coming back', (t) => {
  const dug = candidate(['term:ям', 'street:фавор', 'topic:road-damage', 'area:павлово'], { category: 'roads' });
  const report = (topics: string[]) => reportKeysOf(['term:ям', 'street:фавор', ...topics, 'area:павлово', 'story:sto_k'], ['street:фавор', 'area:павлово'], weights, 'roads', ['roads']);
  t.not(incidentProbability(dug, report(['topic:construction']), context, settings), null);
  t.is(incidentProbability(dug, report(['topic:stray-dogs']), context, settings), null, 'an unrelated trouble');
  // "на Есенина во дворе каток" after "двор не чистили, колея по колено": one yard not cleared.
  const ruts = candidate(['term:ям', 'street:фавор', 'topic:snow', 'area:павлово'], { category: 'roads' });
  t.not(incidentProbability(ruts, report(['topic:ice']), context, settings), null);
  const water = candidate(['term:ям', 'street:фавор', 'topic:water-supply', 'area:павлово'], { category: 'housing' });
  const muddy = reportKeysOf(['term:ям', 'street:фавор', 'topic:water-quality', 'area:павлово', 'story:sto_m'], ['street:фавор', 'area:павлово'], weights, 'housing', ['housing']);
  t.not(incidentProbability(water, muddy, context, settings), null);
  // "коминтерна 41 подтверждаю холодные. и горячей воды нет": one heat main feeds both.
  const cold = candidate(['term:ям', 'addr:комин|41', 'street:комин', 'topic:heating', 'area:нижний новгород'], { category: 'housing' });
  const hot = reportKeysOf(['term:ям', 'addr:комин|41', 'topic:water-supply', 'area:нижний новгород', 'story:sto_h'], ['street:комин', 'area:нижний новгород'], weights, 'housing', ['housing']);
  t.not(incidentProbability(cold, hot, context, settings), null);
  // "Баумана 44 тоже нет, и светофор на перекрёстке погас": the traffic light is out with the power.
  const outage = candidate(['kind:power', 'topic:power', 'street:перех', 'area:нижний новгород', 'src:vk-l'], { category: 'energy' });
  const reply = reportKeysOf(['term:свет', 'addr:баума|44', 'topic:traffic-light', REPLY_KEY, 'area:нижний новгород', 'src:vk-l', 'story:sto_r'], ['street:баума', 'area:нижний новгород'], weights, 'roads', ['roads']);
  t.is(incidentFeatures(outage, reply, context), 'same-area-wide');
});

test('a place in common is no trouble in common: two troubles named at one stop or clinic are two problems', (t) => {
  const lights = candidate(['term:ям', 'street:ларин', 'topic:street-light', 'topic:bus-stop', 'area:нижний новгород'], { category: 'urban' });
  const bus = (topics: string[]) => reportKeysOf(['term:ям', 'street:ларин', ...topics, 'area:нижний новгород', 'story:sto_b'], ['street:ларин', 'area:нижний новгород'], weights, 'urban', ['urban']);
  t.is(incidentProbability(lights, bus(['topic:bus-service', 'topic:bus-stop']), context, settings), null);
  t.not(incidentProbability(lights, bus(['topic:street-light']), context, settings), null, 'the same trouble');
  t.not(incidentProbability(lights, bus(['topic:bus-stop']), context, settings), null, 'the place alone names no other trouble');
});

test('a route in common makes categories related: the classifier files a question about a bus anywhere', (t) => {
  const bus = candidate(['term:ям', 'route:43', 'topic:bus-service', 'area:нижний новгород'], { category: 'transport' });
  const question = (route: string) => reportKeysOf(['term:ям', route, 'area:нижний новгород', 'story:sto_q'], [route, 'area:нижний новгород'], weights, 'ecology', ['ecology']);
  t.not(incidentProbability(bus, question('route:43'), context, settings), null);
  t.is(incidentProbability(bus, question('route:45'), context, settings), null, 'another route');
});

test('the same trouble told again in the same feed relates the categories within two days, or later when it says it goes on', (t) => {
  // "рейс на 5.50 так и не вернули" a week after a cancelled bus the classifier filed as urban.
  const bus = candidate(['term:рейс', 'topic:bus-service', 'area:княгинино', 'src:vk-knyaginino'], { category: 'urban' });
  const again = (keys: string[]) => reportKeysOf(['term:рейс', 'topic:bus-service', 'area:княгинино', 'src:vk-knyaginino', ...keys, 'story:sto_b'], ['area:княгинино'], weights, 'transport', ['transport']);
  const weekOn = { ...context, windowHours: 336, seenAt: Date.parse('2026-11-08T02:00:00.000Z') };
  t.not(incidentFeatures(bus, again([PERSISTS_KEY]), weekOn), 'veto');
  t.is(incidentFeatures(bus, again([]), weekOn), 'veto', 'not said to go on: two days only');
  t.not(incidentFeatures(bus, again([]), context), 'veto', 'within two days');
});

test('two districts of one city, named or read off the streets, are two places, even for one outage at a time', (t) => {
  const avtozavod = candidate(['kind:power', 'topic:power', 'area:нижний новгород', 'district:автозаводский район'], { category: 'energy' });
  const shcherbinki = ours(['свет'], ['kind:power', 'topic:power', 'area:нижний новгород', 'district:приокский район'], 'energy');
  t.is(incidentFeatures(avtozavod, shcherbinki, context), 'veto');
  t.is(incidentFeatures(avtozavod, ours(['свет'], ['kind:power', 'topic:power', 'area:нижний новгород', 'district:автозаводский район'], 'energy'), context), 'same-area-wide');
  t.is(incidentFeatures(avtozavod, ours(['свет'], ['kind:power', 'topic:power', 'area:нижний новгород'], 'energy'), context), 'same-area-wide', 'no district, no veto');
  // A bus route runs through several districts.
  const route43 = candidate(['term:ходи', 'route:43', 'topic:bus-service', 'area:нижний новгород', 'district:автозаводский район'], { category: 'transport' });
  const sormovo = (route: string) => ours(['ходи'], [route, 'topic:bus-service', 'area:нижний новгород', 'district:сормовский район'], 'transport');
  t.not(incidentFeatures(route43, sormovo('route:43'), context), 'veto');
  t.is(incidentFeatures(route43, sormovo('route:40'), context), 'veto');
});

test('a power outage is no news of a trouble that is none, unless it names the street lights', (t) => {
  const lamps = candidate(['term:фона', 'street:пушки', 'topic:street-light', 'area:лукоянов', 'src:tg-l'], { category: 'urban' });
  const outage = ['kind:power', 'topic:power', 'topic:street-light', 'area:лукоянов', 'src:tg-l', 'street:пушки'];
  t.is(incidentFeatures(lamps, ours(['свет'], outage, 'energy'), context), 'veto');
  t.not(incidentFeatures(lamps, ours(['фона'], [...outage, LAMPS_KEY], 'energy'), context), 'veto');
});

test("an outage whose end was told gets no anchored window: the boiler failing again a week on is the next episode", (t) => {
  const boiler = candidate(['street:южная', 'topic:heating', 'kind:heat', ENDED_KEY, 'area:вача'], { category: 'housing' });
  t.false(sharesAnchor(boiler, ours(['котел'], ['street:южная', 'topic:heating', 'area:вача'], 'housing'), weights));
  t.true(sharesAnchor(boiler, ours(['котел'], ['street:южная', 'topic:heating', 'area:вача', PERSISTS_KEY], 'housing'), weights), 'said to go on');
  t.true(sharesAnchor(candidate(['street:южная', 'topic:heating', 'kind:heat', 'area:вача'], { category: 'housing' }), ours(['котел'], ['street:южная', 'topic:heating', 'area:вача'], 'housing'), weights));
});

test('an outage\'s end joins it up to a day after its last complaint', (t) => {
  const outage = candidate(['kind:heat', 'street:киров', 'street:львов', 'addr:киров|10', 'area:нижний новгород'], { category: 'housing' });
  const nextMorning = { ...context, seenAt: Date.parse('2026-11-01T16:00:00.000Z') };
  const back = (extra: string[]) => ours(['отоп'], ['kind:heat', 'street:леско', 'addr:леско|40', 'area:нижний новгород', ...extra], 'housing');
  t.is(incidentProbability(outage, back(['reply:ended']), nextMorning, settings), 1);
  t.not(incidentProbability(outage, back([]), nextMorning, settings), 1, 'a complaint that late is another outage');
  t.not(incidentProbability(outage, back(['reply:ended']), { ...context, seenAt: Date.parse('2026-11-02T06:00:00.000Z') }, settings), 1);
});

test("an outage's end told at another house of its one street joins it; a complaint there does not", (t) => {
  const boiler = candidate(['kind:heat', 'street:калин', 'addr:калин|8', 'topic:heating', 'area:ветлуга'], { category: 'housing' });
  const at = (extra: string[]) => ours(['бата'], ['kind:heat', 'street:калин', 'addr:калин|12', 'topic:heating', 'area:ветлуга', ...extra], 'housing');
  t.is(incidentProbability(boiler, at(['reply:ended']), context, settings), 1);
  t.is(incidentProbability(boiler, at([]), context, settings), null, 'a second house of one street: another riser');
});

test('rarestTerms keeps the rarest terms when there are too many', (t) => {
  const terms = ['ям', 'ошар', 'бели', 'ям'].map((key) => ({ key, weight: weights.weight(key) }));
  t.deepEqual(rarestTerms(terms, weights, 2).map((term) => term.key).sort(), ['бели', 'ошар']);
});

test('a report tells its feed\'s incident again when it names no place, shares the trouble and says it goes on', (t) => {
  const dogs = candidate(['area:шахунья', 'topic:stray-dogs', 'src:tg-shakhunya'], { category: 'safety' });
  const again = (keys: string[], category = 'safety') => reportKeysOf(['term:соба', ...keys, 'story:sto_t'], keys, weights, category, [category]);
  t.true(sameThread(dogs, again(['area:шахунья', 'topic:stray-dogs', 'src:tg-shakhunya', 'reply:persists']), weights));
  t.false(sameThread(dogs, again(['area:шахунья', 'topic:stray-dogs', 'src:tg-shakhunya']), weights), 'not said to go on');
  t.false(sameThread(dogs, again(['area:шахунья', 'topic:stray-dogs', 'src:vk-other', 'reply:persists']), weights), 'another feed');
  t.false(sameThread(dogs, again(['area:шахунья', 'topic:stray-dogs', 'street:ленин', 'src:tg-shakhunya', 'reply:persists']), weights), 'a place of its own');
  t.false(sameThread(dogs, again(['area:шахунья', 'topic:school', 'src:tg-shakhunya', 'reply:persists']), weights), 'a place topic is no trouble');
  // A district the incident lacks is a place of its own; the feed's own town named is none.
  const lift = candidate(['street:белин', 'addr:белин|61', 'area:нижний новгород', 'topic:elevator', 'src:vk-p'], { category: 'housing' });
  const liftAgain = (keys: string[]) => reportKeysOf(['term:лифт', ...keys, 'story:sto_t'], keys, weights, 'housing', ['housing']);
  t.false(sameThread(lift, liftAgain(['muni:автозаводский район', 'area:нижний новгород', 'topic:elevator', 'src:vk-p', 'reply:persists']), weights), 'another district');
  t.true(sameThread(lift, liftAgain(['area:нижний новгород', 'topic:elevator', 'src:vk-p', 'reply:persists']), weights));
  t.true(sameThread(dogs, again(['muni:шахунья', 'area:шахунья', 'topic:stray-dogs', 'src:tg-shakhunya', 'reply:persists']), weights), 'the feed\'s own town');
  t.false(sameThread(dogs, again(['area:шахунья', 'topic:stray-dogs', 'src:tg-shakhunya', 'reply:persists'], 'urban'), weights), 'another category');
  const outage = candidate(['area:шахунья', 'kind:heat', 'topic:heating', 'src:tg-shakhunya'], { category: 'housing' });
  t.false(sameThread(outage, again(['area:шахунья', 'topic:heating', 'src:tg-shakhunya', 'reply:persists'], 'housing'), weights), 'an outage has its own rules');
});

test('a report tells its route\'s incident again from any feed and any stop when it shares the trouble, said to go on or not', (t) => {
  const route = candidate(['area:кстово', 'route:7', 'topic:bus-service', 'src:ok-kstovo'], { category: 'transport' });
  const again = (keys: string[], category = 'transport') => reportKeysOf(['term:ждал', ...keys, 'story:sto_t'], keys, weights, category, ['transport']);
  t.true(sameThread(route, again(['area:кстово', 'route:7', 'street:шохин', 'topic:bus-service', 'src:vk-other', 'reply:persists']), weights));
  // "Автобус А-68 — это издевательство. Интервал 35–45 минут" five days after "кто ездит на 68-м?".
  t.true(sameThread(route, again(['area:кстово', 'route:7', 'topic:bus-service', 'src:vk-other']), weights));
  t.false(sameThread(route, again(['area:кстово', 'route:7', 'topic:stop-equipment', 'src:vk-other']), weights), 'another trouble on the route');
  t.false(sameThread(route, again(['area:кстово', 'route:7', 'topic:bus-service', 'src:vk-other'], 'safety'), weights), 'another category');
  t.false(sameThread(route, again(['area:кстово', 'route:40', 'topic:bus-service', 'src:ok-kstovo', 'reply:persists']), weights), 'another route');
});

test("a report of a numbered organisation's trouble tells that incident again from any feed, said to go on or not", (t) => {
  const school = candidate(['area:балахна', 'org:school|4', 'topic:heating', 'topic:school', 'src:tg-balakhna'], { category: 'education' });
  const again = (keys: string[]) => reportKeysOf(['term:тепл', ...keys, 'story:sto_s'], keys, weights, 'education', ['education']);
  // "Управление образования: в МБОУ СОШ № 4 выявлена неисправность теплового узла".
  t.true(sameThread(school, again(['area:балахна', 'org:school|4', 'topic:heating', 'topic:school', 'src:news-balakhna']), weights));
  t.false(sameThread(school, again(['area:балахна', 'org:school|5', 'topic:heating', 'topic:school', 'src:news-balakhna']), weights), 'another school');
  t.false(sameThread(school, again(['area:балахна', 'org:school|4', 'topic:roof-leak', 'topic:school', 'src:news-balakhna']), weights), 'another trouble at the school');
  // "14 сад — опять холодно" filed under housing: a related category at the same organisation.
  const housing = (related: string[]) => reportKeysOf(['term:холо', 'org:school|4', 'topic:heating', 'story:sto_h'], ['org:school|4'], weights, 'housing', related);
  t.true(sameThread(school, housing(['housing', 'education']), weights));
  t.false(sameThread(school, housing(['housing']), weights), 'an unrelated category');
});

test('a stop is no other place of a route, and a route\'s stop no shared place of a report naming no route', (t) => {
  const route = candidate(['term:ям', 'area:бор', 'route:7', 'street:ленин', 'topic:bus-service']);
  t.is(feature(route, ours(['ям'], ['area:бор', 'route:7', 'street:мира', 'topic:bus-service']), 'otherStreet'), 0);
  t.is(feature(route, ours(['ям'], ['area:бор', 'street:мира', 'topic:bus-service']), 'otherStreet'), 1);
  t.is(feature(route, ours(['ям'], ['area:бор', 'route:7', 'street:ленин', 'topic:bus-service']), 'sharedStreet'), 1);
  t.is(feature(route, ours(['ям'], ['area:бор', 'street:ленин', 'topic:bus-service']), 'sharedStreet'), 0, 'roadworks at a stop of the route');
  t.is(feature(candidate(['term:ям', 'area:бор', 'street:ленин']), ours(['ям'], ['area:бор', 'street:ленин']), 'sharedStreet'), 1);
});

test('one more house on a street an outage was reported from joins it when the outage spans several streets, within its window', (t) => {
  // "Мы жители домов по бульвару Мещерский 7, 9": the hot water outage already named the boulevard.
  const outage = candidate(['kind:water', 'street:маркс', 'addr:маркс|56', 'street:мещер', 'area:нижний новгород'], { category: 'housing' });
  const report = ours(['вод'], ['kind:water', 'street:мещер', 'addr:мещер|7', 'area:нижний новгород'], 'housing');
  const nextDay = { ...context, windowHours: 48, seenAt: Date.parse('2026-11-02T09:00:00.000Z') };
  t.is(incidentFeatures(outage, report, nextDay), 'same-area-wide');
  t.is(incidentFeatures(outage, ours(['вод'], ['kind:water', 'street:ленин', 'addr:ленин|7', 'area:нижний новгород'], 'housing'), nextDay), 'veto', 'a street it was not reported from');
  const oneStreet = candidate(['kind:water', 'street:мещер', 'addr:мещер|11', 'area:нижний новгород'], { category: 'housing' });
  t.is(incidentFeatures(oneStreet, report, nextDay), 'veto', 'one street: another house is another problem');
  t.not(incidentFeatures(candidate([...outage.placeKeys, ENDED_KEY], { category: 'housing' }), report, nextDay), 'same-area-wide', 'its end was told: the score decides');
});

test('a smell drifts over district lines within the area-wide window; an outage does not', (t) => {
  const sormovo = candidate(['kind:smell', 'topic:burning', 'area:нижний новгород', 'muni:сормовский район', 'district:сормовский район'], { category: 'ecology' });
  const moskovsky = ours(['дыша'], ['kind:smell', 'topic:smell', 'area:нижний новгород', 'muni:московский район', 'district:московский район'], 'ecology');
  t.is(incidentFeatures(sormovo, moskovsky, context), 'same-area-wide');
  t.is(incidentFeatures(sormovo, moskovsky, { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') }), 'veto', 'the next evening is another district again');
  const outage = candidate(['kind:water', 'area:нижний новгород', 'muni:сормовский район'], { category: 'housing' });
  t.is(incidentFeatures(outage, ours(['вод'], ['kind:water', 'area:нижний новгород', 'muni:московский район'], 'housing'), context), 'veto');
});

test("a smell that names a trouble of its own is about that trouble, not the town's smell of the evening", (t) => {
  const burning = candidate(['kind:smell', 'topic:burning', 'topic:emission', 'area:нижний новгород'], { category: 'ecology' });
  t.is(incidentFeatures(burning, ours(['гари'], ['kind:smell', 'topic:smell', 'area:нижний новгород'], 'ecology'), context), 'same-area-wide');
  // "пятно ещё больше, запах бензина" at the canal's oil spill.
  t.not(incidentFeatures(burning, ours(['пятн'], ['kind:smell', 'topic:smell', 'topic:water-pollution', 'area:нижний новгород'], 'ecology'), context), 'same-area-wide');
  // "горит сухая трава и мусор на пустыре": what burns is the smoke's cause, not a trouble of its own.
  t.is(incidentFeatures(burning, ours(['гари'], ['kind:smell', 'topic:smell', 'topic:burning', 'topic:grass', 'topic:garbage', 'area:нижний новгород'], 'ecology'), context), 'same-area-wide');
  t.not(incidentFeatures(burning, ours(['гари'], ['kind:smell', 'topic:smell', 'topic:grass', 'topic:garbage', 'area:нижний новгород'], 'ecology'), context), 'same-area-wide', 'nothing said to burn');
});

test('each area-wide kind keeps absorbing reports for its own hours: a burst main for a day, a power cut for hours', (t) => {
  const byKind = { ...context, areaWideHoursByKind: defaultConfig.dedup.areaWideHoursByKind, seenAt: Date.parse('2026-11-01T20:00:00.000Z') };
  const water = candidate(['kind:water', 'street:ленина', 'area:бор'], { category: 'housing' });
  t.is(incidentFeatures(water, ours(['вод'], ['kind:water', 'street:маяковского', 'area:бор'], 'housing'), byKind), 'same-area-wide');
  t.not(incidentFeatures(water, ours(['вод'], ['kind:water', 'street:маяковского', 'area:бор'], 'housing'), { ...byKind, areaWideHoursByKind: {} }), 'same-area-wide', 'six hours by default');
  const power = candidate(['kind:power', 'street:ленина', 'area:бор'], { category: 'energy' });
  t.not(incidentFeatures(power, ours(['свет'], ['kind:power', 'street:маяковского', 'area:бор'], 'energy'), byKind), 'same-area-wide');
});

test('one more house of an outage reported from one street joins it when it says "me too" in the same feed, within its hours', (t) => {
  const gasCut = candidate(['kind:gas', 'street:берез', 'addr:берез|88', 'area:нижний новгород', 'src:vk-moskovsky'], { category: 'housing' });
  const house90 = (keys: string[]) => ours(['газа'], ['kind:gas', 'street:берез', 'addr:берез|90', 'area:нижний новгород', ...keys], 'housing');
  t.is(incidentFeatures(gasCut, house90(['src:vk-moskovsky', ME_TOO_KEY]), context), 'same-area-wide');
  t.is(incidentFeatures(gasCut, house90(['src:vk-moskovsky']), context), 'veto', 'no "me too": another house');
  t.is(incidentFeatures(gasCut, house90(['src:tg-other', ME_TOO_KEY]), context), 'veto', 'another feed');
  t.is(incidentFeatures(gasCut, house90(['src:vk-moskovsky', ME_TOO_KEY]), { ...context, seenAt: Date.parse('2026-11-01T08:00:00.000Z') }), 'veto', 'past its hours');
});

test('two crossings of one avenue are two places; one more street of a crossing report is not', (t) => {
  const lights = candidate(['term:свет', 'street:ванее', 'street:лопат', 'topic:traffic-light', 'area:нижний новгород'], { category: 'roads' });
  const at = (streets: string[]) => reportKeysOf(['term:свет', ...streets, 'topic:traffic-light', 'area:нижний новгород', 'story:sto_c'], [...streets, 'area:нижний новгород'], weights, 'roads', ['roads']);
  t.is(feature(lights, at(['street:ванее', 'street:бекет']), 'otherStreet'), 1, 'Ванеева/Бекетова is another crossing');
  t.is(feature(lights, at(['street:ванее', 'street:лопат']), 'otherStreet'), 0);
  t.is(feature(lights, at(['street:ванее']), 'otherStreet'), 0, 'the avenue alone');
});

test("one house's outage said to go on stays open three weeks unless its end was told or it spans streets; a district's, four days", (t) => {
  const dedup = defaultConfig.dedup;
  const gasCut = (extra: string[] = []) => candidate(['kind:gas', 'street:красн', 'addr:красн|5', 'area:нижний новгород', ...extra], { category: 'energy' });
  // "Краснодонцев 5 — газа так и нет, уже 10-й день", nine days on.
  const stillNone = ours(['газ'], ['kind:gas', 'street:красн', 'addr:красн|5', 'area:нижний новгород', PERSISTS_KEY], 'energy');
  const at = Date.parse('2026-11-10T00:00:00.000Z');
  t.is(reportWindow(dedup, gasCut(), stillNone, at, weights), 21 * 24);
  t.is(incidentFeatures(gasCut(), stillNone, { ...context, seenAt: at }), 'same-area-wide');
  t.is(reportWindow(dedup, gasCut([ENDED_KEY]), stillNone, at, weights), null, 'its end was told: "снова свет отключили" is the next one');
  t.is(reportWindow(dedup, gasCut(['street:ленин', 'addr:ленин|8']), stillNone, at, weights), null, "a district's outage: one house then is its own riser");
  t.is(reportWindow(dedup, gasCut(), ours(['газ'], ['kind:gas', 'street:красн', 'area:нижний новгород', PERSISTS_KEY], 'energy'), at, weights), null, 'the street alone keeps to four days');
});

test('a street of no known district from another feed does not join an outage of a district by the city alone; its own feed, a shared street, or a smell does', (t) => {
  const sormovo = candidate(['kind:power', 'topic:power', 'street:комин', 'area:нижний новгород', 'district:сормовский район', 'src:vk-sormovo'], { category: 'energy' });
  // "пр Ленина 93 без света": the avenue crosses two districts, and Автозавод is out too that evening.
  const lenina = (source: string) => ours(['свет'], ['kind:power', 'topic:power', 'street:ленин', 'area:нижний новгород', source], 'energy');
  t.not(incidentFeatures(sormovo, lenina('src:vk-avtozavod'), context), 'same-area-wide');
  t.is(incidentFeatures(sormovo, lenina('src:vk-sormovo'), context), 'same-area-wide', 'its own feed');
  t.is(incidentFeatures(sormovo, ours(['свет'], ['kind:power', 'topic:power', 'street:комин', 'area:нижний новгород', 'src:vk-avtozavod'], 'energy'), context), 'same-area-wide', 'its street');
  t.is(incidentFeatures(sormovo, ours(['свет'], ['kind:power', 'topic:power', 'area:нижний новгород', 'src:vk-avtozavod'], 'energy'), context), 'same-area-wide', 'no street named');
  const smoke = candidate(['kind:smell', 'topic:smell', 'street:комин', 'area:нижний новгород', 'district:сормовский район'], { category: 'ecology' });
  t.is(incidentFeatures(smoke, ours(['гар'], ['kind:smell', 'topic:smell', 'street:южное', 'area:нижний новгород', 'src:vk-avtozavod'], 'ecology'), context), 'same-area-wide', 'smoke drifts');
});

test("a reply in a smell's thread drifts over district lines with it", (t) => {
  const smoke = candidate(['kind:smell', 'topic:burning', 'area:нижний новгород', 'muni:автозаводский район', 'district:автозаводский район', 'src:vk-nn'], { category: 'ecology' });
  // "Московский район — то же самое, у ребёнка кашель начался", in the thread's feed.
  const reply = (source: string) => reportKeysOf(['term:кашел', 'muni:московский район', 'district:московский район', 'area:нижний новгород', source, REPLY_KEY, 'story:sto_r'], [], weights, 'ecology', ['ecology']);
  t.is(incidentFeatures(smoke, reply('src:vk-nn'), context), 'same-area-wide');
  t.is(incidentFeatures(smoke, reply('src:tg-other'), context), 'veto', 'another feed: no thread');
  const outage = candidate(['kind:power', 'area:нижний новгород', 'muni:автозаводский район', 'src:vk-nn'], { category: 'energy' });
  t.is(incidentFeatures(outage, reportKeysOf(['term:темн', 'muni:московский район', 'area:нижний новгород', 'src:vk-nn', REPLY_KEY, 'story:sto_r'], [], weights, 'energy', ['energy']), context), 'veto', 'a cable does not drift');
});

test('a thread reply joins the outage only when what it names is the outage or its symptoms: no insulin at a pharmacy is no reply', (t) => {
  const burst = candidate(['kind:water', 'topic:water-supply', 'topic:social-benefits', 'street:белин', 'area:нижний новгород', 'src:vk-nn'], { category: 'housing' });
  const reply = (topics: string[]) => reportKeysOf(['term:нет', ...topics, 'area:нижний новгород', 'src:vk-nn', REPLY_KEY, 'story:sto_r'], [], weights, 'housing', ['housing', 'health', 'social']);
  t.is(incidentFeatures(burst, reply([]), context), 'same-area-wide');
  t.is(incidentFeatures(burst, reply(['topic:water-quality']), context), 'same-area-wide', 'the water come back rusty');
  t.not(incidentFeatures(burst, reply(['topic:clinic', 'topic:social-benefits']), context), 'same-area-wide');
});

test("an outage's end may come up to a day after its last complaint, past its category's window", (t) => {
  const cut = candidate(['kind:power', 'topic:power', 'area:тонкино'], { category: 'energy' });
  const back = (keys: string[]) => ours(['свет'], ['kind:power', 'area:тонкино', ...keys], 'social');
  const at = Date.parse('2026-11-01T13:20:00.000Z');
  t.true((reportWindow(defaultConfig.dedup, cut, back([ENDED_KEY]), at, weights) ?? 0) >= 24);
  t.true((reportWindow(defaultConfig.dedup, cut, back([]), at, weights) ?? 0) < 13, 'not an end: the outage hours');
});

test("a house's own trouble from a feed that never names the house is no match for a report from elsewhere that names one", (t) => {
  // "лифт во втором подъезде стоит" in one block's group, then "Молодежный 86, лифт не работает" in the district's.
  const blockLift = candidate(['term:лифт', 'topic:elevator', 'area:нижний новгород', 'src:vk-dom-vaneeva-127'], { category: 'housing' });
  const named = (source: string) =>
    reportKeysOf(['term:лифт', 'addr:молод|86', 'street:молод', 'topic:elevator', 'area:нижний новгород', source, 'story:sto_l'], ['street:молод', 'area:нижний новгород'], weights, 'housing', ['housing']);
  t.is(incidentFeatures(blockLift, named('src:vk-avtozavod-rayon'), context), 'veto');
  t.not(incidentFeatures(blockLift, named('src:vk-dom-vaneeva-127'), context), 'veto', 'the block\'s own group naming its house');
  const onStreet = candidate(['term:лифт', 'street:молод', 'topic:elevator', 'area:нижний новгород', 'src:vk-dom-vaneeva-127'], { category: 'housing' });
  t.not(incidentFeatures(onStreet, named('src:vk-avtozavod-rayon'), context), 'veto', 'an incident with a street of its own is judged by the score');
});
