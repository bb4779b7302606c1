/**
 * The Q&A sets are only worth running if every expected value really is in the seed documents: a quote
 * that is not verbatim in a seed can never be cited, and a fact that is not in the cited document would
 * reward an invented number. These checks read the real seed files and the real set parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../evals/normalize.ts';
import { type EvalItem, parseSet } from '../evals/set-format.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS_DIR = path.join(ROOT, 'seeds');

/** Quotes must be short enough to pin one clause and long enough to be distinctive. */
const MIN_QUOTE_CHARS = 8;
const MAX_QUOTE_CHARS = 40;

/** Jiaxing states "到2027年" once; items tagged implicit-year rely on it for clauses without a year. */
const JIAXING_FILE = 'jiaxing-2024-health-modernisation-opinions.txt';

const REGION_FILES: Record<string, string> = {
  xinjian: 'nanchang-xinjian-2023-health-capacity-plan.txt',
  fengxian: 'shanghai-fengxian-2024-health-work-points.txt',
  jiaxing: JIAXING_FILE,
  changzhou: 'changzhou-2020-health-work-plan.txt',
  xining: 'xining-2024-health-service-system-plan.txt',
};

const PLAIN_TAGS = new Set([
  'zh',
  'en',
  'table',
  'comparison',
  'unanswerable',
  'followup',
  'metadata',
  'implicit-year',
  'target',
]);

interface Seed {
  file: string;
  text: string;
  lines: string[];
  /** Index of the first pipe-table row; lines from here on belong to the attached work list. */
  tableStart: number;
}

interface QuoteSource {
  seed: Seed;
  line: string;
  lineIndex: number;
}

function loadSeeds(): Seed[] {
  return readdirSync(SEEDS_DIR)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(SEEDS_DIR, file), 'utf8');
      const lines = text.split('\n');
      const firstRow = lines.findIndex((line) => line.trimEnd().endsWith('|'));
      return { file, text, lines, tableStart: firstRow === -1 ? Number.POSITIVE_INFINITY : firstRow };
    });
}

const seeds = loadSeeds();

function quoteSources(quote: string): QuoteSource[] {
  const sources: QuoteSource[] = [];
  for (const seed of seeds) {
    seed.lines.forEach((line, lineIndex) => {
      if (line.includes(quote)) sources.push({ seed, line, lineIndex });
    });
  }
  return sources;
}

function citedFiles(item: EvalItem): Set<string> {
  return new Set(item.quotes.flatMap((quote) => quoteSources(quote).map((source) => source.seed.file)));
}

function regionTags(item: EvalItem): string[] {
  return (item.tags ?? [])
    .filter((tag) => tag.startsWith('region:'))
    .map((tag) => tag.slice('region:'.length));
}

const hasTag = (item: EvalItem, tag: string) => (item.tags ?? []).includes(tag);
const isAnswerable = (item: EvalItem) => item.unanswerable !== true;

interface SetSpec {
  name: string;
  file: string;
  minItems: number;
  minEnglishShare: number;
  minZh: number;
  minTable: number;
  minComparison: number;
  minUnanswerable: number;
  minFollowup: number;
  minMetadata: number;
}

const EVAL_SETS: SetSpec[] = [
  {
    name: 'gold',
    file: 'evals/gold/seeds.jsonl',
    minItems: 150,
    minEnglishShare: 0.4,
    minZh: 1,
    minTable: 25,
    minComparison: 15,
    minUnanswerable: 20,
    minFollowup: 10,
    minMetadata: 10,
  },
  {
    name: 'dev',
    file: 'evals/sets/dev.jsonl',
    minItems: 60,
    minEnglishShare: 0.4,
    minZh: 1,
    minTable: 10,
    minComparison: 0,
    minUnanswerable: 10,
    minFollowup: 5,
    minMetadata: 5,
  },
  {
    name: 'heldout',
    file: 'evals/sets/heldout.jsonl',
    minItems: 50,
    minEnglishShare: 0.4,
    minZh: 1,
    minTable: 10,
    minComparison: 0,
    minUnanswerable: 10,
    minFollowup: 5,
    minMetadata: 5,
  },
  {
    name: 'fresh',
    file: 'evals/sets/fresh.jsonl',
    minItems: 60,
    minEnglishShare: 0.4,
    minZh: 1,
    minTable: 10,
    minComparison: 5,
    minUnanswerable: 10,
    minFollowup: 5,
    minMetadata: 5,
  },
];

const EXAMPLES: SetSpec = {
  name: 'examples',
  file: 'evals/examples/example.jsonl',
  minItems: 6,
  minEnglishShare: 2 / 6,
  minZh: 2,
  minTable: 1,
  minComparison: 0,
  minUnanswerable: 1,
  minFollowup: 0,
  minMetadata: 0,
};

function readSet(spec: SetSpec): { items: EvalItem[]; problems: string[]; nonEmptyLines: number } {
  const text = readFileSync(path.join(ROOT, spec.file), 'utf8');
  const { items, problems } = parseSet(text);
  return {
    items,
    problems: problems.map((problem) => `${spec.file}:${problem.line}: ${problem.message}`),
    nonEmptyLines: text.split('\n').filter((line) => line.trim() !== '').length,
  };
}

describe.each([...EVAL_SETS, EXAMPLES])('$name set ($file)', (spec) => {
  const { items, problems, nonEmptyLines } = readSet(spec);

  it('parses every line as an eval item', () => {
    expect(problems).toEqual([]);
    expect(items.length).toBe(nonEmptyLines);
  });

  it('has unique ids', () => {
    // parseSet drops a repeated id as a problem, so count ids on the raw lines to name every repeat.
    const rawIds = readFileSync(path.join(ROOT, spec.file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { id?: unknown }).id);
    const seen = new Set<unknown>();
    const duplicates = rawIds.filter((id) => seen.has(id) || !seen.add(id));
    expect(duplicates).toEqual([]);
  });

  it('quotes are single-line spans copied verbatim from a seed file', () => {
    const failures: string[] = [];
    for (const item of items) {
      for (const quote of item.quotes) {
        if (/[\r\n]/.test(quote)) failures.push(`${item.id}: quote "${quote}" contains a line break`);
        else if (quoteSources(quote).length === 0)
          failures.push(`${item.id}: quote "${quote}" is in no seed`);
        if (quote.length < MIN_QUOTE_CHARS || quote.length > MAX_QUOTE_CHARS) {
          failures.push(`${item.id}: quote "${quote}" has ${quote.length} characters`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('facts of answerable items are values from the cited clauses or documents', () => {
    const failures: string[] = [];
    for (const item of items.filter(isAnswerable)) {
      if (item.facts.length === 0) failures.push(`${item.id}: answerable item has no facts`);
      if (item.quotes.length === 0) failures.push(`${item.id}: answerable item has no quotes`);
      const sources = item.quotes.flatMap(quoteSources);
      const lines = sources.map((source) => normalizeForMatch(source.line));
      const documents = [...new Set(sources.map((source) => source.seed))].map((seed) =>
        normalizeForMatch(seed.text),
      );
      for (const fact of item.facts) {
        const needle = normalizeForMatch(fact);
        const found =
          lines.some((line) => line.includes(needle)) || documents.some((doc) => doc.includes(needle));
        if (!found)
          failures.push(`${item.id}: fact "${fact}" is not in the lines or documents its quotes cite`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('unanswerable items carry no facts or quotes and say so in their tags', () => {
    const failures: string[] = [];
    for (const item of items) {
      const tagged = hasTag(item, 'unanswerable');
      if (item.unanswerable === true) {
        if (item.facts.length > 0)
          failures.push(`${item.id}: unanswerable item has facts ${item.facts.join(', ')}`);
        if (item.quotes.length > 0) failures.push(`${item.id}: unanswerable item has quotes`);
        if (!tagged) failures.push(`${item.id}: unanswerable item lacks the unanswerable tag`);
      } else if (tagged) {
        failures.push(`${item.id}: tagged unanswerable but "unanswerable" is not true`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('tags come from the agreed vocabulary and match what the item cites', () => {
    const failures: string[] = [];
    for (const item of items) {
      for (const tag of item.tags ?? []) {
        const region = tag.startsWith('region:') ? tag.slice('region:'.length) : null;
        if (region === null ? !PLAIN_TAGS.has(tag) : !(region in REGION_FILES)) {
          failures.push(`${item.id}: unknown tag "${tag}"`);
        }
      }
      if (hasTag(item, 'zh') === hasTag(item, 'en'))
        failures.push(`${item.id}: needs exactly one of zh / en`);
      if (hasTag(item, 'zh') && !/[\u4e00-\u9fff]/u.test(item.question)) {
        failures.push(`${item.id}: tagged zh but the question has no Chinese`);
      }
      if (hasTag(item, 'en') && (item.question.match(/[A-Za-z]{2,}/g) ?? []).length < 2) {
        failures.push(`${item.id}: tagged en but the question is not English`);
      }
      if (!isAnswerable(item)) continue;

      const cited = citedFiles(item);
      const tagged = new Set(regionTags(item).map((region) => REGION_FILES[region]));
      const missing = [...cited].filter((file) => !tagged.has(file));
      const extra = [...tagged].filter((file) => file !== undefined && !cited.has(file));
      if (missing.length > 0) failures.push(`${item.id}: cites ${missing.join(', ')} without a region tag`);
      if (extra.length > 0)
        failures.push(`${item.id}: region tag for ${extra.join(', ')} but no quote from it`);
      if (hasTag(item, 'comparison') && cited.size < 2) {
        failures.push(`${item.id}: comparison quotes only ${[...cited].join(', ')}`);
      }
      if (hasTag(item, 'implicit-year') && !cited.has(JIAXING_FILE)) {
        failures.push(`${item.id}: implicit-year is for Jiaxing's 2027 targets but no Jiaxing quote`);
      }
      if (hasTag(item, 'table')) {
        const inTable = item.quotes
          .flatMap(quoteSources)
          .some((source) => source.lineIndex >= source.seed.tableStart);
        if (!inTable) failures.push(`${item.id}: tagged table but no quote comes from a work-list table row`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('follow-ups carry a history that alternates user/assistant and ends with the answer', () => {
    const failures: string[] = [];
    for (const item of items) {
      const history = item.history ?? [];
      if (hasTag(item, 'followup') !== history.length > 0) {
        failures.push(`${item.id}: followup tag and history disagree`);
        continue;
      }
      history.forEach((turn, index) => {
        const expected = index % 2 === 0 ? 'user' : 'assistant';
        if (turn.role !== expected) failures.push(`${item.id}: history turn ${index} is ${turn.role}`);
      });
      if (history.length > 0 && history.at(-1)?.role !== 'assistant') {
        failures.push(`${item.id}: history should end with the assistant's answer`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('has the required mix of items', () => {
    const count = (tag: string) => items.filter((item) => hasTag(item, tag)).length;
    const followups = items.filter(
      (item) => hasTag(item, 'followup') && (item.history ?? []).length > 0,
    ).length;
    expect(items.length, 'items').toBeGreaterThanOrEqual(spec.minItems);
    expect(count('en') / items.length, 'share tagged en').toBeGreaterThanOrEqual(spec.minEnglishShare);
    expect(count('zh'), 'tagged zh').toBeGreaterThanOrEqual(spec.minZh);
    expect(count('table'), 'tagged table').toBeGreaterThanOrEqual(spec.minTable);
    expect(count('comparison'), 'tagged comparison').toBeGreaterThanOrEqual(spec.minComparison);
    expect(items.filter((item) => item.unanswerable === true).length, 'unanswerable').toBeGreaterThanOrEqual(
      spec.minUnanswerable,
    );
    expect(followups, 'follow-ups with history').toBeGreaterThanOrEqual(spec.minFollowup);
    expect(count('metadata'), 'tagged metadata').toBeGreaterThanOrEqual(spec.minMetadata);
  });
});

describe('gold, dev and heldout sets', () => {
  const loaded = EVAL_SETS.map((spec) => ({ spec, items: readSet(spec).items }));

  it('never ask the same question twice', () => {
    // Tuning on dev must not leak into gold or heldout, so a question may live in one set only. A
    // follow-up such as "and in 2025?" is a different question under a different history.
    const key = (item: EvalItem) =>
      normalizeForMatch(
        [...(item.history ?? []).map((turn) => turn.content), item.question].join('\n'),
      ).toLowerCase();
    const owner = new Map<string, string>();
    const failures: string[] = [];
    for (const { spec, items } of loaded) {
      for (const item of items) {
        const previous = owner.get(key(item));
        if (previous !== undefined)
          failures.push(`${spec.name}:${item.id} repeats ${previous}: "${item.question}"`);
        owner.set(key(item), `${spec.name}:${item.id}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('use ids that are unique across sets', () => {
    const owner = new Map<string, string>();
    const failures: string[] = [];
    for (const { spec, items } of loaded) {
      for (const item of items) {
        const previous = owner.get(item.id);
        if (previous !== undefined && previous !== spec.name)
          failures.push(`${item.id} in ${previous} and ${spec.name}`);
        owner.set(item.id, spec.name);
      }
    }
    expect(failures).toEqual([]);
  });
});
