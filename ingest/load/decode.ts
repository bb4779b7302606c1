import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Bytes to text without assuming UTF-8: a BOM decides first, then strict UTF-8, then the detector's guess
 * (government pages are often GBK/GB18030). GB2312 and GBK are decoded as GB18030, their superset.
 */
export interface Decoded {
  text: string;
  encoding: string;
}

export function decodeBytes(bytes: Uint8Array, declared?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'UTF-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16le'), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16be'), encoding: 'UTF-16BE' };
  if (declared && iconv.encodingExists(declared) && !/^utf-?8$/i.test(declared)) {
    return {
      text: iconv.decode(Buffer.from(bytes), chineseSuperset(declared)),
      encoding: declared.toUpperCase(),
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    const guess = chardet.detect(bytes) ?? 'GB18030';
    const encoding = iconv.encodingExists(guess) ? chineseSuperset(guess) : 'GB18030';
    return { text: iconv.decode(Buffer.from(bytes), encoding), encoding };
  }
}

function chineseSuperset(encoding: string): string {
  return /^(gb2312|gbk|gb18030|x-gbk|cp936)$/i.test(encoding) ? 'GB18030' : encoding;
}
