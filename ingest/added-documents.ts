/**
 * Adding and removing documents without touching the corpus folder: `npm run ingest -- --add <files|folder>`
 * and `--remove <docId>`, and the admin API's uploads. Added files are copied into ADDED_DIR under a name
 * made from the given one (letters, digits and a few marks; never used as a path as given), removed
 * documents are listed in ADDED_DIR/removed.json, and the caller rebuilds, which parses only what changed
 * (parse-cache.ts).
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { IngestConfig } from './config.ts';
import { ADDED_PREFIX, addedDirOf, REMOVED_FILE, type RemovedDocument, readRemoved } from './corpus-roots.ts';
import { isCorpusFile } from './load/loaders.ts';
import { FILES, type IndexManifest, type StoredDocument } from './store/format.ts';
import { currentIndexDir } from './store/index-location.ts';

/** Longest file name kept (in characters, extension included); longer names keep their end. */
const MAX_NAME_CHARS = 100;

export class AddedDocumentError extends Error {
  override readonly name = 'AddedDocumentError';
  constructor(
    readonly code: 'unsupported_file' | 'unknown_document' | 'empty_file',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A file name safe to create inside ADDED_DIR from whatever a user or client gave: the last path segment
 * only, characters other than letters, digits, `._-()` and spaces replaced, no leading dot, bounded length.
 * Throws when the result is not a format ingest reads.
 */
export function safeDocumentName(given: string): string {
  const last = given.split(/[\\/]/).pop() ?? '';
  let name = last
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._()\- ]/gu, '_')
    .replace(/^[.\s_]+/, '')
    .trim();
  if (name.length > MAX_NAME_CHARS) {
    const ext = extname(name);
    name = name.slice(0, MAX_NAME_CHARS - ext.length) + ext;
  }
  if (!name || !isCorpusFile(name)) {
    throw new AddedDocumentError(
      'unsupported_file',
      `"${last.slice(0, MAX_NAME_CHARS)}" is not a document ingest reads (HTML, Markdown, text, DOCX or PDF).`,
    );
  }
  return name;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface AddedFile {
  /** Where it was copied from (a path, or the uploaded name). */
  from: string;
  /** Its path in the index: `added/<name>`. */
  path: string;
  /** False when the same bytes were already there under that name. */
  changed: boolean;
}

/**
 * Writes one document into ADDED_DIR: a new name when another file already has it, the same name (a new
 * version) only when `replace` is set. Written to a temporary name and renamed, so a crash never leaves
 * half a file to index.
 */
export function addDocumentBytes(
  config: Pick<IngestConfig, 'indexDir' | 'addedDir'>,
  givenName: string,
  bytes: Uint8Array,
  options: { override?: string | null; replace?: boolean } = {},
): AddedFile {
  if (bytes.length === 0) throw new AddedDocumentError('empty_file', `"${givenName}" is empty.`);
  const dir = addedDirOf(config);
  mkdirSync(dir, { recursive: true });
  const name = safeDocumentName(givenName);
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let chosen = name;
  for (let n = 2; existsSync(join(dir, chosen)); n++) {
    if (sha256(readFileSync(join(dir, chosen))) === sha256(bytes))
      return { from: givenName, path: `${ADDED_PREFIX}${chosen}`, changed: false };
    if (options.replace) break;
    chosen = `${stem}-${n}${ext}`;
  }
  const tmp = join(dir, `.upload-${process.pid}-${Date.now()}`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, join(dir, chosen));
  if (options.override) writeFileSync(join(dir, `${chosen}.meta.json`), options.override);
  return { from: givenName, path: `${ADDED_PREFIX}${chosen}`, changed: true };
}

/** Copies files, or the documents of folders (recursively), into ADDED_DIR, with their .meta.json overrides. */
export function addDocumentPaths(
  config: Pick<IngestConfig, 'indexDir' | 'addedDir'>,
  paths: readonly string[],
): AddedFile[] {
  const added: AddedFile[] = [];
  const addFile = (path: string) => {
    const override = existsSync(`${path}.meta.json`) ? readFileSync(`${path}.meta.json`, 'utf8') : null;
    added.push(addDocumentBytes(config, basename(path), readFileSync(path), { override }));
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(path);
      else if (entry.isFile() && isCorpusFile(entry.name)) addFile(path);
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new AddedDocumentError('unknown_document', `${path} does not exist.`);
    if (statSync(path).isDirectory()) walk(path);
    else addFile(path);
  }
  return added;
}

export interface RemovedResult {
  docId: string;
  /** The file deleted from ADDED_DIR, or null when the document is kept out by removed.json instead. */
  deletedFile: string | null;
}

/**
 * Takes documents out of the index. An added file that holds only that document is deleted; a document
 * of the corpus folder (never written to) or one of several in a file is listed in removed.json with its
 * file's hash, so it stays out until that file changes.
 */
export function removeDocuments(config: IngestConfig, docIds: readonly string[]): RemovedResult[] {
  const built = currentIndexDir(config.indexDir);
  const read = <T>(name: string): T | null => {
    try {
      return JSON.parse(readFileSync(join(built, name), 'utf8')) as T;
    } catch {
      return null;
    }
  };
  const stored = read<StoredDocument[]>(FILES.documents) ?? [];
  const manifest = read<IndexManifest>(FILES.manifest);
  const dir = addedDirOf(config);
  const removed = readRemoved(dir);
  const results: RemovedResult[] = [];
  for (const docId of docIds) {
    const doc = stored.find((d) => d.meta.docId === docId);
    if (!doc) {
      throw new AddedDocumentError(
        'unknown_document',
        `The index has no document "${docId}" (GET /api/documents lists them).`,
      );
    }
    const source = doc.meta.source;
    const sharing = stored.filter((d) => d.meta.source === source).length;
    if (source.startsWith(ADDED_PREFIX) && sharing === 1) {
      const file = join(dir, source.slice(ADDED_PREFIX.length));
      rmSync(file, { force: true });
      rmSync(`${file}.meta.json`, { force: true });
      results.push({ docId, deletedFile: source });
      continue;
    }
    const sha = manifest?.sources.find((s) => s.path === source)?.sha256;
    if (!sha)
      throw new AddedDocumentError('unknown_document', `The source of "${docId}" is not in the index.`);
    if (!removed.some((r) => r.docId === docId && r.sha256 === sha))
      removed.push({ docId, sha256: sha, removedAt: new Date().toISOString() } satisfies RemovedDocument);
    results.push({ docId, deletedFile: null });
  }
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${REMOVED_FILE}.tmp-${process.pid}-${Date.now()}`);
  writeFileSync(tmp, `${JSON.stringify(removed, null, 2)}\n`);
  renameSync(tmp, join(dir, REMOVED_FILE));
  return results;
}
