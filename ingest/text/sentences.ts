/**
 * The one sentence splitter: chunking, target extraction and the answerer's candidates all cut text here,
 * so the sentence a lead line's record comes from is the sentence the answer quotes.
 */
export interface Sentence {
  /** Offsets in the text given, plus `offset`. */
  start: number;
  end: number;
}

export interface SplitOptions {
  /**
   * End a sentence at ；/; too (default true). Target extraction passes false: a plan's sentence states its
   * year and subject once before a list of figures joined by semicolons ("到2025年,A达到50%;B达到60%。"), and
   * each figure needs them.
   */
  semicolons?: boolean;
}

const OPEN_BRACKETS = new Set(['(', '（', '[', '【', '〔', '「', '“']);
const CLOSE_BRACKETS = new Set([')', '）', ']', '】', '〕', '」', '”']);
/** Longest bracket a ; may hide in: an unclosed "(" further back is a typo, not a parenthesis. */
const MAX_BRACKET_CHARS = 300;

/**
 * Sentence ends: 。, a line break, and the ASCII ; ! ? that web pages use between list items (a run of them
 * ends once). The full-width ；of laws is not an end: it joins a rule's parts ("…责令其限期补办校验手续；拒不
 * 校验的，吊销…"), and an answer quoting half of it loses the sanction (realdocs-dev: 78.6% answered right
 * keeping them together, 75.7% cutting there). A `;` inside brackets separates the parts of one
 * parenthesis, not sentences: "(牵头单位:各县区政府;责任单位:市卫生健康委、市医保局)" is one note, and cut at
 * its `;` the answer to "who is responsible" loses the responsible units.
 */
export function splitSentences(text: string, offset = 0, options: SplitOptions = {}): Sentence[] {
  const semicolons = options.semicolons !== false;
  const out: Sentence[] = [];
  let from = 0;
  let depth = 0;
  let openedAt = -1;
  const push = (end: number) => {
    const raw = text.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) {
      const start = offset + from + lead;
      out.push({ start, end: start + trimmed.length });
    }
    from = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (OPEN_BRACKETS.has(c)) {
      if (depth === 0) openedAt = i;
      depth++;
    } else if (CLOSE_BRACKETS.has(c) && depth > 0) depth--;
    if (depth > 0 && i - openedAt > MAX_BRACKET_CHARS) depth = 0;
    if (c === '\n') {
      push(i + 1);
      depth = 0;
      continue;
    }
    const ends = c === '。' || c === '!' || c === '?' || (semicolons && c === ';' && depth === 0);
    if (!ends) continue;
    // A run of end marks ends once ("?!", "。。").
    let j = i + 1;
    while (j < text.length && /[。;!?]/.test(text[j] ?? '')) j++;
    push(j);
    i = j - 1;
    depth = 0;
  }
  push(text.length);
  return out;
}
