/**
 * Pins what the promoted classical model says about a few posts, so that speed work on features,
 * logits and cues cannot change a probability unnoticed. The model file is read directly, not
 * through the registry, so promoting another model does not touch these figures.
 */
import test from 'ava';
import type { Urgency } from '../../core/types.js';
import { createBaselineToolkit } from '../index.js';
import { readModelFile } from './model-file.js';
import { TrainedClassifier } from './trained-classifier.js';
import { TrainedFakeScorer } from './trained-fake-scorer.js';

const MODEL = new URL('../../models/radar-classic/74e549ef18f5.json.gz', import.meta.url).pathname;
const TOLERANCE = 1e-9;

type Row = readonly [boolean, number, string, number, string];

const cases: readonly {
  text: string;
  relevance: number;
  category: Readonly<Record<string, number>>;
  urgency: Urgency;
  segments: readonly Row[];
  fake: number;
  risk: { score: number; level: string; reasons: readonly string[] };
}[] = [
  {
    text: 'Третий день нет горячей воды на ул. Белинского, д. 32, батареи холодные. А ещё во дворе яма, машины бьют колёса!',
    relevance: 0.9999038493630953,
    category: { housing: 0.9706294887068323, roads: 0.009456364385573844, transport: 0.00002325414655456555, other: 0.000010270965281693735 },
    urgency: 'medium',
    segments: [[true, 0.999, 'housing', 1, 'high'], [true, 0.994, 'roads', 0.978, 'medium']],
    fake: 0.01035600873633961,
    risk: { score: 0.019, level: 'low', reasons: ['Быстрое распространение по многим источникам: 4 источника за 2 ч'] },
  },
  {
    text: 'Спасибо администрации за новый парк, очень красиво',
    relevance: 0.00014674687447927622,
    category: { housing: 0.006296770489429882, roads: 0.10607141573633397, transport: 0.007951257484154052, other: 0.05601535455748908 },
    urgency: 'low',
    segments: [[false, 0, 'urban', 0.618, 'low']],
    fake: 0.151975906751688,
    risk: { score: 0.246, level: 'low', reasons: ['Быстрое распространение по многим источникам: 4 источника за 2 ч'] },
  },
  {
    text: 'СРОЧНО!!! Передайте всем: в Дзержинске отравлена вода, знакомый врач сказал, 200 человек в больнице, власти скрывают!!!',
    relevance: 0.6214310273456719,
    category: { housing: 0.006300443163020647, roads: 0.00004070845826849581, transport: 0.0003726969011854488, other: 0.00008761970283677325 },
    urgency: 'high',
    segments: [[false, 0.406, 'urban', 0.363, 'high'], [true, 0.557, 'health', 0.99, 'high']],
    fake: 0.9999882587878397,
    risk: { score: 0.999, level: 'high', reasons: ['Текст похож на ложные сообщения из обучающей выборки (100 %)', 'Быстрое распространение по многим источникам: 4 источника за 2 ч', 'Призыв срочно распространить сообщение', 'Утверждение, что власти или СМИ скрывают информацию', 'Ссылка на неназванного «знакомого» или инсайдера', 'Алармистская лексика', 'Цифры без указания источника', 'Избыток восклицательных знаков'] },
  },
  {
    text: 'Автобус 45 не пришёл утром, ждали 40 минут на остановке Московский вокзал',
    relevance: 0.9869550841440343,
    category: { housing: 0.000007807235949356866, roads: 0.000019523235686638072, transport: 0.9998976116562548, other: 0.000005202842429734616 },
    urgency: 'low',
    segments: [[true, 0.987, 'transport', 1, 'low']],
    fake: 0.00777768810747501,
    risk: { score: 0.014, level: 'low', reasons: ['Быстрое распространение по многим источникам: 4 источника за 2 ч'] },
  },
];

const nlp = createBaselineToolkit();
const model = readModelFile(MODEL);
const classifier = new TrainedClassifier(model, nlp.taxonomy, 'pinned');
const fake = new TrainedFakeScorer(model, nlp.taxonomy);

for (const [i, c] of cases.entries()) {
  test(`radar-classic@74e549ef18f5 gives the pinned probabilities for post ${i + 1}`, (t) => {
    const doc = nlp.normalizer.normalize(c.text);
    const whole = classifier.score(doc, 0, doc.tokens.length);
    t.true(Math.abs(whole.relevance - c.relevance) < TOLERANCE, `relevance ${whole.relevance}, pinned ${c.relevance}`);
    for (const [label, p] of Object.entries(c.category)) {
      const got = whole.category.get(label) ?? Number.NaN;
      t.true(Math.abs(got - p) < TOLERANCE, `${label} ${got}, pinned ${p}`);
    }
    t.is(whole.urgency, c.urgency);
    const segments = classifier.classify(doc, nlp.splitter.split(doc)).map((s) => [s.isProblem, s.relevance, s.category, s.confidence, s.urgency]);
    t.deepEqual(segments, c.segments.map((s) => [...s]));
    const p = fake.textProbability(doc);
    t.true(Math.abs(p - c.fake) < TOLERANCE, `fake ${p}, pinned ${c.fake}`);
    t.deepEqual(fake.score(doc, { storySize: 3, storySources: 4, storySpanHours: 2 }), c.risk);
  });
}

test('a segment lists as alternatives the other categories given 0.2 or more, and only those', (t) => {
  const doc = nlp.normalizer.normalize('Во дворе не вывозят мусор и не горят фонари');
  const [segment] = classifier.classify(doc, nlp.splitter.split(doc));
  const scores = classifier.score(doc, 0, doc.tokens.length).category;
  t.is(segment?.category, 'urban');
  t.deepEqual(segment?.alternatives, ['waste']);
  t.true((scores.get('waste') ?? 0) >= 0.2);
  const clear = nlp.normalizer.normalize('Лифт не работает');
  t.is(classifier.classify(clear, nlp.splitter.split(clear))[0]?.alternatives, undefined, 'a confident segment has none');
});
