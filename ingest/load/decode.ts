import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Bytes to text without assuming UTF-8 (government pages are often GBK/GB18030), in this order:
 *
 * 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE).
 * 2. Valid UTF-8 stays UTF-8 whatever a page declares: pages copied or re-saved keep a stale
 *    `<meta charset=gbk>` far more often than valid UTF-8 happens to be another encoding.
 * 3. Mostly-valid UTF-8 (a few stray bytes, see {@link MAX_STRAY_UTF8_BYTES}) is UTF-8 with U+FFFD
 *    replacements and a warning: re-guessing the whole file as another encoding would garble every line
 *    to save one character.
 * 4. A declared non-UTF-8 charset is honoured (GB2312/GBK decoded as GB18030, their superset).
 * 5. Otherwise chardet guesses; see {@link preferChinese} for when its guess is overruled.
 */
export interface Decoded {
  text: string;
  /** Upper-case encoding name for the ingest report, e.g. "UTF-8", "GB18030". */
  encoding: string;
  /** Things the user should know ("2 invalid UTF-8 bytes replaced at offsets 10, 20"). */
  warnings: string[];
}

/**
 * Default 8: a handful of bad bytes (a truncated copy, one mis-pasted character) is damage, not another
 * encoding. Larger files may have up to {@link MAX_STRAY_UTF8_SHARE} of their bytes invalid.
 */
export const MAX_STRAY_UTF8_BYTES = 8;
/** Default 0.1% of all bytes: above this the file is more likely in another encoding than damaged. */
export const MAX_STRAY_UTF8_SHARE = 0.001;
/**
 * Default 10: valid multi-byte characters must outnumber invalid bytes tenfold before stray bytes are
 * forgiven, so an ASCII file with two GBK characters is still read as GBK, not as UTF-8 with two U+FFFD.
 */
export const MIN_VALID_PER_INVALID = 10;
/** How many offsets a warning lists before "…". */
const OFFSETS_SHOWN = 5;

export function decodeBytes(bytes: Uint8Array, declared?: string | null): Decoded {
  const bom = decodeBom(bytes);
  if (bom) return bom;

  const scan = scanUtf8(bytes);
  if (scan.invalidBytes === 0) return { text: utf8(bytes), encoding: 'UTF-8', warnings: [] };
  if (isStrayDamage(scan, bytes.length)) {
    const shown = scan.offsets.slice(0, OFFSETS_SHOWN).join(', ');
    const more = scan.offsets.length > OFFSETS_SHOWN ? ', …' : '';
    const plural = scan.invalidBytes === 1 ? 'byte' : 'bytes';
    return {
      text: utf8(bytes),
      encoding: 'UTF-8',
      warnings: [
        `${scan.invalidBytes} invalid UTF-8 ${plural} replaced with U+FFFD at offset${scan.offsets.length === 1 ? '' : 's'} ${shown}${more}`,
      ],
    };
  }

  const buffer = Buffer.from(bytes);
  if (declared && !/^utf-?8$/i.test(declared.trim()) && iconv.encodingExists(declared.trim())) {
    const encoding = canonical(declared.trim());
    const text = iconv.decode(buffer, encoding);
    const warnings = text.includes('\ufffd')
      ? [`some bytes are not valid ${encoding} (as declared) and were replaced with U+FFFD`]
      : [];
    return { text, encoding, warnings };
  }
  const guess = chardet.detect(bytes);
  const encoding = preferChinese(buffer, guess && iconv.encodingExists(guess) ? canonical(guess) : 'GB18030');
  const text = iconv.decode(buffer, encoding);
  const warnings = text.includes('\ufffd')
    ? [`some bytes are not valid ${encoding} and were replaced with U+FFFD (encoding guessed, none declared)`]
    : [];
  return { text, encoding, warnings };
}

function decodeBom(bytes: Uint8Array): Decoded | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: utf8(bytes.subarray(3)), encoding: 'UTF-8', warnings: [] };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return {
      text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16le'),
      encoding: 'UTF-16LE',
      warnings: [],
    };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return {
      text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf16be'),
      encoding: 'UTF-16BE',
      warnings: [],
    };
  return null;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

interface Utf8Scan {
  invalidBytes: number;
  /** Offset of the first byte of each invalid sequence. */
  offsets: number[];
  /** Well-formed characters of two to four bytes. */
  validMultibyte: number;
}

/** Walks the bytes by the UTF-8 rules (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
function scanUtf8(bytes: Uint8Array): Utf8Scan {
  const scan: Utf8Scan = { invalidBytes: 0, offsets: [], validMultibyte: 0 };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      scan.validMultibyte++;
      i += length;
      continue;
    }
    scan.invalidBytes++;
    const last = scan.offsets[scan.offsets.length - 1];
    // Consecutive bad bytes are one place to look at, not several.
    if (last === undefined || i - last > 3) scan.offsets.push(i);
    i++;
  }
  return scan;
}

/** Length of the well-formed multi-byte sequence starting at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b >= 0xc2 && b <= 0xdf) return isContinuation(bytes, i + 1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return isContinuation(bytes, i + 1, lo, hi) && isContinuation(bytes, i + 2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return isContinuation(bytes, i + 1, lo, hi) &&
      isContinuation(bytes, i + 2) &&
      isContinuation(bytes, i + 3)
      ? 4
      : 0;
  }
  return 0;
}

/** A top-level function, not a closure per character: this runs once per byte of every corpus file. */
function isContinuation(bytes: Uint8Array, at: number, lo = 0x80, hi = 0xbf): boolean {
  const c = bytes[at];
  return c !== undefined && c >= lo && c <= hi;
}

function isStrayDamage(scan: Utf8Scan, size: number): boolean {
  const few = scan.invalidBytes <= Math.max(MAX_STRAY_UTF8_BYTES, size * MAX_STRAY_UTF8_SHARE);
  return few && scan.validMultibyte >= scan.invalidBytes * MIN_VALID_PER_INVALID;
}

function canonical(encoding: string): string {
  return /^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|windows-936)$/i.test(encoding)
    ? 'GB18030'
    : encoding.toUpperCase();
}

/**
 * Characters among the most frequent in modern written Chinese (function words and the vocabulary of
 * administrative prose). GBK bytes decoded as GB18030 are full of them; the same bytes decoded as
 * Shift_JIS, EUC-KR or Big5 yield kana, Hangul or rare traditional characters instead.
 */
const COMMON_HAN = new Set(
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质民团委局院厅办政策卫健康医疗保障药服务监督标准规范制度组织实施'.split(
    '',
  ),
);

/**
 * The rule: when chardet's guess is neither GB18030 nor a Unicode encoding (on short Chinese texts it says
 * Shift_JIS, EUC-KR, Big5 or even KOI8-R), decode the bytes as GB18030 as well, and prefer GB18030 when it decodes without a replacement character and yields at
 * least as many common Chinese characters. The corpus is Chinese government text, so a tie goes to
 * Chinese; a genuinely Japanese or Korean file keeps its guess because GB18030 gives it few common
 * characters (or replacement characters).
 */
function preferChinese(buffer: Buffer, guess: string): string {
  if (guess === 'GB18030' || /^utf-?(8|16|32)/i.test(guess)) return guess;
  const gb = iconv.decode(buffer, 'GB18030');
  if (gb.includes('\ufffd')) return guess;
  return commonHan(gb) >= commonHan(iconv.decode(buffer, guess)) ? 'GB18030' : guess;
}

function commonHan(text: string): number {
  let n = 0;
  for (const c of text) if (COMMON_HAN.has(c)) n++;
  return n;
}
