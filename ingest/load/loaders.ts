import { extname } from 'node:path';
import { htmlLoader } from './html-loader.ts';
import type { Loader } from './loader.ts';
import { textLoader } from './text-loader.ts';

export const LOADERS: readonly Loader[] = [textLoader, htmlLoader];

export function loaderFor(path: string): Loader | null {
  const ext = extname(path).toLowerCase();
  return LOADERS.find((l) => l.extensions.includes(ext)) ?? null;
}

/** Files in a corpus folder that are about the corpus, not part of it. */
export function isCorpusFile(name: string): boolean {
  return (
    !/^readme(\.|$)/i.test(name) &&
    !name.endsWith('.meta.json') &&
    !name.startsWith('.') &&
    loaderFor(name) !== null
  );
}
