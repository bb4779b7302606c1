/**
 * `npm run ask -- "question" [--json]`: the answer with its citations, as the API returns it.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../../ingest/config.ts';
import { createService } from '../service.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const question = positionals.join(' ').trim();
  if (!question) {
    console.error('Usage: npm run ask -- "question" [--json]');
    process.exit(2);
  }
  const service = await createService({ log: (m) => console.error(m) });
  const result = await service.ask({ question });
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(result.answer);
  if (result.fallback) console.log(`\n(${result.fallback.reason})`);
  for (const c of result.citations) {
    console.log(`\n[${c.n}] ${c.region} · ${c.title}${c.docNumber ? ` (${c.docNumber})` : ''}`);
    console.log(`    ${c.clausePath ?? c.headingPath.join(' › ')}`);
    console.log(`    ${c.text.replace(/\n/g, '\n    ')}`);
  }
  if (result.status === 'not_found' && result.related.length) {
    console.log('\nRelated clauses:');
    for (const r of result.related)
      console.log(`- ${r.region} · ${r.headingPath.join(' › ')}: ${r.text.slice(0, 80)}…`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
