import type { LocationFact } from '../../core/types.js';
import type { NormalizedDoc } from '../contract.js';
import { foldWord } from '../fold.js';
import type { GazetteerHit, GazetteerIndex, Municipality } from './gazetteer.js';

/** "до Нижнего", "из Арзамаса": whatever the case, a trip's end. */
const FROM_TO = /^(до|из|от)$/;
/** "в Нижний", "на Выксу": a trip's end when the name is in the accusative. */
const INTO = /^(в|во|на)$/;
/**
 * Taking or going somewhere: beside it, "в Канавино" is where someone went even though the name
 * does not decline ("ребенка к бабушке в Канавино отвезли").
 */
const MOTION = /^(отвез|увез|повез|перевез|переех|уех|поех|поеду|едем|езжу|ездим|ездил|отправил|перебрал|ночуем|ночевать)/;
/** How many words either side of the name a verb of motion may stand. */
const MOTION_REACH = 3;
/** "из-за аварии в Канавино": the cause's place, a few words after "из-за". */
const BECAUSE = /^из-за$/;
const BECAUSE_REACH = 3;
/** A place a district's adjective may name ("Сормовский парк", "Автозаводский рынок"). */
const LANDMARK = /^(парк|сквер|рын|вокзал|универмаг|тц$|дк$|дворец|стадион|пляж|бассейн|мост|кладбищ|роддом|больниц|поликлиник)/;
/** Between two towns of a route: "Урень — Нижний", "Урень-Нижний". */
const ROUTE_DASH = /^\s*[-–—]\s*$/;

/**
 * The accusative of a name whose accusative differs from where things are: "в Нижний" (not "в
 * Нижнем"), "на Выксу" (not "на Выксе"). Names that do not decline ("в Кстово") say nothing.
 */
const accusative = (text: string, municipality: Municipality): boolean => {
  const name = foldWord(municipality.name);
  const written = foldWord(text);
  if (/[оеи]$/.test(name)) return false;
  if (written === name || written === name.split(' ')[0]) return true;
  return /[ая]$/.test(name) && /[ую]$/.test(written) && written.slice(0, -1) === name.slice(0, -1);
};

/**
 * Municipality mentions resolved through the gazetteer; `municipality` is the canonical name. A
 * mention that names where a trip goes or comes from ("автобус на Нижний", "Урень — Нижний") is
 * marked `trip`: the problem is where the traveller stands, not there.
 */
export const extractLocations = (doc: NormalizedDoc, index: GazetteerIndex): LocationFact[] => {
  const hits = index.find(doc.clean, doc.tokens);
  return hits.map((hit, i) => {
    const start = (doc.tokens[hit.start] as { span: { start: number } }).span.start;
    const end = (doc.tokens[hit.end - 1] as { span: { end: number } }).span.end;
    const text = doc.clean.slice(start, end);
    return {
      text,
      span: { start, end },
      municipality: hit.municipality.name,
      ...(hit.part === undefined ? {} : { part: hit.part }),
      ...(isTrip(doc, hits, i, text) ? { trip: true } : {}),
      ...(afterBecause(doc, hits[i] as GazetteerHit) ? { cause: true } : {}),
    };
  });
};

const isTrip = (doc: NormalizedDoc, hits: readonly GazetteerHit[], i: number, text: string): boolean => {
  const hit = hits[i] as GazetteerHit;
  const before = doc.tokens[hit.start - 1]?.norm;
  // "в Сормовский парк" is into a park in the district, not a trip to the district.
  const landmark = LANDMARK.test(doc.tokens[hit.end]?.norm ?? '');
  if (before !== undefined && (FROM_TO.test(before) || (INTO.test(before) && !landmark && (accusative(text, hit.municipality) || movesNear(doc, hit))))) return true;
  const previous = hits[i - 1];
  if (previous === undefined || previous.end !== hit.start || previous.municipality === hit.municipality) return false;
  const gap = doc.clean.slice((doc.tokens[previous.end - 1] as { span: { end: number } }).span.end, (doc.tokens[hit.start] as { span: { start: number } }).span.start);
  return ROUTE_DASH.test(gap);
};

const afterBecause = (doc: NormalizedDoc, hit: GazetteerHit): boolean => {
  for (let i = Math.max(0, hit.start - BECAUSE_REACH); i < hit.start; i++) if (BECAUSE.test((doc.tokens[i] as { norm: string }).norm)) return true;
  return false;
};

const movesNear = (doc: NormalizedDoc, hit: GazetteerHit): boolean => {
  const from = Math.max(0, hit.start - 1 - MOTION_REACH);
  const to = Math.min(doc.tokens.length, hit.end + MOTION_REACH);
  for (let i = from; i < to; i++) if (MOTION.test((doc.tokens[i] as { norm: string }).norm)) return true;
  return false;
};
