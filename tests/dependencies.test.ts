/**
 * Every runtime dependency is used by runtime code (server/, ingest/, evals/, web/, and scripts/, which
 * `npm start` runs to bundle the server with esbuild — not only by tests or the benchmark, whose packages
 * are dev dependencies), and installs on the Node versions `engines` names.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNTIME_DIRS = ['server', 'ingest', 'evals', 'web', 'scripts'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|mts|mjs|js)$/.test(name) ? [path] : [];
  });
}

describe('dependencies', () => {
  it('each runtime dependency is imported by runtime code', () => {
    const sources = RUNTIME_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(pkg.dependencies).filter(
      // An import ('pkg', 'pkg/sub') or a file served from node_modules ('node_modules/pkg/dist/…').
      (name) => !new RegExp(`(?:['"]|node_modules/)${name.replace(/[/.]/g, '\\$&')}(?:/|['"])`).test(sources),
    );
    expect(unused).toEqual([]);
  });

  it('every installed runtime package supports the Node versions engines allows', () => {
    const minimum = Number(/(\d+)\.(\d+)/.exec(pkg.engines.node)?.[1]);
    const tooNew: string[] = [];
    for (const name of Object.keys(pkg.dependencies)) {
      const installed = JSON.parse(
        readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
      ) as {
        engines?: { node?: string };
      };
      const wants = installed.engines?.node?.match(/>=\s*(\d+)/)?.[1];
      if (wants && Number(wants) > minimum) tooNew.push(`${name} needs node ${installed.engines?.node}`);
    }
    expect(tooNew).toEqual([]);
  });
});
