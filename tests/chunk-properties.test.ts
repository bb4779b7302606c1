import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../ingest/chunk/prepare-document.ts';

/** A document of numbered clauses under 一、/(一) headings, with sentences of arbitrary length. */
const sentence = fc
  .tuple(
    fc.array(
      fc.constantFrom(...'家庭医生签约服务覆盖率达到以上托位数每千人口重点人群建设推进完善'.split('')),
      {
        minLength: 4,
        maxLength: 60,
      },
    ),
    fc.constantFrom('。', ';'),
  )
  .map(([chars, end]) => `${chars.join('')}${end}`);
const clause = fc.array(sentence, { minLength: 1, maxLength: 30 });
const documentText = fc
  .array(fc.array(clause, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 })
  .map((sections) => {
    const cn = ['一', '二', '三'];
    let n = 0;
    const lines = ['嘉兴市人民政府办公室关于推进卫生健康建设的实施意见'];
    sections.forEach((clauses, i) => {
      lines.push(`${cn[i]}、重点任务${i + 1}`);
      for (const sentences of clauses) lines.push(`${++n}.任务名称${n}。${sentences.join('')}`);
    });
    return lines.join('\n');
  });

describe('chunk boundaries (property)', () => {
  it('every chunk is its slice of the cleaned text, and every clause sentence lands in some chunk', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const { record, chunks } = prepareDocument(
          { source: 'jiaxing-test.txt', text },
          {},
          { maxChars: 200, overlapSentences: 1 },
        );
        for (const c of chunks) expect(record.text.slice(c.start, c.end)).toBe(c.text);
        const clauses = chunks.filter((c) => c.kind === 'clause');
        for (const line of record.text.split('\n').filter((l) => /^\d+\./.test(l))) {
          const at = record.text.indexOf(line);
          for (let i = at; i < at + line.length; i++) {
            if (!clauses.some((c) => c.start <= i && i < c.end))
              throw new Error(`character ${i} of "${line.slice(0, 20)}…" is in no chunk`);
          }
        }
        for (const c of clauses)
          expect(c.end - c.start <= 200 || !/[。;]/.test(c.text.slice(0, -1))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
