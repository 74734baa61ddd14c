import { z } from 'zod';
import { foldWord } from '../fold.js';
import { tokenize } from '../normalize.js';
import { streetStem } from './street-key.js';
import { formatIssues, parseJsonFile } from '../taxonomy.js';

export type MunicipalityType = 'city' | 'city_district' | 'town' | 'settlement' | 'district';

/** A named neighbourhood inside a municipality (a microdistrict), which people name instead of it. */
export interface MunicipalityPart {
  readonly name: string;
  readonly forms: readonly string[];
  readonly strictForms?: readonly string[];
}

export interface Municipality {
  /** Canonical name, used as `LocationFact.municipality`. */
  readonly name: string;
  readonly type: MunicipalityType;
  /** Case-insensitive surface forms: inflections, abbreviations ("Н.Новгород"). */
  readonly forms: readonly string[];
  /** Forms that are ordinary words in lower case ("Бор", "Нижнем"), matched only as written. */
  readonly strictForms?: readonly string[];
  /** Canonical name of the enclosing municipality (a city district's city). */
  readonly parent?: string;
  /** Microdistricts ("Щербинки" in Приокский район): a mention of one is a mention of this municipality. */
  readonly parts?: readonly MunicipalityPart[];
  /**
   * Streets wholly inside this city district ("улица Лескова"): a report from its city that names
   * one is in this district. Streets that run through several districts are left out.
   */
  readonly streets?: readonly string[];
}

export interface Gazetteer {
  readonly region: string;
  readonly municipalities: readonly Municipality[];
}

const municipalitySchema = z.object({
  name: z.string().min(1),
  type: z.enum(['city', 'city_district', 'town', 'settlement', 'district']),
  forms: z.array(z.string().min(1)),
  strictForms: z.array(z.string().min(1)).optional(),
  parent: z.string().min(1).optional(),
  parts: z
    .array(z.object({ name: z.string().min(1), forms: z.array(z.string().min(1)), strictForms: z.array(z.string().min(1)).optional() }))
    .optional(),
  streets: z.array(z.string().min(1)).optional(),
});

const gazetteerSchema = z
  .object({ region: z.string().min(1), municipalities: z.array(municipalitySchema).min(1) })
  .superRefine((g, ctx) => {
    const names = new Set(g.municipalities.map((m) => m.name));
    g.municipalities.forEach((m, i) => {
      if (m.parent !== undefined && !names.has(m.parent)) {
        ctx.addIssue({ code: 'custom', path: ['municipalities', i, 'parent'], message: `expected a municipality name, received "${m.parent}"` });
      }
    });
  });

export const parseGazetteer = (value: unknown, origin = 'gazetteer'): Gazetteer => {
  const parsed = gazetteerSchema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid ${origin}: ${formatIssues(parsed.error)}`);
  return parsed.data as Gazetteer;
};

/** Reads and validates a gazetteer JSON file; errors name the field, expected and received. */
export const loadGazetteer = (path: string): Gazetteer => parseGazetteer(parseJsonFile(path, 'gazetteer file'), `gazetteer ${path}`);

interface Form {
  readonly norms: readonly string[];
  /** Exact token texts (ё folded) for strict forms. */
  readonly exact?: readonly string[];
  readonly municipality: Municipality;
  readonly part?: string;
}

export interface GazetteerHit {
  /** Token indexes, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly municipality: Municipality;
  /** The microdistrict named, when the mention names one. */
  readonly part?: string;
}

const NUMBERED_PART = /-\d{1,2}$/;

const foldYo = (s: string): string => s.replaceAll('ё', 'е').replaceAll('Ё', 'Е');

/** Token-sequence matcher over all forms; longest form wins at each position. */
export class GazetteerIndex {
  private readonly byFirst = new Map<string, Form[]>();
  private readonly byName = new Map<string, Municipality>();
  /** Street key to its district; null where two districts list streets of one key. */
  private readonly districtByStreet = new Map<string, Municipality | null>();

  constructor(readonly gazetteer: Gazetteer) {
    for (const m of gazetteer.municipalities) {
      this.addName(m.name, m);
      for (const f of m.forms) this.add(f, m, false);
      for (const f of m.strictForms ?? []) this.add(f, m, true);
      for (const street of m.streets ?? []) {
        const key = streetStem(street);
        const known = this.districtByStreet.get(key);
        this.districtByStreet.set(key, known === undefined || known === m ? m : null);
      }
      for (const part of m.parts ?? []) {
        for (const f of part.forms) this.add(f, m, false, part.name);
        for (const f of part.strictForms ?? []) this.add(f, m, true, part.name);
      }
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.norms.length - a.norms.length);
  }

  private addName(text: string, m: Municipality): void {
    const key = tokenize(text).map((t) => t.norm).join(' ');
    if (key && !this.byName.has(key)) this.byName.set(key, m);
  }

  private add(text: string, m: Municipality, strict: boolean, part?: string): void {
    const tokens = tokenize(text);
    const first = tokens[0];
    if (!first) return;
    const form: Form = {
      norms: tokens.map((t) => t.norm),
      ...(strict ? { exact: tokens.map((t) => foldYo(text.slice(t.span.start, t.span.end))) } : {}),
      municipality: m,
      ...(part === undefined ? {} : { part }),
    };
    const list = this.byFirst.get(first.norm);
    if (list) list.push(form);
    else this.byFirst.set(first.norm, [form]);
    // "на Щербинках 5" is no address in a town called Щербинки.
    if (part === undefined) this.addName(text, m);
  }

  /** Canonical name for a settlement written in an address ("Бору" → "Бор"), if known. */
  resolve(name: string): string | undefined {
    const key = name
      .split(/[\s-]+/)
      .map(foldWord)
      .join(' ');
    return this.byName.get(key)?.name;
  }

  /** The city district a street is in and its city, when the gazetteer lists it in exactly one. */
  districtOf(street: string): { readonly name: string; readonly city: string } | undefined {
    const district = this.districtByStreet.get(streetStem(street));
    return district?.parent === undefined ? undefined : { name: district.name, city: district.parent };
  }

  find(clean: string, tokens: readonly { readonly norm: string; readonly span: { start: number; end: number } }[]): GazetteerHit[] {
    const hits: GazetteerHit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const norm = (tokens[i] as { norm: string }).norm;
      // A numbered part of a microdistrict is in it: "Щербинках-2" is in "Щербинках".
      const forms = this.byFirst.get(norm) ?? this.byFirst.get(norm.replace(NUMBERED_PART, ''));
      if (!forms) continue;
      for (const form of forms) {
        if (i + form.norms.length > tokens.length) continue;
        let ok = true;
        for (let k = 0; k < form.norms.length && ok; k++) {
          const t = tokens[i + k] as (typeof tokens)[number];
          ok = t.norm === form.norms[k] || (k === form.norms.length - 1 && t.norm.replace(NUMBERED_PART, '') === form.norms[k]);
          if (ok && form.exact) ok = foldYo(clean.slice(t.span.start, t.span.end)).replace(NUMBERED_PART, '') === form.exact[k];
          // Multi-token forms must be contiguous in the text ("Н. Новгород"), not spread over a sentence.
          if (ok && k > 0) ok = t.span.start - (tokens[i + k - 1] as (typeof tokens)[number]).span.end <= 3;
        }
        if (ok) {
          hits.push({ start: i, end: i + form.norms.length, municipality: form.municipality, ...(form.part === undefined ? {} : { part: form.part }) });
          i += form.norms.length - 1;
          break;
        }
      }
    }
    return hits;
  }
}
