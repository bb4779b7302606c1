import { cleanPage } from '../clean/clean-page.ts';
import { deriveMetadata, type MetadataOverride } from '../meta/derive-metadata.ts';
import type { Chunk, DocumentMeta, DocumentRecord } from '../model.ts';
import { type Heading, matchHeading } from '../parse/headings.ts';
import { type Line, splitLines } from '../parse/lines.ts';
import { findTables, type ParsedTable } from '../parse/tables.ts';
import { groupSentences, splitSentences } from './split-sentences.ts';

/**
 * One document from decoded text to metadata and clause-sized chunks: clean → metadata → header chunk →
 * clauses following 一、/(一)/1./(1) → table rows.
 */
export interface ChunkOptions {
  /** Longest chunk before a clause is split at sentence ends. Default 500: most clauses stay whole. */
  maxChars: number;
  /** Sentences repeated at the start of the next part of a split clause. Default 1. */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 500, overlapSentences: 1 };

export interface PreparedDocument {
  record: DocumentRecord;
  chunks: Chunk[];
}

/** A paragraph longer than this ends the header block (notice, title, addressees, date). */
const HEADER_PARAGRAPH_MAX_CHARS = 120;

export function docIdFromSource(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return (
    base
      .replace(/\.[^.]+$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'document'
  );
}

export function prepareDocument(
  input: { source: string; text: string; docId?: string },
  override: MetadataOverride = {},
  options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): PreparedDocument {
  const docId = input.docId ?? docIdFromSource(input.source);
  const cleaned = cleanPage(input.text);
  if (!cleaned.text.trim()) throw new Error(`"${input.source}" has no text after cleaning.`);
  const meta = deriveMetadata(docId, input.source, cleaned.text, cleaned.facts, override);
  const text = cleaned.text;
  const lines = splitLines(text);
  const tables = findTables(lines, text);
  const builder = new ChunkBuilder(meta, text, options);
  const headerEnd = findHeaderEnd(lines, cleaned.facts.length);
  builder.addHeader(lines, headerEnd);
  builder.addClauses(lines, headerEnd, tables);
  for (const table of tables) builder.addTable(table);
  const chunks = builder.chunks.sort((a, b) => a.start - b.start || a.end - b.end);
  chunks.forEach((c, i) => {
    c.id = `${docId}#${i}`;
  });
  return { record: { meta, text }, chunks };
}

function findHeaderEnd(lines: readonly Line[], factCount: number): number {
  for (let i = factCount; i < lines.length; i++) {
    const line = lines[i]?.text ?? '';
    if (matchHeading(line) || line.length > HEADER_PARAGRAPH_MAX_CHARS) return i;
  }
  return Math.min(lines.length, factCount + 1);
}

interface Unit {
  path: string[];
  numbers: string[];
  start: number;
  end: number;
}

class ChunkBuilder {
  readonly chunks: Chunk[] = [];
  private readonly context: string;

  constructor(
    private readonly meta: DocumentMeta,
    private readonly text: string,
    private readonly options: ChunkOptions,
  ) {
    this.context = `${meta.region.name} ${meta.region.parents.join(' ')} ${meta.region.english} ${meta.title}`;
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
    const stack: Heading[] = [];
    let unit: Unit | null = null;
    const flush = () => {
      if (unit) this.addUnit(unit);
      unit = null;
    };
    for (let i = from; i < lines.length; i++) {
      const line = lines[i];
      if (!line || skip.has(i) || !line.text.trim()) {
        if (skip.has(i)) flush();
        continue;
      }
      // Attachments and the signature block close the body: they are not part of the last clause.
      if (/^附件/.test(line.text) && !matchHeading(line.text)) {
        flush();
        stack.length = 0;
        stack.push({ level: 1, number: '附件', label: '附件', hasBody: false });
        unit = { path: ['附件及落款'], numbers: [], start: line.start, end: line.end };
        continue;
      }
      const heading = matchHeading(line.text);
      if (heading) {
        flush();
        while (stack.length && (stack[stack.length - 1]?.level ?? 0) >= heading.level) stack.pop();
        stack.push(heading);
        if (heading.hasBody) unit = this.unitFor(stack, line);
        continue;
      }
      if (unit) unit.end = line.end;
      else unit = this.unitFor(stack, line);
    }
    flush();
  }

  private unitFor(stack: readonly Heading[], line: Line): Unit {
    return {
      path: stack.map((h) => h.label),
      numbers: stack.filter((h) => h.number !== '附件').map((h) => h.number),
      start: line.start,
      end: line.end,
    };
  }

  private addUnit(unit: Unit): void {
    const clausePath = unit.numbers.length ? unit.numbers.join('') : null;
    const kind = unit.path.length === 0 || unit.path[0] === '附件及落款' ? 'preamble' : 'clause';
    const length = unit.end - unit.start;
    if (length <= this.options.maxChars) {
      this.push(kind, unit.path, clausePath, unit.start, unit.end);
      return;
    }
    const sentences = splitSentences(this.text.slice(unit.start, unit.end), unit.start);
    const parts = groupSentences(sentences, this.options.maxChars, this.options.overlapSentences);
    parts.forEach((p, index) => {
      this.push(kind, unit.path, clausePath, p.start, p.end, { index: index + 1, of: parts.length });
    });
  }

  addTable(table: ParsedTable): void {
    for (const row of table.rows) {
      const path = [table.caption, ...row.labels].filter(Boolean);
      const shown = row.cells.map((c) => `${c.header}: ${c.value}`).join('\n');
      const columnYears = row.cells.flatMap((c) => yearsIn(c.header));
      const chunk = this.push('table-row', path, null, row.start, row.end, undefined, shown, columnYears);
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
  ): Chunk {
    const text = shown ?? this.text.slice(start, end);
    const chunk: Chunk = {
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

export function yearsIn(text: string): number[] {
  return [...new Set([...text.matchAll(/((?:19|20)\d{2})\s*年/g)].map((m) => Number(m[1])))];
}
