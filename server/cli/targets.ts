/**
 * `npm run targets -- [--region 嘉兴] [--year 2027] [--metric 家庭医生签约服务覆盖率] [--q "family doctor"] [--csv]`:
 * the quantitative targets of the corpus, each with the clause it comes from.
 * `npm run targets -- --compare 家庭医生签约服务覆盖率`: one metric across regions and years.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../../ingest/config.ts';
import { metricGroup } from '../../ingest/targets/metric-groups.ts';
import { createService } from '../service.ts';
import type { TargetFilter } from '../service-types.ts';
import { compareMetric } from '../targets/compare.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      year: { type: 'string' },
      metric: { type: 'string' },
      q: { type: 'string' },
      csv: { type: 'boolean', default: false },
      compare: { type: 'string' },
    },
  });
  const filter: TargetFilter = {};
  if (values.region) filter.region = values.region;
  if (values.metric) filter.metric = values.metric;
  if (values.q) filter.q = values.q;
  if (values.year) {
    const year = Number(values.year);
    if (!Number.isInteger(year)) {
      console.error('Usage: npm run targets -- [--region R] [--year YYYY] [--metric M] [--q text] [--csv]');
      process.exit(2);
    }
    filter.year = year;
  }
  const service = await createService({ log: (m) => console.error(m) });
  if (values.compare) {
    const comparison = compareMetric(service.index.allTargets(), metricGroup(values.compare));
    for (const r of comparison.rows) {
      console.log(
        `${r.region}  ${r.year ?? '—'}  ${r.qualifier ?? ''}${r.target.metric}  ${r.valueText}  |  ${r.target.headingPath.join(' › ')}`,
      );
    }
    console.log(`${comparison.rows.length} value(s) for ${comparison.metricGroup}`);
    return;
  }
  const rows = service.targets(filter);
  const cells = (t: (typeof rows)[number]) => [
    t.region,
    t.year ?? '',
    `${t.qualifier ?? ''}${t.metric}`,
    t.valueText,
    t.headingPath.join(' › '),
    t.quote,
  ];
  if (values.csv) {
    const quote = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
    console.log(['region', 'year', 'metric', 'value', 'clause', 'quote'].map(quote).join(','));
    for (const t of rows) console.log(cells(t).map(quote).join(','));
    return;
  }
  for (const t of rows) console.log(cells(t).slice(0, 5).join('  |  '));
  console.log(`${rows.length} target(s)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
