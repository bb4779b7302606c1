import type { ChatTurn, QueryUnderstanding } from '../answer/contract.ts';
import { findRegions } from './find-regions.ts';
import { findYears } from './find-years.ts';
import type { Glossary } from './glossary.ts';
import { resolveFollowUp } from './resolve-followup.ts';

/** What the question asks for, beyond the contract's fields. */
export type Intent = 'target' | 'comparison' | 'metadata' | 'general';
export type MetadataField = 'issuer' | 'docNumber' | 'indexNumber' | 'date' | 'period' | 'title';

export interface Understanding extends QueryUnderstanding {
  intent: Intent;
  metadataField: MetadataField | null;
  /** The year came from an earlier turn while the region changed: boost it, do not require it. */
  softYear: boolean;
  /** Text used for retrieval: the resolved question plus Chinese glossary terms. */
  searchText: string;
  /** Chinese topic text (question without region, year and question words) used to match sentences. */
  topic: string;
}

const METADATA_PATTERNS: [MetadataField, RegExp][] = [
  ['indexNumber', /索引号|index number/i],
  ['docNumber', /文号|发文字号|文件编号|编号是|document number|reference number|file number/i],
  [
    'issuer',
    /谁发布|谁印发|发布机关|发布机构|发文机关|印发单位|哪个部门|哪个单位|issued by|who issued|issuer|which (?:body|department|agency|office)/i,
  ],
  ['date', /成文日期|发布日期|公开日期|什么时候|何时|哪天|日期|when was|what date|date of/i],
  [
    'period',
    /规划期|实施期|期限|时间跨度|covers? which years|what period|plan period|time frame|timeframe|which years/i,
  ],
  ['title', /标题|文件名|叫什么|全称|title of|what is the title|name of the document/i],
];
const COMPARISON =
  /各地|对比|比较|哪些(?:城市|地区|地方)|各城市|各个城市|分别是|which cities|which regions|compare|comparison|across (?:cities|regions|documents)|each city|all cities|different cities/i;
const NUMERIC =
  /多少|几|比例|率|目标|指标|数量|达到|how many|how much|what percentage|percent|rate|ratio|target|number of|goal|aim/i;
const QUESTION_WORDS_ZH =
  /是多少|多少|是什么|什么|有哪些|哪些|如何|怎么|怎样|目标值|目标|指标|要求|达到|计划|预计|请问|吗|呢|的|是|[??,,。.!!、\s]/g;

export function understand(
  question: string,
  history: readonly ChatTurn[],
  glossary: Glossary,
): Understanding {
  const resolved = resolveFollowUp(question, history);
  const text = resolved.text;
  const lang: 'zh' | 'en' = /\p{Script=Han}/u.test(question) ? 'zh' : 'en';
  const regions = findRegions(text);
  const years = [...new Set(findYears(text).map((y) => y.year))];
  const expansions = /[a-z]/i.test(text) ? glossary.expand(text).zhTerms : [];
  const metadataField = METADATA_PATTERNS.find(([, re]) => re.test(text))?.[0] ?? null;
  const intent: Intent =
    metadataField && !/覆盖率|死亡率|coverage|mortality/i.test(text)
      ? 'metadata'
      : COMPARISON.test(text) || regions.regions.length > 1
        ? 'comparison'
        : NUMERIC.test(text)
          ? 'target'
          : 'general';
  let topic = text.normalize('NFKC');
  for (const s of [...regions.spans].reverse()) topic = topic.slice(0, s.start) + topic.slice(s.end);
  for (const y of findYears(topic).reverse()) topic = topic.slice(0, y.start) + topic.slice(y.end);
  topic = [
    topic
      .replace(/[a-z'’-]+/gi, ' ')
      .replace(QUESTION_WORDS_ZH, ' ')
      .trim(),
    ...expansions,
  ]
    .join(' ')
    .trim();
  return {
    resolvedQuestion: text,
    lang,
    regions: regions.regions,
    unknownRegions: regions.unknown,
    years,
    expansions,
    intent,
    metadataField: intent === 'metadata' ? metadataField : null,
    softYear: resolved.inheritedYear,
    searchText: [text, ...expansions].join(' '),
    topic,
  };
}
