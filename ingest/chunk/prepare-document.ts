import { cleanPage } from '../clean/clean-page.ts';
import { partDocId } from '../doc-id.ts';
import type { SourceFormat } from '../load/loader.ts';
import { isDateLine } from '../meta/dates.ts';
import { deriveMetadata, type MetadataOverride } from '../meta/derive-metadata.ts';
import { findSignatures } from '../meta/signature.ts';
import {
  type Chunk,
  type DocumentMeta,
  type DocumentRecord,
  type IndexedChunk,
  SIGNATURE_HEADING,
} from '../model.ts';
import {
  type Heading,
  markdownHeading,
  matchAttachment,
  matchHeading,
  OUTLINE_KINDS,
} from '../parse/headings.ts';
import { type Line, splitLines } from '../parse/lines.ts';
import { readMarkdown } from '../parse/markdown.ts';
import { splitDocuments } from '../parse/split-documents.ts';
import { findTables, type ParsedTable } from '../parse/tables.ts';
import { isIndicatorRow, rowMetric } from '../targets/indicator-rows.ts';
import { groupSentences, type Sentence, splitSentences } from './split-sentences.ts';

/**
 * One file from decoded text to documents, each with metadata and clause-sized chunks: Markdown read as
 * text → clean → split into documents when the file holds several → metadata → header chunk → clauses
 * following the document's own numbering (第X章 › 第X条, or 一、/(一)/1./(1)/①) → signature → table rows.
 */
export interface ChunkOptions {
  /** Longest chunk before a clause is split at paragraph, item or sentence ends. Default 500: most clauses stay whole. */
  maxChars: number;
  /** Paragraphs or sentences repeated at the start of the next part of a split clause. Default 1. */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 500, overlapSentences: 1 };

export interface PreparedDocument {
  record: DocumentRecord;
  chunks: IndexedChunk[];
  /** What the user should know about this document (place unknown, no title …). */
  warnings: string[];
}

export interface SourceText {
  /** Path relative to the corpus folder. */
  source: string;
  text: string;
  /** Id of the file's (first) document. */
  docId: string;
  format?: SourceFormat;
  /** The title the format marks, from the loader (HTML main heading). */
  title?: string | null;
}

/** A paragraph longer than this ends the header block (notice, title, addressees, date). */
const HEADER_PARAGRAPH_MAX_CHARS = 120;
/** A sentence of a document's body: it states a figure and ends as sentences end. */
const BODY_SENTENCE = /\d.*[。；;]$/;
const SIGNATURE_LINE_MAX_CHARS = 40;

/** Every document in one file (usually one). */
export function prepareDocuments(
  input: SourceText,
  override: MetadataOverride = {},
  options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): PreparedDocument[] {
  const markdown = input.format === 'markdown' || /\.(?:md|markdown)$/i.test(input.source);
  const md = markdown ? readMarkdown(input.text) : null;
  const cleaned = cleanPage(md ? md.text : input.text);
  if (!cleaned.text.trim()) throw new Error(`"${input.source}" has no text after cleaning.`);
  const allLines = splitLines(cleaned.text);
  const spans = splitDocuments(allLines);
  return spans.map((span, k) => {
    const first = k === 0;
    const from = allLines[span.firstLine]?.start ?? 0;
    const to = allLines[span.endLine - 1]?.end ?? cleaned.text.length;
    const text = cleaned.text.slice(from, to);
    const docId = partDocId(input.docId, k + 1);
    const derived = deriveMetadata({
      docId,
      source: input.source,
      text,
      facts: first ? cleaned.facts : [],
      markedTitle: first ? (md?.title ?? input.title ?? null) : null,
      override,
    });
    if (spans.length > 1) {
      derived.warnings.push(
        `document ${k + 1} of ${spans.length} in this file (split at a new cover notice)`,
      );
    }
    return chunkDocument(
      derived.meta,
      text,
      first ? cleaned.facts.length : 0,
      md?.headings ?? new Set(),
      options,
      derived.warnings,
    );
  });
}

/** The one document of a file; a file holding several is an error here (use `prepareDocuments`). */
export function prepareDocument(
  input: { source: string; text: string; docId?: string; format?: SourceFormat },
  override: MetadataOverride = {},
  options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): PreparedDocument {
  const docs = prepareDocuments({ ...input, docId: input.docId ?? 'document' }, override, options);
  const [doc] = docs;
  if (!doc || docs.length > 1) throw new Error(`"${input.source}" holds ${docs.length} documents.`);
  return doc;
}

function chunkDocument(
  meta: DocumentMeta,
  text: string,
  factCount: number,
  markdownHeadings: ReadonlySet<string>,
  options: ChunkOptions,
  warnings: string[],
): PreparedDocument {
  const lines = splitLines(text);
  const tables = findTables(lines, text);
  const builder = new ChunkBuilder(meta, text, options, markdownHeadings);
  const headerEnd = findHeaderEnd(
    lines,
    factCount,
    markdownHeadings,
    Math.min(...tables.map((t) => t.firstLine)),
  );
  builder.addHeader(lines, headerEnd);
  builder.addClauses(lines, headerEnd, tables);
  for (const table of tables) builder.addTable(table);
  const chunks = builder.chunks.sort((a, b) => a.start - b.start || a.end - b.end);
  chunks.forEach((c, i) => {
    c.id = `${meta.docId}#${i}`;
  });
  return { record: { meta, text }, chunks, warnings };
}

function headingOf(line: string, markdownHeadings: ReadonlySet<string>): Heading | null {
  const numbered = matchHeading(line);
  if (numbered) return numbered;
  const trimmed = line.trim();
  return markdownHeadings.has(trimmed) ? markdownHeading(trimmed) : null;
}

function findHeaderEnd(
  lines: readonly Line[],
  factCount: number,
  markdownHeadings: ReadonlySet<string>,
  /** The first line of the first table (Infinity without one): a header never reaches into a table. */
  firstTableLine: number,
): number {
  for (let i = factCount; i < lines.length; i++) {
    const line = lines[i]?.text ?? '';
    if (headingOf(line, markdownHeadings) || line.length > HEADER_PARAGRAPH_MAX_CHARS) return i;
    // A text that starts mid-document (an excerpt) opens with a sentence of its body, figures and all: it is
    // a clause, not a header.
    if (i === factCount && BODY_SENTENCE.test(line)) return i;
  }
  // No heading and no long paragraph: the header is the short lines before the addressees or the first
  // sentence (title, document number), at least the first line.
  let end = factCount;
  while (
    end < Math.min(lines.length, firstTableLine) &&
    !/[。；;:：]\s*$/.test(lines[end]?.text ?? '') &&
    (lines[end]?.text.length ?? 0) <= 60
  )
    end++;
  return Math.min(lines.length, Math.max(end, factCount + 1));
}

interface Unit {
  path: string[];
  clausePath: string | null;
  kind: Chunk['kind'];
  start: number;
  end: number;
  /** Items (一)(二) inside an article, with where each starts: they label the parts of a long article. */
  items: { number: string; start: number }[];
  /** Line ranges (paragraphs, items) of the unit, the first places to split a long one. */
  blocks: Sentence[];
}

class ChunkBuilder {
  readonly chunks: IndexedChunk[] = [];
  private readonly context: string;
  /** The clause each table stands in (二(五), 附件1), by the table's first line, as addClauses met it. */
  private readonly tableClauses = new Map<number, string | null>();

  constructor(
    private readonly meta: DocumentMeta,
    private readonly text: string,
    private readonly options: ChunkOptions,
    private readonly markdownHeadings: ReadonlySet<string>,
  ) {
    const region = meta.region;
    this.context = [region?.name, ...(region?.parents ?? []), region?.english, meta.title]
      .filter(Boolean)
      .join(' ');
  }

  addHeader(lines: readonly Line[], headerEnd: number): void {
    const first = lines[0];
    const last = lines[headerEnd - 1];
    if (!first || !last) return;
    this.push('header', ['文件信息'], null, first.start, last.end);
  }

  addClauses(lines: readonly Line[], from: number, tables: readonly ParsedTable[]): void {
    const skip = new Set<number>();
    for (const t of tables) for (let i = t.firstLine; i <= t.lastLine; i++) skip.add(i);
    const tableStarts = new Set(tables.map((t) => t.firstLine));
    const signatureLines = signatureLineSet(lines.map((l) => l.text));
    const stack: Heading[] = [];
    let unit: Unit | null = null;
    const flush = () => {
      if (unit) this.addUnit(unit);
      unit = null;
    };
    const open = (line: Line, kind: Chunk['kind'] = 'clause', path = stack.map((h) => h.label)): Unit => ({
      path,
      clausePath: clausePathOf(stack),
      // Text directly under an attachment line (its title, the list of attachments) is not a clause.
      kind: path.length === 0 || (stack.length === 1 && stack[0]?.kind === 'attachment') ? 'preamble' : kind,
      start: line.start,
      end: line.end,
      items: [],
      blocks: [{ start: line.start, end: line.end }],
    });
    for (let i = from; i < lines.length; i++) {
      const line = lines[i];
      if (!line || skip.has(i) || !line.text.trim()) {
        if (skip.has(i)) flush();
        if (tableStarts.has(i)) this.tableClauses.set(i, clausePathOf(stack));
        continue;
      }
      // The signature block closes the body: it is not part of the last clause.
      if (signatureLines.has(i)) {
        if (unit?.path[0] === SIGNATURE_HEADING) extend(unit, line);
        else {
          flush();
          unit = open(line, 'preamble', [SIGNATURE_HEADING]);
          unit.clausePath = null;
        }
        continue;
      }
      if (unit?.path[0] === SIGNATURE_HEADING) flush();
      const heading = headingOf(line.text, this.markdownHeadings);
      const attachment = heading ? null : matchAttachment(line.text);
      if (attachment) {
        flush();
        stack.length = 0;
        stack.push(attachment);
        unit = open(line, 'preamble');
        continue;
      }
      const inArticle = stack.some((h) => h.kind === 'article');
      if (heading && inArticle && OUTLINE_KINDS.has(heading.kind) && unit) {
        // (一)(二) inside an article are its items, not headings.
        unit.items.push({ number: heading.number, start: line.start });
        extend(unit, line);
        continue;
      }
      if (heading) {
        flush();
        while (stack.length && (stack[stack.length - 1]?.rank ?? 0) >= heading.rank) stack.pop();
        stack.push(heading);
        if (heading.hasBody || heading.kind === 'article') unit = open(line);
        continue;
      }
      if (unit) extend(unit, line);
      else unit = open(line);
    }
    flush();
  }

  private addUnit(unit: Unit): void {
    const length = unit.end - unit.start;
    if (length <= this.options.maxChars) {
      this.push(unit.kind, unit.path, unit.clausePath, unit.start, unit.end);
      return;
    }
    // Split at paragraph and item ends first; a paragraph longer than a chunk is split at sentence ends.
    const blocks = unit.blocks.flatMap((b) =>
      b.end - b.start > this.options.maxChars
        ? splitSentences(this.text.slice(b.start, b.end), b.start)
        : [b],
    );
    const parts = groupSentences(blocks, this.options.maxChars, this.options.overlapSentences);
    parts.forEach((p, index) => {
      const items = unit.items.filter((it, k) => {
        const next = unit.items[k + 1]?.start ?? unit.end;
        return it.start < p.end && next > p.start;
      });
      const itemLabel =
        items.length === 0
          ? null
          : items.length === 1
            ? items[0]?.number
            : `${items[0]?.number}—${items[items.length - 1]?.number}`;
      const clausePath = itemLabel && unit.clausePath ? `${unit.clausePath} › ${itemLabel}` : unit.clausePath;
      this.push(unit.kind, unit.path, clausePath, p.start, p.end, { index: index + 1, of: parts.length });
    });
  }

  addTable(table: ParsedTable): void {
    for (const row of table.rows) {
      const path = [table.caption, ...row.labels].filter(Boolean);
      const cells = row.cells.map((c) => `${c.header}: ${c.value}`).join('\n');
      // An indicator row's cells are bare figures: its text names the metric its label holds.
      const metric = isIndicatorRow(row.cells) ? (rowMetric(row.labels) ?? '') : '';
      const shown = metric ? `${metric}\n${cells}` : cells;
      const columnYears = row.cells.flatMap((c) => yearsIn(c.header));
      // A row is cited by the clause its table stands in ("二(五)"), or by the attachment its caption opens
      // ("附件1 …任务清单"), as a reader finds it.
      const attachment = matchAttachment(table.caption.split(/\s+/)[0] ?? '');
      const clausePath = attachment?.number || (this.tableClauses.get(table.firstLine) ?? null);
      const chunk = this.push(
        'table-row',
        path,
        clausePath,
        row.start,
        row.end,
        undefined,
        shown,
        columnYears,
      );
      chunk.cells = row.cells.map(({ header, value }) => ({ header, value }));
    }
  }

  private push(
    kind: Chunk['kind'],
    headingPath: string[],
    clausePath: string | null,
    start: number,
    end: number,
    part?: Chunk['part'],
    shown?: string,
    extraYears: number[] = [],
  ): IndexedChunk {
    const text = shown ?? this.text.slice(start, end);
    const chunk: IndexedChunk = {
      id: '',
      docId: this.meta.docId,
      kind,
      headingPath,
      clausePath,
      text,
      indexText: `${this.context}\n${headingPath.join(' › ')}\n${text}`,
      start,
      end,
      years: [...new Set([...yearsIn(text), ...extraYears])].sort((a, b) => a - b),
    };
    if (part) chunk.part = part;
    this.chunks.push(chunk);
    return chunk;
  }
}

function extend(unit: Unit, line: Line): void {
  unit.end = line.end;
  unit.blocks.push({ start: line.start, end: line.end });
}

/**
 * The clause path as the document numbers it: law numbers spelled out and joined by › (第三章 › 第二十二条),
 * outline numbers run together as officials cite them (二(三)14), an attachment first (附件1 › 一(二)).
 */
function clausePathOf(stack: readonly Heading[]): string | null {
  const segments: string[] = [];
  let outline = '';
  for (const h of stack) {
    if (!h.number) continue;
    if (OUTLINE_KINDS.has(h.kind)) {
      outline += h.number;
      continue;
    }
    if (outline) segments.push(outline);
    outline = '';
    segments.push(h.number);
  }
  if (outline) segments.push(outline);
  return segments.length ? segments.join(' › ') : null;
}

/** Lines of the signature blocks: the date line and the short lines of bodies above it. */
function signatureLineSet(lines: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (const s of findSignatures(lines)) {
    set.add(s.line);
    for (let k = s.line - 1; k >= 0 && s.line - k <= s.issuers.length; k--) {
      const text = lines[k]?.trim() ?? '';
      if (!text || text.length > SIGNATURE_LINE_MAX_CHARS || isDateLine(text) || matchHeading(text)) break;
      set.add(k);
    }
  }
  return set;
}

export function yearsIn(text: string): number[] {
  return [...new Set([...text.matchAll(/((?:19|20)\d{2})\s*年/g)].map((m) => Number(m[1])))];
}
