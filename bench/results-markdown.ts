/** bench/RESULTS.md, generated from results.json: every figure here is read from the run, none typed. */
import { postgresSection } from './postgres-markdown.ts';
import type { BenchResults, CorpusResult, RetrievalSide } from './results.ts';
import { median } from './stats.ts';

const ms = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b && !Number.isNaN(a) && !Number.isNaN(b) ? `${(a / b).toFixed(2)}×` : '—';
const mib = (x: number) => `${x} MiB`;

interface Bar {
  what: string;
  bar: string;
  value: string;
  met: boolean | null;
}

function bars(results: BenchResults): Bar[] {
  const largest = results.corpora.filter((c) => c.name !== 'seeds').at(-1);
  const seeds = results.corpora.find((c) => c.name === 'seeds');
  const out: Bar[] = [];
  if (largest) {
    const chunks = largest.ingest.counts.chunks;
    const at = `at ${largest.name} (${chunks} chunks)`;
    const l10 = largest.server.load.find((l) => l.connections === 10 && l.cache);
    out.push(
      {
        what: `full answer p95 ${at}`,
        bar: '≤ 30 ms',
        value: ms(largest.queries.overall.answer.p95),
        met: (largest.queries.overall.answer.p95 ?? Infinity) <= 30,
      },
      {
        what: `HTTP answers/s, 10 connections ${at}`,
        bar: '≥ 300/s',
        value: l10 ? `${l10.answersPerSecond}/s` : '—',
        met: l10 ? l10.answersPerSecond >= 300 : null,
      },
      {
        what: `HTTP p99, 10 connections ${at}`,
        bar: '≤ 250 ms',
        value: l10 ? ms(l10.p99Ms) : '—',
        met: l10 ? l10.p99Ms <= 250 : null,
      },
      ...uncachedRows(largest, 300, at),
      {
        what: `HTTP errors ${at}`,
        bar: '0',
        value: String(largest.server.load.reduce((s, l) => s + l.errors + l.non2xx, 0)),
        met: largest.server.load.every((l) => l.errors + l.non2xx === 0),
      },
      {
        what: `start-up to first /healthz ${at} (median)`,
        bar: '≤ 2 s',
        value: ms(largest.server.startupMedianMs),
        met: (largest.server.startupMedianMs ?? Infinity) <= 2000,
      },
      {
        what: `… to the first answer (English; the dictionary is built after listening) ${at} (median)`,
        bar: '—',
        value: ms(median(largest.server.firstAnswerMs)),
        met: null,
      },
      {
        what: `server RSS ${at} (highest seen)`,
        bar: '≤ 800 MiB',
        value: mib(Math.max(largest.server.rssReadyMiB, ...largest.server.load.map((l) => l.rssAfterMiB))),
        met: Math.max(largest.server.rssReadyMiB, ...largest.server.load.map((l) => l.rssAfterMiB)) <= 800,
      },
      {
        what: `ingest throughput ${at}`,
        bar: '≥ 3,000 chunks/s',
        value: `${Math.round(chunks / largest.ingest.seconds)} chunks/s`,
        met: chunks / largest.ingest.seconds >= 3000,
      },
      {
        what: `slowest /healthz while the all-places question runs ${at}`,
        bar: '≤ 50 ms',
        value: ms(largest.server.healthzDuringAllPlacesMs),
        met:
          largest.server.healthzDuringAllPlacesMs === null
            ? null
            : largest.server.healthzDuringAllPlacesMs <= 50,
      },
    );
  }
  if (seeds) {
    const l10 = seeds.server.load.find((l) => l.connections === 10 && l.cache);
    out.push({
      what: 'HTTP answers/s on the seeds, 10 connections',
      bar: '≥ 1,000/s',
      value: l10 ? `${l10.answersPerSecond}/s` : '—',
      met: l10 ? l10.answersPerSecond >= 1000 : null,
    });
    out.push(...uncachedRows(seeds, 1000, 'on the seeds'));
    const ours = seeds.baselines.ours.hitAt5;
    const lc = seeds.baselines.langchain.hitAt5;
    out.push({
      what: 'gold-set hit@5, ours − naive LangChain recipe',
      bar: '≥ +0.15',
      value:
        ours !== null && lc !== null && !Number.isNaN(lc)
          ? `${ours.toFixed(3)} − ${lc.toFixed(3)} = ${(ours - lc).toFixed(3)}`
          : '—',
      met: ours !== null && lc !== null && !Number.isNaN(lc) ? ours - lc >= 0.15 : null,
    });
  }
  return out;
}

/** The same load with the answer cache off: every request answered afresh (shown beside the bar, not instead of it). */
function uncachedRows(c: CorpusResult, perSecond: number, at: string): Bar[] {
  const l = c.server.load.find((x) => x.connections === 10 && !x.cache);
  if (!l) return [];
  return [
    {
      what: `… the same with the answer cache off (every request answered afresh) ${at}`,
      bar: `≥ ${perSecond}/s, p99 ≤ 250 ms`,
      value: `${l.answersPerSecond}/s, p99 ${ms(l.p99Ms)}`,
      met: l.answersPerSecond >= perSecond && l.p99Ms <= 250,
    },
  ];
}

function sideRow(name: string, side: RetrievalSide, ours: RetrievalSide): string {
  return `| ${name} | ${side.buildSeconds === null ? '—' : `${side.buildSeconds.toFixed(2)} s`} | ${ms(side.query.p50)} | ${ms(side.query.p95)} | ${pct(side.hitAt5)} | ${side.mrr === null || Number.isNaN(side.mrr) ? '—' : side.mrr.toFixed(3)} | ${ratio(ours.query.p50, side.query.p50)} | ${ratio(ours.buildSeconds, side.buildSeconds)} |${side.note ? ` ${side.note}` : ''}`;
}

function corpusSection(c: CorpusResult): string {
  const i = c.ingest;
  const q = c.queries;
  const lines = [
    `## ${c.name}: ${i.counts.documents} documents, ${i.counts.chunks} chunks, ${i.counts.targets} targets${c.copies > 1 ? ` (${c.copies} copies of the seeds)` : ''}`,
    '',
    `Ingest: ${i.seconds.toFixed(1)} s, ${Math.round(i.counts.chunks / i.seconds)} chunks/s, peak RSS ${mib(i.peakRssMiB)}, index ${(c.indexBytes / 2 ** 20).toFixed(1)} MiB on disk, embedder ${i.embedder.kind}.`,
    '',
    `| stage | ${Object.keys(i.stageSeconds).join(' | ')} |`,
    '|---|' +
      Object.keys(i.stageSeconds)
        .map(() => '---')
        .join('|') +
      '|',
    '| seconds | ' +
      Object.values(i.stageSeconds)
        .map((s) => s.toFixed(2))
        .join(' | ') +
      ' |',
    '',
    `Opening the index in-process: ${ms(q.openMs)}, then the English dictionary ${ms(q.warmMs)}; RSS ready ${mib(q.rssReadyMiB)}, after the questions ${mib(q.rssAfterMiB)}. Server start-up to first /healthz (spawn included): ${c.server.startupMs.map((x) => ms(x)).join(', ')}; to its first answer (an English question, dictionary warmed after listening): ${c.server.firstAnswerMs.map((x) => ms(x)).join(', ') || '—'}; server RSS ready ${mib(c.server.rssReadyMiB)}.`,
    '',
    `Questions (medians over ${q.reps} runs in one process; right = the evaluation's pass rule, all-places = answered, citing ≥ 90% of the documents that set the metric, up to the 40 places an answer lists):`,
    '',
    '| kind | questions | right | retrieval p50 | p95 | p99 | full answer p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(q.kinds).map(
      ([kind, k]) =>
        `| ${kind} | ${k.questions} | ${k.correct} | ${ms(k.retrieval.p50)} | ${ms(k.retrieval.p95)} | ${ms(k.retrieval.p99)} | ${ms(k.answer.p50)} | ${ms(k.answer.p95)} | ${ms(k.answer.p99)} | ${ms(k.answer.max)} |`,
    ),
    `| **all** | ${q.overall.questions} | ${q.overall.correct} | ${ms(q.overall.retrieval.p50)} | ${ms(q.overall.retrieval.p95)} | ${ms(q.overall.retrieval.p99)} | ${ms(q.overall.answer.p50)} | ${ms(q.overall.answer.p95)} | ${ms(q.overall.answer.p99)} | ${ms(q.overall.answer.max)} |`,
    '',
    'HTTP (`POST /api/ask` with autocannon, the question mix in turn):',
    '',
    '| answer cache | connections | answers/s | p50 | p99 | errors | non-2xx | RSS before → after |',
    '|---|---|---|---|---|---|---|---|',
    ...c.server.load.map(
      (l) =>
        `| ${l.cache ? 'on (default)' : 'off'} | ${l.connections} | ${l.answersPerSecond} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${l.errors} | ${l.non2xx} | ${mib(l.rssBeforeMiB)} → ${mib(l.rssAfterMiB)} |`,
    ),
    '',
    c.server.allPlacesMs === null
      ? ''
      : `All-places question over HTTP: ${ms(c.server.allPlacesMs)}; slowest /healthz meanwhile ${ms(c.server.healthzDuringAllPlacesMs)}.`,
    '',
    `Retrieval against baselines (${c.baselines.items} questions with quotes; ratios are ours ÷ theirs, below 1 is faster):`,
    '',
    '| | build | query p50 | p95 | hit@5 | MRR | query ratio | build ratio |',
    '|---|---|---|---|---|---|---|---|',
    sideRow('ours', c.baselines.ours, c.baselines.ours),
    sideRow('MiniSearch + our tokenizer', c.baselines.minisearch, c.baselines.ours),
    sideRow('LangChain.js recipe (splitter + HNSWLib, LSA)', c.baselines.langchain, c.baselines.ours),
    '',
  ];
  if (c.vectors) {
    lines.push(
      `The offline vector side: hit@5 over an EMBEDDER=lsa index, vectors fused at each weight (${c.vectors.items} questions, ${c.vectors.english} in English; 0 is what is built and served by default):`,
      '',
      '| vector weight | hit@5 | hit@5, English questions |',
      '|---|---|---|',
      ...c.vectors.rows.map((r) => `| ${r.weight} | ${pct(r.hitAt5)} | ${pct(r.englishHitAt5)} |`),
      '',
    );
  }
  if (c.postgres) lines.push(postgresSection(c.postgres));
  if (q.misses.length) {
    lines.push('Questions not answered right (first 20):', '');
    for (const m of q.misses) lines.push(`- \`${m.id}\` ${m.question} → ${m.status}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderResults(results: BenchResults): string {
  const b = bars(results);
  return [
    '# Benchmark results',
    '',
    `Generated by \`${results.command}\` on ${results.generatedAt} (${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}). Do not edit: run the command again.`,
    '',
    '## Bars (issue 11)',
    '',
    '| | bar | measured | met |',
    '|---|---|---|---|',
    ...b.map(
      (x) => `| ${x.what} | ${x.bar} | ${x.value} | ${x.met === null ? '—' : x.met ? 'yes' : '**no**'} |`,
    ),
    '',
    ...results.corpora.map(corpusSection),
  ].join('\n');
}
