import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';

/**
 * Document ids: a readable slug of the file name (Chinese spelled in pinyin) plus a short hash of the file's
 * path in the corpus, so 西宁方案.txt and 新建区计划.txt, the same name in two folders, and x.txt beside x.md
 * all get their own id, and an id stays the same for as long as the file keeps its place.
 */
const SLUG_MAX_CHARS = 60;
/** 8 hex digits: one accidental collision in about 4 billion pairs; ingest still checks every id. */
const HASH_CHARS = 8;

export function docIdFor(relativePath: string): string {
  const base = relativePath.split(/[\\/]/).pop() ?? relativePath;
  const stem = base.replace(/\.[^.]+$/, '');
  const spelled = /\p{Script=Han}/u.test(stem)
    ? pinyin(stem, { toneType: 'none', nonZh: 'consecutive', type: 'array' }).join('-')
    : stem;
  const slug =
    spelled
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, SLUG_MAX_CHARS)
      .replace(/-+$/, '') || 'document';
  const hash = createHash('sha256').update(relativePath.normalize('NFC')).digest('hex').slice(0, HASH_CHARS);
  return `${slug}-${hash}`;
}

/** The id of the n-th document (1-based) found inside one file; the first keeps the file's id. */
export function partDocId(fileDocId: string, part: number): string {
  return part <= 1 ? fileDocId : `${fileDocId}-part${part}`;
}
