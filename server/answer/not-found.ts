import type { Understanding } from '../query/understand.ts';

/** Why there is no answer, in the asker's language. The related clauses follow it in the response. */
export type NotFoundReason =
  | { kind: 'unknown-region'; names: string[] }
  | { kind: 'year-not-covered'; years: number[]; regions: string[] }
  | { kind: 'no-match' };

export function notFoundMessage(reason: NotFoundReason, u: Pick<Understanding, 'lang'>): string {
  const en = u.lang === 'en';
  switch (reason.kind) {
    case 'unknown-region':
      return en
        ? `Not in these documents: the corpus has no document for ${reason.names.join(', ')}.`
        : `这些文件中没有关于${reason.names.join('、')}的内容。`;
    case 'year-not-covered': {
      const years = reason.years.join(', ');
      const where = reason.regions.length ? reason.regions.join('、') : '';
      return en
        ? `Not in these documents: ${where ? `the ${where} documents set no target` : 'no document sets a target'} for ${years}.`
        : `这些文件中没有${where}${reason.years.map((y) => `${y}年`).join('、')}的相关目标。`;
    }
    case 'no-match':
      return en
        ? 'Not in these documents: no clause answers this question. Related clauses are listed below.'
        : '这些文件中没有找到能回答该问题的条款。以下是相关条款。';
  }
}
