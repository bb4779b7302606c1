/**
 * The data that ingestion produces and the index stores. `server/` reads these shapes through
 * `ingest/store/open-index.ts`; nothing here depends on how they are answered or shown.
 */

/** 'district' is every county-level unit (区, 县, 县级市, 旗); 'national' is 全国 (国务院, 全国人大常委会, 部委). */
export type RegionLevel = 'national' | 'province' | 'city' | 'district';

export interface RegionInfo {
  /** Chinese name as written in the documents, e.g. 新建区. */
  name: string;
  level: RegionLevel;
  /** Enclosing regions, nearest first: 新建区 → ['南昌市', '江西省']. */
  parents: string[];
  /** English name, e.g. Xinjian. */
  english: string;
  /**
   * Statistics division code (ingest/meta/places/places.json), e.g. 360112; it tells apart places that share a
   * name (several 朝阳区). Absent in indexes built before places came from data.
   */
  code?: string;
}

/** A fact line from a page header (索引号, 发文文号, 发布机关, 成文日期, 发布日期 …) kept as metadata. */
export interface HeaderFact {
  label: string;
  value: string;
}

/**
 * The form of a document, read from its outermost title (a notice that issues an opinion is a notice):
 * laws (法), regulations (条例; 办法 of the State Council), rules (办法/规定/细则 of a ministry), decisions,
 * notices, opinions, plans (方案/计划/规划/行动), work points (要点), policy interpretations (解读).
 */
export type DocType =
  | 'law'
  | 'regulation'
  | 'rule'
  | 'decision'
  | 'notice'
  | 'opinion'
  | 'plan'
  | 'work-points'
  | 'interpretation'
  | 'other';

export type LawAction = 'adopted' | 'promulgated' | 'revised' | 'amended' | 'approved' | 'in-force';

/** One line of a law's header: adopted, promulgated, revised or amended on a date, by a body. */
export interface LawEvent {
  date: string;
  action: LawAction;
  /** 全国人民代表大会常务委员会, 国务院, 浙江省人民代表大会常务委员会, when the line names it. */
  body: string | null;
  /** The order number a promulgation line carries (国务院令第308号). */
  orderNumber: string | null;
  text: string;
}

export interface DocumentMeta {
  /** Stable id derived from the file name, e.g. `jiaxing-2024-health-modernisation-opinions`. */
  docId: string;
  /** Path of the source file relative to the corpus folder. */
  source: string;
  title: string;
  issuer: string | null;
  /** e.g. 嘉政办发〔2024〕5号; null when the document has none. */
  docNumber: string | null;
  /** 成文日期 as YYYY-MM-DD. */
  issuedDate: string | null;
  /** 发布日期 as YYYY-MM-DD. */
  publishedDate: string | null;
  docType: DocType;
  /** Adoption, promulgation, revision and amendment events of a law or regulation, oldest first. */
  history: LawEvent[];
  /** When the text takes effect (自…起施行), with the clause's words; null when it does not say. */
  inForce: { date: string | null; text: string } | null;
  /**
   * Another document of the corpus with the same title and a later version date: this text is not the
   * current one. Null when this is the latest the corpus holds.
   */
  supersededBy: string | null;
  /** The place the document is for; null when neither issuer, title, body nor signature tells (a warning is reported). */
  region: RegionInfo | null;
  /** Plan period, e.g. 2023–2025; null for a one-year plan without one. */
  period: { start: number; end: number } | null;
  /** Years the document's targets are for, e.g. [2027] or [2025, 2035]. */
  horizonYears: number[];
  headerFacts: HeaderFact[];
  /**
   * Where the document was published, when its `<file>.meta.json` gives it (ingest does not guess one):
   * the page links to it as "Original page" (http and https only).
   */
  sourceUrl?: string;
}

export type ChunkKind = 'header' | 'preamble' | 'clause' | 'table-row';

/** The heading of the chunk holding a document's signature block (issuer and date at the end of the text). */
export const SIGNATURE_HEADING = '落款';

/** What the title of a text without a title line starts with, before its first words. */
export const UNTITLED = '（无标题）';

export interface TableCell {
  header: string;
  value: string;
}

export interface Chunk {
  /** `${docId}#${ordinal}`, stable for an unchanged document. */
  id: string;
  docId: string;
  kind: ChunkKind;
  /** Headings from the top, e.g. ['二、重点任务', '(三)实施全民健康促进行动', '14.改革完善家庭医生制度']. */
  headingPath: string[];
  /** Compact clause number, e.g. 二(三)14; null for headers and unnumbered text. */
  clausePath: string | null;
  /** What a user is shown: the clause itself (for a table row, its cells labelled by column header). */
  text: string;
  /** Character offsets of the chunk in the cleaned document text (`DocumentRecord.text`). */
  start: number;
  end: number;
  /** Years named in the text (and a table row's column years). */
  years: number[];
  /** Present on table rows. */
  cells?: TableCell[];
  /** Which part of a split clause this is (1-based) and how many parts there are. */
  part?: { index: number; of: number };
}

/** A chunk as ingest builds it: with what the lexical index and the embedder read, which the index does not store. */
export interface IndexedChunk extends Chunk {
  /** What is indexed: region, title and heading path prepended to the text. */
  indexText: string;
}

export interface DocumentRecord {
  meta: DocumentMeta;
  /** The cleaned text every chunk offset refers to. */
  text: string;
}

export type Comparator = '≥' | '≤' | '≈' | '=' | 'range';
export type YearSource = 'sentence' | 'table-column' | 'horizon';
/**
 * What a figure is: a 'target' to reach (plans: 覆盖率达到45%以上), a 'standard' that must hold (laws:
 * 不得低于百分之三十, 年满十八周岁), a 'penalty' (处五万元以上十万元以下的罚款, 五日以上十五日以下拘留) or a
 * 'deadline' (二十四小时内, 六个月内制定).
 */
export type TargetKind = 'target' | 'standard' | 'penalty' | 'deadline';

/** One quantitative target found in a clause or table cell. */
export interface TargetRecord {
  id: string;
  region: string;
  docId: string;
  chunkId: string;
  headingPath: string[];
  /** Chinese metric phrase as written, e.g. 家庭医生签约服务覆盖率. */
  metric: string;
  /** Canonical metric group key shared by variants of the same metric across documents. */
  metricGroup: string;
  /** Population or qualifier, e.g. 全人群, 重点人群, 二级以上综合医院. */
  qualifier: string | null;
  value: number;
  /** Upper bound for ranges (5-10个). */
  valueMax: number | null;
  /** The value as written, e.g. 45%以上. */
  valueText: string;
  /** %, ‰, /10万, 人, 个, 张, 元, 家 … with per-capita bases such as 每千人口. */
  unit: string;
  comparator: Comparator;
  /** Absent in indexes built before kinds were recorded: read as 'target'. */
  kind?: TargetKind;
  year: number | null;
  yearSource: YearSource | null;
  /** The sentence the target comes from, verbatim. */
  quote: string;
  /** Offsets of the quote in the cleaned document text. */
  start: number;
  end: number;
}
