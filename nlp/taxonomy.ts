import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Category, Taxonomy } from './contract.js';

/**
 * Default categories of a regional situation centre. Ids are stable API values; labels are what
 * operators see. Scope notes live here because the lexicon follows them:
 * - housing: heating, water, sewage, elevators, entrances, roofs, basements, management companies, bills;
 * - roads: surface, potholes, snow/ice on roadways, markings, signs, traffic lights, bridges, parking;
 * - urban: yards, playgrounds, parks, yard sidewalks, street lighting, greenery, benches, graffiti, snow in yards, manholes;
 * - energy: power and gas supply; safety: stray dogs, dangerous buildings, public order.
 */
export const defaultTaxonomy: Taxonomy = {
  categories: [
    { id: 'housing', label: 'ЖКХ' },
    { id: 'roads', label: 'Дороги' },
    { id: 'waste', label: 'Мусор и ТКО' },
    { id: 'urban', label: 'Благоустройство' },
    { id: 'transport', label: 'Общественный транспорт' },
    { id: 'health', label: 'Здравоохранение' },
    { id: 'education', label: 'Образование' },
    { id: 'social', label: 'Социальная защита' },
    { id: 'energy', label: 'Энергетика' },
    { id: 'ecology', label: 'Экология' },
    { id: 'safety', label: 'Безопасность' },
    { id: 'other', label: 'Прочее' },
  ],
  fallback: 'other',
};

const categorySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'id must be lower-case latin, digits, "_" or "-"'),
  label: z.string().min(1),
});

const taxonomySchema = z
  .object({
    categories: z.array(categorySchema).min(1),
    fallback: z.string().min(1),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.categories.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `duplicate category id "${c.id}"` });
      seen.add(c.id);
    });
    if (!seen.has(value.fallback)) {
      ctx.addIssue({ code: 'custom', path: ['fallback'], message: `expected one of the category ids, received "${value.fallback}"` });
    }
  });

/** Renders zod issues as `path: message` lines; zod 4 messages already say what was expected and received. */
export const formatIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');

export const parseJsonFile = (path: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`Invalid JSON in ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
};

export const parseTaxonomy = (value: unknown, origin = 'taxonomy'): Taxonomy => {
  const parsed = taxonomySchema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid ${origin}: ${formatIssues(parsed.error)}`);
  const categories: Category[] = parsed.data.categories.map((c) => ({ id: c.id, label: c.label }));
  return { categories, fallback: parsed.data.fallback };
};

/** Reads a taxonomy JSON file (`{ categories: [{ id, label }], fallback }`); errors name the field, expected and received. */
export const loadTaxonomy = (path: string): Taxonomy => parseTaxonomy(parseJsonFile(path, 'taxonomy file'), `taxonomy ${path}`);
