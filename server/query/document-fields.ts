/**
 * The fields of a document a question asks about (issuer, number, dates, period …): one recogniser of the
 * question frame. Patterns are the ways officials and journalists ask, in Chinese and English.
 */
export type MetadataField =
  | 'issuer'
  | 'docNumber'
  | 'indexNumber'
  | 'addressees'
  | 'basis'
  | 'date'
  | 'inForce'
  | 'revision'
  | 'period'
  | 'attachment'
  | 'title';

const METADATA_PATTERNS: [MetadataField, RegExp][] = [
  ['indexNumber', /索引号|index number/i],
  [
    'basis',
    /依据|根据哪|贯彻落实哪|上位文件|(?:cite|cites|is) (?:as )?(?:its )?basis|based on which|meant to (?:carry out|implement)|implements? which|which (?:provincial|national|higher-level) (?:document|policy)/i,
  ],
  ['addressees', /印发给|发给哪|主送|addressed to|sent to which|recipients?\b/i],
  [
    'docNumber',
    /文号|发文字号|文件编号|编号是|几号令|第几号|令号|document number|reference number|file number|order number/i,
  ],
  [
    'issuer',
    /谁发布|谁印发|谁发的|谁签发|谁签的|哪个部门发|哪个机构发|哪个单位发|什么机构发|哪家单位发|发布机关|发布机构|发文机关|印发单位|哪个部门|哪个单位|由谁|issued by|who issued|issuer|who signed|which office signed|signed (?:it|this|that)|which (?:body|department|agency|office|government|authority)\b.{0,20}issued?/i,
  ],
  [
    'inForce',
    /施行|生效|实施日期|起实施|开始实施|何时实施|哪天实施|什么时候实施|take effect|took effect|in force|into force|effective date|become effective/i,
  ],
  ['revision', /修订|修正|修改过|改过几次|最新版|哪一版|哪个版本|amended|amendment|revised|revision/i],
  [
    'date',
    /成文日期|发布日期|公开日期|印发日期|印发时间|什么时候|啥时候|何时|哪天|日期|when was|what date|date of/i,
  ],
  [
    'period',
    /规划期|实施期|执行期|有效期|期限|时间跨度|目标年份|目标年|covers? which years|what period|plan period|time frame|timeframe|which years|target years?|how long (?:does|will|is) .{0,80}\b(?:run|last|cover|in (?:force|effect))\b/i,
  ],
  ['attachment', /附件|attachment|annex|appendix/i],
  [
    'title',
    /标题|文件名|叫什么|全称|出自哪|哪份文件|哪个文件|什么文件|哪部法|title of|what is the title|name of the document|which (?:document|law|regulation|plan)\b|what document|(?:come|comes|is (?:it|that|this)) from/i,
  ],
];

/**
 * "什么时候", "哪天" ask a document's date only beside a word for issuing it ("哪天发的", "是谁印发的，哪天");
 * alone they ask when something must be done ("接到报告后啥时候报").
 */
const WHEN_ONLY = /什么时候|啥时候|何时|哪天/;
const DATE_WORD = /成文日期|发布日期|公开日期|印发日期|印发时间|日期|when was|what date|date of/i;
const ISSUED =
  /发的|发布|印发|出台|签发|成文|颁布|下发|发文|通过的|公布的|issued|published|released|signed|adopted/i;

/** Every field asked, in the order the question asks them. */
export function documentFieldsOf(text: string): MetadataField[] {
  return (
    METADATA_PATTERNS.map(([field, re]) => ({ field, at: text.search(re) }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at)
      .map((f) => f.field)
      // "哪天起施行" asks the effective date, not the dates of the text: 哪天 names the kind of answer.
      .filter((f, _, all) => !(f === 'date' && all.includes('inForce')))
      .filter((f) => f !== 'date' || !WHEN_ONLY.test(text) || DATE_WORD.test(text) || ISSUED.test(text))
  );
}

/** The question without the words that ask for a field: what is left names the document, if anything. */
export function withoutFieldWords(text: string): string {
  let out = text;
  for (const [, re] of METADATA_PATTERNS) out = out.replace(new RegExp(re.source, 'gi'), ' ');
  return out;
}
