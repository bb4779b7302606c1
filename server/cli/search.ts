/**
 * `npm run search -- "query" [-k 5] [--json]`: the top chunks for a query with score, region, document,
 * heading path and text. Builds the index first when it is missing or stale.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../../ingest/config.ts';
import { createService } from '../service.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { k: { type: 'string', short: 'k', default: '5' }, json: { type: 'boolean', default: false } },
  });
  const query = positionals.join(' ').trim();
  const k = Number(values.k);
  if (!query || !Number.isInteger(k) || k < 1 || k > 50) {
    console.error('Usage: npm run search -- "query" [-k 5] [--json]   (k from 1 to 50)');
    process.exit(2);
  }
  const service = await createService({ log: (m) => console.error(m) });
  const hits = await service.search(query, k);
  if (values.json) {
    console.log(JSON.stringify(hits, null, 2));
    return;
  }
  if (!hits.length) console.log('No matching clause.');
  hits.forEach((h, i) => {
    console.log(`${i + 1}. [${h.score.toFixed(4)}] ${h.region} · ${h.title}`);
    console.log(`   ${h.headingPath.join(' › ')}`);
    console.log(`   ${h.text.replace(/\n/g, '\n   ')}\n`);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
