import test from 'ava';
import { areaWideKind } from './area-wide.js';
import { BaselineNormalizer } from './normalize.js';

const kind = (text: string) => areaWideKind(new BaselineNormalizer().normalize(text).tokens);

test('outages and smells are area-wide; a broken traffic light or one flat is not', (t) => {
  t.is(kind('Кстово без света! Весь город?'), 'power');
  t.is(kind('у нас в микрорайоне воды нет ни холодной ни горячей'), 'water');
  t.is(kind('дали свет на Островского, у кого ещё нет?'), 'power');
  t.is(kind('в сормово на коминтерна дом без отопления уже почти неделю'), 'heat');
  t.is(kind('Западный посёлок — газ еле горит, конфорки не горят, нет давления'), 'gas');
  t.is(kind('Дзержинск, запах хлора на Петрищева, окна закрыли'), 'smell');
  t.is(kind('Что за вонь в городе? Химией пахнет'), 'smell');
  t.is(kind('светофор на Светлоярской не работает'), null);
  t.is(kind('яма на дороге у дома 5, вода стоит'), null);
});
