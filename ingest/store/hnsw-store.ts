import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { ScoredId, SearchFilter, VectorStore } from './vector-store.ts';

const { HierarchicalNSW } = hnswlib;

/** Graph degree. Default 16: hnswlib's recommendation for up to a few million vectors. */
export const DEFAULT_M = 16;
/** Build-time candidate list. Default 200: better recall for a one-off build cost. */
export const DEFAULT_EF_CONSTRUCTION = 200;
/** Query-time candidate list floor. Default 64; raised to k when k is larger. */
export const DEFAULT_EF_SEARCH = 64;

const INDEX_FILE = 'vectors.hnsw';
const IDS_FILE = 'vector-ids.json';

type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Cosine nearest neighbours with hnswlib; labels are positions in `ids`. */
export class HnswStore implements VectorStore {
  private constructor(
    readonly dimensions: number,
    private readonly index: Hnsw,
    private readonly ids: string[],
    private readonly docOf: (chunkId: string) => string | undefined,
    private capacity: number,
  ) {}

  static create(
    dimensions: number,
    capacity: number,
    docOf: (chunkId: string) => string | undefined,
  ): HnswStore {
    const index = new HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(1, capacity), DEFAULT_M, DEFAULT_EF_CONSTRUCTION, 100);
    return new HnswStore(dimensions, index, [], docOf, Math.max(1, capacity));
  }

  static load(dir: string, dimensions: number, docOf: (chunkId: string) => string | undefined): HnswStore {
    const file = join(dir, INDEX_FILE);
    if (!existsSync(file)) throw new Error(`The vector index ${file} is missing: run \`npm run ingest\`.`);
    const index = new HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(file);
    const ids = JSON.parse(readFileSync(join(dir, IDS_FILE), 'utf8')) as string[];
    return new HnswStore(dimensions, index, ids, docOf, index.getMaxElements());
  }

  get size(): number {
    return this.ids.length;
  }

  async add(items: readonly { id: string; vector: Float32Array }[]): Promise<void> {
    if (this.ids.length + items.length > this.capacity) {
      this.capacity = Math.max(this.capacity * 2, this.ids.length + items.length);
      this.index.resizeIndex(this.capacity);
    }
    for (const item of items) {
      if (item.vector.length !== this.dimensions) {
        throw new Error(
          `Vector for ${item.id} has ${item.vector.length} dimensions, the index ${this.dimensions}.`,
        );
      }
      this.index.addPoint(Array.from(item.vector), this.ids.length);
      this.ids.push(item.id);
    }
  }

  async search(vector: Float32Array, k: number, filter?: SearchFilter): Promise<ScoredId[]> {
    const count = Math.min(k, this.ids.length);
    if (count === 0) return [];
    this.index.setEf(Math.max(DEFAULT_EF_SEARCH, count));
    const allowed = filter?.docIds ? new Set(filter.docIds) : null;
    const accept = allowed
      ? (label: number) => allowed.has(this.docOf(this.ids[label] ?? '') ?? '')
      : undefined;
    const result = this.index.searchKnn(Array.from(vector), count, accept);
    return result.neighbors.map((label, i) => ({
      id: this.ids[label] ?? '',
      score: 1 - (result.distances[i] ?? 1),
    }));
  }

  async save(dir: string): Promise<void> {
    this.index.writeIndexSync(join(dir, INDEX_FILE));
    writeFileSync(join(dir, IDS_FILE), JSON.stringify(this.ids));
  }
}
