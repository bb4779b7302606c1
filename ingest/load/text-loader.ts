import { decodeBytes } from './decode.ts';
import type { Loader } from './loader.ts';

export const textLoader: Loader = {
  extensions: ['.txt', '.md', '.markdown'],
  async load(bytes) {
    return decodeBytes(bytes);
  },
};
