import type { DocType } from '../model.ts';

/** The form of a document from its outermost title; see `DocType`. */
const BY_SUFFIX: [RegExp, DocType][] = [
  [/解读$/, 'interpretation'],
  [/通知$|通报$|函$/, 'notice'],
  [/决定$|决议$/, 'decision'],
  [/意见$/, 'opinion'],
  [/要点$/, 'work-points'],
  [/(?:方案|计划|规划|纲要|行动|安排)$/, 'plan'],
  [/条例$/, 'regulation'],
  [/(?:办法|规定|细则|规范|规则|标准)$/, 'rule'],
  [/法$/, 'law'],
];

export function docTypeOf(title: string, issuer: string | null): DocType {
  const bare = title
    .normalize('NFKC')
    .replace(/[(（][^()（）]*[)）]$/, '')
    .replace(/[》”"\s]+$/, '');
  const type = BY_SUFFIX.find(([re]) => re.test(bare))?.[1] ?? 'other';
  if (type === 'rule' && issuer && /^国务院$/.test(issuer)) return 'regulation';
  if (type === 'rule' && /实施(?:办法|细则)$/.test(bare) && /^中华人民共和国/.test(bare)) return 'regulation';
  return type;
}
