/**
 * The server as one ES module (dist/server.mjs), bundled from server/main.ts by esbuild, so `npm start`
 * runs JavaScript instead of compiling about 250 TypeScript files through tsx at every start (1.2 s of a
 * 2.4 s start-up at 100k chunks, `npm run bench`). Packages stay external (node_modules as installed).
 *
 * Rebuilt only when an input changed: the bundle's stamp lists every source file it was made from with its
 * size and modification time, checked with one stat each (a few ms). Files read at run time beside the
 * sources (glossary.tsv, web/, migrations, the worker boot files) are found through `import.meta.url`,
 * which each bundled module gets as its own source file's URL, so paths resolve as under tsx.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The bundle's folder: the entry, its lazily loaded chunks, source maps and the stamp. */
const OUT = join(ROOT, 'dist', 'server');
export const BUNDLE = join(OUT, 'server.mjs');
const STAMP = join(OUT, 'stamp.json');
const ENTRY = join(ROOT, 'server', 'main.ts');
/** Bumped when the bundling settings below change, so an old bundle is not reused. */
const RECIPE = 1;

function stampOf(files) {
  return files.map((file) => {
    const s = statSync(join(ROOT, file));
    return [file, s.size, s.mtimeMs];
  });
}

/** True when the bundle exists and every file it was made from is as it was then. */
function upToDate() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    statSync(BUNDLE);
  } catch {
    return false;
  }
  if (stamp.recipe !== RECIPE || !Array.isArray(stamp.inputs)) return false;
  try {
    return JSON.stringify(stampOf(stamp.inputs.map((i) => i[0]))) === JSON.stringify(stamp.inputs);
  } catch {
    return false;
  }
}

/** Each module's `import.meta.url` is its source file's URL, relative to the bundle so the tree can move. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const fromBundle = relative(dirname(BUNDLE), args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * Builds dist/server.mjs unless it is up to date; returns its path. Throws (EACCES, EROFS) when the folder
 * cannot be written, e.g. a checkout owned by another user: the caller then runs the sources through tsx.
 */
export async function ensureServerBundle() {
  if (upToDate()) return BUNDLE;
  const { build } = await import('esbuild');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  // Built beside the bundle in use and swapped in whole, so a server starting meanwhile never reads half a build.
  const next = join(ROOT, 'dist', `next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  // Made here, not by esbuild, so an unwritable checkout fails with EACCES (and start.mjs falls back to tsx).
  mkdirSync(next);
  const result = await build({
    entryPoints: { server: ENTRY },
    outdir: next,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // What the sources import lazily (PDF, Word and HTML loaders, PostgreSQL) stays in chunks loaded on use.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  rmSync(OUT, { recursive: true, force: true });
  renameSync(next, OUT);
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(ROOT, join(process.cwd(), p)));
  writeFileSync(STAMP, JSON.stringify({ recipe: RECIPE, inputs: stampOf(inputs) }));
  return BUNDLE;
}

export const bundleUrl = () => pathToFileURL(BUNDLE).href;
