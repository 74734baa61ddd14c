import test from 'ava';
import type { AddressFact, Facts } from '../core/types.js';
import { keysOfKind, placeOf } from './place-keys.js';

const facts = (...addresses: AddressFact[]): Facts => ({ addresses, locations: [], organizations: [], dates: [], phones: [] });
const at = (text: string, street: string, house?: string): AddressFact => ({ text, span: { start: 0, end: text.length }, street, ...(house ? { house } : {}) });

test('a house range written after the house covers every house in it', (t) => {
  const range = placeOf(facts(at('пр. Циолковского 21-29', 'проспект Циолковского', '21')), facts(), null);
  t.deepEqual(keysOfKind(range.stored, 'addr'), ['21', '22', '23', '24', '25', '26', '27', '28', '29'].map((h) => `addr:циолк|${h}`));
  t.deepEqual(keysOfKind(range.stored, 'street'), ['street:циолк']);
});

test('one house, a lettered house, or a stretch too long to be a list of houses stays one house', (t) => {
  t.deepEqual(keysOfKind(placeOf(facts(at('Циолковского 25', 'проспект Циолковского', '25')), facts(), null).stored, 'addr'), ['addr:циолк|25']);
  t.deepEqual(keysOfKind(placeOf(facts(at('Ленина 5а-7', 'улица Ленина', '5а')), facts(), null).stored, 'addr'), ['addr:ленин|5а']);
  t.deepEqual(keysOfKind(placeOf(facts(at('Ленина 2-120', 'улица Ленина', '2')), facts(), null).stored, 'addr'), ['addr:ленин|2']);
  // A range that runs backwards is no range.
  t.deepEqual(keysOfKind(placeOf(facts(at('Ленина 29-21', 'улица Ленина', '29')), facts(), null).stored, 'addr'), ['addr:ленин|29']);
});

const withLocation = (location: Facts['locations'][number], ...addresses: AddressFact[]): Facts => ({ ...facts(...addresses), locations: [location] });

test("a trip's end is no place in another town's feed; in its own city's feed it says no more than the feed", (t) => {
  const trip = withLocation({ text: 'Нижний', span: { start: 10, end: 16 }, municipality: 'Нижний Новгород', trip: true });
  t.deepEqual(keysOfKind(placeOf(trip, trip, null, 'Чкаловск').stored, 'muni'), []);
  t.deepEqual(keysOfKind(placeOf(trip, trip, null, 'Чкаловск').stored, 'area'), ['area:чкаловск']);
  t.deepEqual(keysOfKind(placeOf(trip, trip, null, 'Нижний Новгород').stored, 'muni'), ['muni:нижний новгород']);
});

test("a street's district is a `district:` key for a report from its city only; a named district is one too", (t) => {
  const lescova = { ...at('ул. Лескова', 'улица Лескова'), district: { name: 'Автозаводский район', city: 'Нижний Новгород' } };
  t.deepEqual(keysOfKind(placeOf(facts(lescova), facts(lescova), null, 'Нижний Новгород').stored, 'district'), ['district:автозаводский район']);
  t.deepEqual(keysOfKind(placeOf(facts(lescova), facts(lescova), null, 'Кстово').stored, 'district'), []);
  t.deepEqual(keysOfKind(placeOf(facts(lescova), facts(lescova), null, 'Нижний Новгород').stored, 'muni'), [], 'a veto, not a likeness');
  const named = withLocation({ text: 'Щербинках', span: { start: 0, end: 9 }, municipality: 'Приокский район', part: 'Щербинки' });
  t.deepEqual(keysOfKind(placeOf(named, named, null, 'Нижний Новгород').stored, 'district'), ['district:приокский район']);
  const visited = withLocation({ text: 'Канавино', span: { start: 0, end: 8 }, municipality: 'Канавинский район', trip: true });
  t.deepEqual(keysOfKind(placeOf(visited, visited, null, 'Нижний Новгород').stored, 'district'), [], "a trip's end is no district of the report");
});

test("a town inside an organisation's name is the company's home, not the place, when the source says where it is", (t) => {
  const text = 'АО «Газпром газораспределение Нижний Новгород» сообщает о повреждении газопровода на ул. Кирова';
  const post: Facts = {
    addresses: [at('ул. Кирова', 'улица Кирова')],
    locations: [{ text: 'Нижний Новгород', span: { start: 31, end: 46 }, municipality: 'Нижний Новгород' }],
    organizations: [{ text: text.slice(0, 47), span: { start: 0, end: 47 }, kind: 'company' }],
    dates: [],
    phones: [],
  };
  t.deepEqual(keysOfKind(placeOf(post, post, null, 'Городец').stored, 'area'), ['area:городец']);
  t.deepEqual(keysOfKind(placeOf(post, post, null, 'Городец').stored, 'muni'), []);
  t.deepEqual(keysOfKind(placeOf(post, post, null).stored, 'muni'), ['muni:нижний новгород'], 'with no source area it is the best guess');
});

test('a school or kindergarten numbered in words is the same as in digits', (t) => {
  const org = (text: string, kind: 'school' | 'kindergarten'): Facts => ({ addresses: [], locations: [], organizations: [{ text, span: { start: 0, end: text.length }, kind }], dates: [], phones: [] });
  t.deepEqual(keysOfKind(placeOf(org('четвёртой школе', 'school'), facts(), null).stored, 'org'), ['org:school|4']);
  t.deepEqual(keysOfKind(placeOf(org('школе №4', 'school'), facts(), null).stored, 'org'), ['org:school|4']);
  t.deepEqual(keysOfKind(placeOf(org('пятнадцатого садика', 'kindergarten'), facts(), null).stored, 'org'), ['org:kindergarten|15']);
  t.deepEqual(keysOfKind(placeOf(org('ЦРБ', 'school'), facts(), null).stored, 'org'), [], 'no number, no key');
});

test('a detour is no place of the problem: "объезжайте по Московскому шоссе" under a flooded bridge', (t) => {
  const detour: AddressFact = { ...at('Московскому шоссе', 'шоссе Московское'), detour: true };
  const place = placeOf(facts(at('ул. Июльских Дней', 'улица Июльских Дней'), detour), facts(), null);
  t.deepEqual(keysOfKind(place.stored, 'street'), ['street:дней']);
});

test("a cause's place is no place of the problem: \"это тоже из-за аварии в Канавино?\" from Ларина 17", (t) => {
  const cause = withLocation({ text: 'Канавино', span: { start: 40, end: 48 }, municipality: 'Канавинский район', cause: true });
  const place = placeOf(cause, cause, null, 'Нижний Новгород');
  t.deepEqual(keysOfKind(place.stored, 'muni'), []);
  t.deepEqual(keysOfKind(place.stored, 'district'), []);
  t.deepEqual(keysOfKind(place.stored, 'area'), ['area:нижний новгород']);
});
