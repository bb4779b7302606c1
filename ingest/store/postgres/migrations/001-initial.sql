-- Schema 1: the index in tables. Everything a server answers from; vectors are in chunk_vectors, created
-- by ingest with the embedder's dimensions when the vector extension exists (pg-vector-store.ts).

-- One row: the index as a whole. `version` grows with every committed change, so a replica knows when to
-- reload its caches (pg-open-index.ts); chunk_count and total_length are BM25's n and average length.
CREATE TABLE index_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL DEFAULT 0,
  embedder_kind text NOT NULL DEFAULT 'lexical',
  embedder_id text NOT NULL DEFAULT 'none',
  dimensions integer NOT NULL DEFAULT 0,
  settings json NOT NULL DEFAULT 'null',
  built_at timestamptz,
  chunk_count bigint NOT NULL DEFAULT 0,
  total_length bigint NOT NULL DEFAULT 0,
  -- The CC-CEDICT entries of the corpus vocabulary (ingest/text/cedict.ts), rebuilt after each ingest.
  dictionary json NOT NULL DEFAULT 'null'
);
INSERT INTO index_state DEFAULT VALUES;

-- One row per corpus file: its hash and the key of everything that shaped its rows, so an unchanged file
-- is skipped; file_pos orders documents as the local index does (corpus folder first, then added files).
CREATE TABLE sources (
  path text PRIMARY KEY,
  sha256 text NOT NULL,
  content_key text NOT NULL,
  bytes bigint NOT NULL,
  encoding text,
  error text,
  file_pos integer NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
  doc_id text PRIMARY KEY,
  source text NOT NULL REFERENCES sources (path) ON DELETE CASCADE,
  part integer NOT NULL,
  title text NOT NULL,
  doc_number text,
  issuer text,
  doc_type text NOT NULL,
  region_name text,
  region_code text,
  region_level text,
  issued_date text,
  published_date text,
  horizon_years integer[] NOT NULL,
  clause_years integer[] NOT NULL,
  chunk_count integer NOT NULL,
  -- The whole DocumentMeta as answering reads it (history, in-force clause, header facts …).
  meta json NOT NULL,
  text text NOT NULL
);
CREATE INDEX documents_source ON documents (source);
CREATE INDEX documents_region ON documents (region_name);

CREATE TABLE chunks (
  id bigserial PRIMARY KEY,
  chunk_id text NOT NULL UNIQUE,
  doc_id text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  kind text NOT NULL,
  heading_path text[] NOT NULL,
  clause_path text,
  text text NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  years integer[] NOT NULL,
  part_index integer,
  part_of integer,
  -- Tokens of the indexed text: BM25's chunk length.
  length integer NOT NULL,
  UNIQUE (doc_id, ordinal)
);

CREATE TABLE table_cells (
  chunk bigint NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  position integer NOT NULL,
  header text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (chunk, position)
);

CREATE TABLE targets (
  doc_id text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  position integer NOT NULL,
  target_id text NOT NULL,
  chunk_id text NOT NULL,
  region text NOT NULL,
  heading_path text[] NOT NULL,
  metric text NOT NULL,
  metric_group text NOT NULL,
  qualifier text,
  value double precision NOT NULL,
  value_max double precision,
  value_text text NOT NULL,
  unit text NOT NULL,
  comparator text NOT NULL,
  kind text,
  year integer,
  year_source text,
  quote text NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  PRIMARY KEY (doc_id, position)
);
CREATE INDEX targets_region_year ON targets (region, year);

-- The lexical index: the same tokens as the local index (ingest/text/tokenize.ts), one row per term and
-- chunk, with each term's document frequency kept beside it so BM25 needs no scan to weigh a term.
CREATE TABLE terms (
  term text NOT NULL,
  chunk bigint NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  tf integer NOT NULL,
  PRIMARY KEY (term, chunk)
);
CREATE INDEX terms_chunk ON terms (chunk);
CREATE TABLE term_stats (
  term text PRIMARY KEY,
  df integer NOT NULL
);

-- Word → chunks using it, per document (summed over documents it is the corpus vocabulary).
CREATE TABLE vocabulary (
  doc_id text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  word text NOT NULL,
  chunks integer NOT NULL,
  PRIMARY KEY (doc_id, word)
);
