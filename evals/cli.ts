/**
 * npm run eval -- --set <file.jsonl> [options]: runs a Q&A regression set, writes report.json, report.md
 * and report.html, prints a summary, and exits non-zero when a CI gate fails.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { ZhengceService } from '../server/service-types.ts';
import { compareToBaseline, readBaseline } from './baseline.ts';
import { type GateOptions, gateFailures } from './ci-gate.ts';
import { createHttpAsker } from './http-asker.ts';
import { formatDelta, formatMetric, METRIC_DEFINITIONS, type MetricKey } from './metrics.ts';
import { writeReportHtml } from './report-html.ts';
import { buildReport, type EvalReport, writeReportJson } from './report-json.ts';
import { writeReportMarkdown } from './report-markdown.ts';
import { type Ask, DEFAULT_CONCURRENCY, runSet } from './run-set.ts';
import type { ItemScore } from './score-item.ts';
import { parseSet } from './set-format.ts';

/** Without a TTY (CI logs) a progress line is printed every this many items. */
const PROGRESS_LINE_EVERY = 10;

const EXIT_OK = 0;
const EXIT_GATE_FAILED = 1;
const EXIT_USAGE = 2;

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run eval -- --set <file.jsonl> [options]

  --set <file.jsonl>             Q&A set to run (required)
  --out <dir>                    where reports go (default evals/out/<set name>)
  --baseline <report.json>       compare with an earlier run's report.json
  --min-answer-accuracy <0..1>   exit 1 when answer accuracy is lower
  --min-hit-at-5 <0..1>          exit 1 when hit@5 is lower
  --min-refusal-accuracy <0..1>  exit 1 when refusal accuracy is lower
  --fail-on-regression           exit 1 when an item that passed in the baseline fails now
  --server <url>                 ask a running server (POST <url>/api/ask) instead of answering in-process
  --index <dir>                  index folder for in-process runs (default $INDEX_DIR, else data/index)
  --corpus <dir>                 documents that index is built from, rebuilt when they changed
                                 (default $CORPUS_DIR, else seeds)
  --concurrency <n>              questions in flight at once (default ${DEFAULT_CONCURRENCY})
  --help                         show this text

Exit codes: 0 ok; 1 a threshold not met, a regression under --fail-on-regression, or an item that
failed with an error; 2 usage error, unreadable set or baseline, or the service could not start.`;

class UsageError extends Error {}

interface CliOptions {
  setPath: string;
  outDir: string;
  baselinePath: string | null;
  server: string | null;
  /** Null: the service's configured index (INDEX_DIR, default data/index). */
  indexDir: string | null;
  /** Null: the configured corpus (CORPUS_DIR, default seeds). */
  corpusDir: string | null;
  concurrency: number;
  gate: GateOptions;
}

function parseFraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`--${name} must be a number from 0 to 1, got "${value}"`);
  }
  return number;
}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        set: { type: 'string' },
        out: { type: 'string' },
        baseline: { type: 'string' },
        'min-answer-accuracy': { type: 'string' },
        'min-hit-at-5': { type: 'string' },
        'min-refusal-accuracy': { type: 'string' },
        'fail-on-regression': { type: 'boolean' },
        server: { type: 'string' },
        index: { type: 'string' },
        corpus: { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseCli(argv: string[]): CliOptions | 'help' {
  const values = readArgs(argv);
  if (values.help) return 'help';
  if (!values.set) throw new UsageError('--set <file.jsonl> is required');
  if (values.server && (values.index || values.corpus)) {
    throw new UsageError(
      '--index and --corpus apply to in-process runs; the server at --server uses its own index',
    );
  }
  if (values.server) {
    let url: URL;
    try {
      url = new URL(values.server);
    } catch {
      throw new UsageError(`--server must be a URL such as http://127.0.0.1:3000, got "${values.server}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--server must be an http(s) URL, got "${values.server}"`);
    }
  }
  if (values['fail-on-regression'] && !values.baseline) {
    throw new UsageError('--fail-on-regression needs --baseline <report.json>');
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UsageError(`--concurrency must be a positive integer, got "${values.concurrency}"`);
    }
  }
  const setName = basename(values.set, extname(values.set));
  return {
    setPath: values.set,
    outDir: values.out ?? join(PROJECT_ROOT, 'evals', 'out', setName),
    baselinePath: values.baseline ?? null,
    server: values.server ?? null,
    indexDir: values.index ?? null,
    corpusDir: values.corpus ?? null,
    concurrency,
    gate: {
      minAnswerAccuracy: parseFraction('min-answer-accuracy', values['min-answer-accuracy']),
      minHitAt5: parseFraction('min-hit-at-5', values['min-hit-at-5']),
      minRefusalAccuracy: parseFraction('min-refusal-accuracy', values['min-refusal-accuracy']),
      failOnRegression: values['fail-on-regression'] ?? false,
    },
  };
}

async function createInProcessAsk(indexDir: string | null, corpusDir: string | null): Promise<Ask> {
  // Loaded only for in-process runs so --server works without the index or the answering stack.
  const { createService } = await import('../server/service.ts');
  let stage = '';
  const service: ZhengceService = await createService({
    ...(indexDir ? { indexDir: resolve(indexDir) } : {}),
    ...(corpusDir ? { corpusDir: resolve(corpusDir) } : {}),
    // createService builds a missing or stale index first; say so, as that can take a while.
    onProgress: (progress) => {
      if (progress.stage === stage) return;
      stage = progress.stage;
      process.stderr.write(`eval: building the index: ${stage}\n`);
    },
    log: (message) => process.stderr.write(`eval: ${message}\n`),
  });
  return (req) => service.ask(req);
}

interface Progress {
  update(done: number, total: number, score: ItemScore): void;
  stop(): void;
}

function createProgress(total: number): Progress {
  let passed = 0;
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: 'eval [{bar}] {value}/{total} | {passed} passed | {id}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { passed: 0, id: '' });
    return {
      update(done, _total, score) {
        if (score.passed) passed += 1;
        bar.update(done, { passed, id: score.item.id });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update(done, all, score) {
      if (score.passed) passed += 1;
      if (done % PROGRESS_LINE_EVERY === 0 || done === all) {
        process.stderr.write(`eval: ${done}/${all} items, ${passed} passed\n`);
      }
    },
    stop() {},
  };
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The per-tag table in the summary: what a kind of question gets right and how often it is refused. */
const TAG_SUMMARY_COLUMNS: readonly { key: MetricKey; header: string }[] = [
  { key: 'answerAccuracy', header: 'Answer' },
  { key: 'leadAccuracy', header: 'Lead' },
  { key: 'citationPrecision', header: 'Cit.prec' },
  { key: 'refusalAccuracy', header: 'Refused' },
  { key: 'falseRefusalRate', header: 'Wrong ref.' },
];

function tagSummary(report: EvalReport): string[] {
  const entries = Object.entries(report.tags);
  if (entries.length === 0) return [];
  const tagWidth = Math.max(3, ...entries.map(([tag]) => tag.length)) + 2;
  const columns = TAG_SUMMARY_COLUMNS.map((column) => ({
    ...column,
    definition: METRIC_DEFINITIONS.find((definition) => definition.key === column.key)!,
  }));
  const lines = [
    '',
    'Per tag (Answer = answer accuracy, Refused = refusal accuracy, Wrong ref. = false-refusal rate):',
    pad('Tag', tagWidth) + pad('Items', 7) + columns.map((column) => pad(column.header, 11)).join(''),
  ];
  for (const [tag, metrics] of entries) {
    lines.push(
      pad(tag, tagWidth) +
        pad(String(metrics.items), 7) +
        columns.map((column) => pad(formatMetric(column.definition, metrics[column.key]), 11)).join(''),
    );
  }
  return lines;
}

function printSummary(report: EvalReport, paths: string[]): void {
  const m = report.metrics;
  const out: string[] = [
    `${report.set.name}: ${m.items} items (${m.answerable} answerable, ${m.unanswerable} unanswerable), ${m.passed} passed, ${m.errors} errors`,
    '',
  ];
  const baseline = report.baseline;
  const labelWidth = Math.max(...METRIC_DEFINITIONS.map((definition) => definition.label.length)) + 2;
  out.push(pad('Metric', labelWidth) + pad('Value', 11) + (baseline ? `${pad('Baseline', 11)}Δ` : ''));
  for (const definition of METRIC_DEFINITIONS) {
    let line = pad(definition.label, labelWidth) + pad(formatMetric(definition, m[definition.key]), 11);
    if (baseline) {
      const delta = baseline.deltas.find((entry) => entry.key === definition.key);
      line +=
        pad(formatMetric(definition, delta?.baseline ?? null), 11) +
        formatDelta(definition, delta?.delta ?? null);
    }
    out.push(line);
  }
  out.push(...tagSummary(report));
  if (baseline) {
    out.push(
      '',
      `Against ${baseline.path}: ${baseline.regressions.length} regressions, ${baseline.fixes.length} fixes`,
    );
    for (const item of baseline.regressions) out.push(`  regressed: ${item.id}  ${item.question}`);
    for (const item of baseline.fixes) out.push(`  fixed:     ${item.id}  ${item.question}`);
  }
  out.push('', 'Reports:', ...paths.map((path) => `  ${displayPath(path)}`));
  process.stdout.write(`${out.map((line) => line.trimEnd()).join('\n')}\n`);
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseCli(argv);
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`eval: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  let text: string;
  try {
    text = await readFile(options.setPath, 'utf8');
  } catch (error) {
    process.stderr.write(`eval: cannot read set ${options.setPath}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const { items, problems } = parseSet(text);
  for (const problem of problems) {
    process.stderr.write(`${options.setPath}:${problem.line}: skipped: ${problem.message}\n`);
  }
  if (items.length === 0) {
    process.stderr.write(`eval: ${options.setPath} has no valid items\n`);
    return EXIT_USAGE;
  }

  let baseline: Awaited<ReturnType<typeof readBaseline>> | null = null;
  if (options.baselinePath) {
    try {
      baseline = await readBaseline(options.baselinePath);
    } catch (error) {
      process.stderr.write(`eval: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }

  let ask: Ask;
  let target: string;
  if (options.server) {
    ask = createHttpAsker(options.server, {
      onRateLimited: (waitMs) =>
        process.stderr.write(
          `eval: the server rate-limited this run (429); waiting ${Math.ceil(waitMs / 1000)} s. ` +
            'Raise its rate limit for long sets; the wait counts in that item’s latency.\n',
        ),
    });
    target = options.server;
  } else {
    const indexLabel = options.indexDir ?? process.env.INDEX_DIR ?? 'the configured index';
    target = `in-process (${indexLabel})`;
    try {
      ask = await createInProcessAsk(options.indexDir, options.corpusDir);
    } catch (error) {
      process.stderr.write(
        `eval: could not start the service over ${indexLabel}: ${(error as Error).message}\n` +
          'To evaluate a running server instead, pass --server <url>.\n',
      );
      return EXIT_USAGE;
    }
  }

  const startedAt = new Date();
  const progress = createProgress(items.length);
  const scores = await runSet(items, ask, {
    concurrency: options.concurrency,
    onProgress: (done, total, score) => progress.update(done, total, score),
  });
  progress.stop();

  const report = buildReport({
    setName: basename(options.setPath, extname(options.setPath)),
    setPath: options.setPath,
    problems,
    target,
    startedAt,
    finishedAt: new Date(),
    scores,
  });
  if (baseline && options.baselinePath) {
    report.baseline = compareToBaseline(report, baseline, options.baselinePath);
  }

  const paths = [
    await writeReportJson(options.outDir, report),
    await writeReportMarkdown(options.outDir, report),
    await writeReportHtml(options.outDir, report),
  ];
  printSummary(report, paths);

  const failures = gateFailures(report, options.gate);
  for (const failure of failures) process.stderr.write(`eval: FAIL: ${failure}\n`);
  return failures.length > 0 ? EXIT_GATE_FAILED : EXIT_OK;
}

// Exit explicitly: an in-process service may hold timers or worker threads that would keep Node alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_USAGE);
  },
);
