/**
 * Converts a JSONL Q&A set into promptfoo test cases (see promptfooconfig.yaml):
 *   npx tsx evals/promptfoo/jsonl-to-promptfoo.ts --set <file.jsonl> [--out <tests.yaml>]
 * List-valued fields become JSON strings because promptfoo expands an array var into one test per
 * element. The output is JSON, which is also valid YAML, written to a .yaml file every promptfoo
 * version reads.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type EvalItem, parseSet } from '../set-format.ts';

/** Where promptfooconfig.yaml looks for the converted tests. */
export const DEFAULT_TESTS_PATH = join(
  fileURLToPath(new URL('..', import.meta.url)),
  'out',
  'promptfoo',
  'tests.yaml',
);

export interface PromptfooTestCase {
  description: string;
  vars: { question: string; history: string; facts: string; quotes: string; unanswerable: string };
  metadata: { id: string; tags: string[] };
}

export function toPromptfooTests(items: readonly EvalItem[]): PromptfooTestCase[] {
  return items.map((item) => ({
    description: `${item.id}: ${item.question}`,
    vars: {
      question: item.question,
      history: JSON.stringify(item.history ?? []),
      facts: JSON.stringify(item.facts),
      quotes: JSON.stringify(item.quotes),
      unanswerable: JSON.stringify(item.unanswerable === true),
    },
    metadata: { id: item.id, tags: item.tags ?? [] },
  }));
}

async function main(argv: string[]): Promise<number> {
  let values: { set?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { set: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (error) {
    process.stderr.write(`jsonl-to-promptfoo: ${(error as Error).message}\n`);
    return 2;
  }
  if (!values.set) {
    process.stderr.write(
      'Usage: npx tsx evals/promptfoo/jsonl-to-promptfoo.ts --set <file.jsonl> [--out <tests.yaml>]\n',
    );
    return 2;
  }
  let text: string;
  try {
    text = await readFile(values.set, 'utf8');
  } catch (error) {
    process.stderr.write(`jsonl-to-promptfoo: cannot read ${values.set}: ${(error as Error).message}\n`);
    return 2;
  }
  const { items, problems } = parseSet(text);
  for (const problem of problems)
    process.stderr.write(`${values.set}:${problem.line}: skipped: ${problem.message}\n`);
  const out = values.out ?? DEFAULT_TESTS_PATH;
  await mkdir(dirname(out), { recursive: true });
  const header = `# Generated from ${values.set} by evals/promptfoo/jsonl-to-promptfoo.ts; do not edit.\n`;
  await writeFile(out, `${header}${JSON.stringify(toPromptfooTests(items), null, 2)}\n`, 'utf8');
  process.stdout.write(`${items.length} tests written to ${out}\n`);
  return items.length > 0 ? 0 : 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
