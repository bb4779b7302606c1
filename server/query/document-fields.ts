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
    /依据|根据哪|贯彻落实哪|(?:落实|贯彻|执行)(?:省里|国家|上级|上面)?的?哪(?:个|份|部)?(?:文件|规定|意见|方案|通知)|上位文件|(?:照着|按照|依照|参照).{0,8}?哪(?:个|份|部)?(?:文件|规定|方案|意见|办法)|(?:cite|cites|is) (?:as )?(?:its )?basis|based on which|meant to (?:carry out|implement)|implements? which|which (?:provincial|national|higher-level) (?:document|policy)/i,
  ],
  ['addressees', /印发给|发给哪|主送|addressed to|sent to which|recipients?\b/i],
  [
    'docNumber',
    /文号|发文字号|文件编号|编号是|几号令|第几号|令号|哪(?:个|号|一号)令|什么令|哪个文(?=印发|发的|下发)|document number|reference number|file number|order number|(?:what(?:'s| is) )?its number\b|under what number|(?:and|with) (?:the|its) number\b|decree (?:number|no)|what number (?:is|was|did)\b|number (?:of|was) the (?:order|notice|document|decree)/i,
  ],
  [
    'issuer',
    // 由谁 and 哪个部门 ask for a document's issuer only with a verb of issuing: "目录由谁编制" and "哪个部门负责"
    // ask who does something a clause assigns.
    /谁发布|谁印发|谁发的|谁签发|谁签的|(?:哪个|哪几个|哪些|几个|什么)(?:部门|机构|单位|机关)(?:联合|一起|共同)(?:发|印发|出台|制定|发布)|(?:哪个|哪几个|哪些|几个|什么)(?:部门|机构|单位|机关)(?:联合)?(?:发|印发|出台|制定的文件)|哪家单位发|哪(?:两|三|几)?家(?:单位|部门|机构|机关)?(?:联合)?(?:发|印发|出)|发布机关|发布机构|发文机关|发文单位|发文部门|发布单位|印发单位|落款(?:单位|机关|部门)|落款.{0,4}(?:哪个|哪家|什么|啥)(?:单位|机关|部门)|由谁(?:发布|印发|签发|发|出台)|issued by|who issued|issuer|who signed|which office signed|signed (?:it|this|that)|which (?:bod(?:y|ies)|departments?|agenc(?:y|ies)|offices?|governments?|authorit(?:y|ies)|ministr(?:y|ies))\b.{0,20}(?:issued?|adopted|passed|published|released|put out|signed)|who (?:adopted|passed|published|released|put out)/i,
  ],
  [
    'inForce',
    /施行(?!前|后|以前|以后|之前|之后|之日起)|生效(?!前|后|以前|以后|之前|之后|之日起)|实施日期|起实施|起执行|执行日期|开始执行|开始实施|何时实施|哪天实施|什么时候实施|(?:from|since|starting) (?:what|which) (?:date|day)|take effect|took effect|in force|into force|effective date|become effective/i,
  ],
  [
    'revision',
    /修订|修正|修改过|改过几次|最新版|哪一版|哪个版本|(?:哪次|什么|哪个)会议|(?:哪次|哪个|什么)(?:常务)?会(?:议)?(?:上)?(?:研究|审议|讨论|通过)|会议通过|(?:哪个|哪级|哪家|什么)(?:机关|部门|单位|人大)批准的|批准机关|which (?:body|authority|congress) approved|amended|amendment|revised|revision|(?:which|what) (?:meeting|session)|who (?:adopted|passed)|(?:adopted|passed) (?:it|this|that|the (?:law|regulation|rules?))\b/i,
  ],
  [
    'date',
    /成文日期|发布日期|几号(?:通过|发|印发|发布|公布|颁布|出台)|公开日期|印发日期|印发时间|落款日期|落款时间|什么时候|啥时候|何时|哪天|日期|哪一?年.{0,6}?(?:发|印发|发布|出台|颁布|公布|制定)|(?:发|印发|发布|出台|颁布|公布)的?[、,，]?哪一?年|when was|(?<!\b(?:by|from|since|starting) )what date(?! (?:each|every) (?:month|year|quarter))|date of|when did .{0,80}\b(?:issue|publish|release|put out|sign|adopt|pass)|\band when\b/i,
  ],
  [
    'period',
    // 有效期 and 期限 are a document's period only when they are the document's: "备案有效期" is a clause's.
    /规划期|实施期|执行期|(?:办法|条例|规定|方案|规划|文件|它)?(?:管|执行|试行)(?:几年|多久|多长时间)|(?:管|执行|实施)到(?:哪年|哪一年|什么时候)|(?:方案|规划|计划|文件|通知|意见|办法|规定|政策|本文|它|其)的?(?:有效期|期限)|时间跨度|目标年份|目标年|covers? which years|what period|plan period|time frame|timeframe|which years|target years?|how long (?:does|will|is) .{0,80}\b(?:run|last|cover|in (?:force|effect))\b/i,
  ],
  ['attachment', /附件|attachment|annex|appendix/i],
  [
    'title',
    /标题|文件名|(?:文件|方案|规划|通知|意见|办法|条例|规定|法|它|这个|这份|那个|那份)(?:全称|全名|名字|名称)?(?:叫什么|叫啥)|全称|出自哪|哪份文件|哪个文件|什么文件|哪部法|title of|what is the title|name of the document|which (?:document|law|regulation|plan)\b|what document|(?:(?:does|do|did) (?:it|this|that|these|those|the (?:figure|target|number|clause|quote|rule|sentence))|is (?:it|that|this)) (?:come )?from\b|comes from which/i,
  ],
];

/**
 * "什么时候", "哪天" ask a document's date only beside a word for issuing it ("哪天发的", "是谁印发的，哪天");
 * alone they ask when something must be done ("接到报告后啥时候报").
 */
const WHEN_ONLY = /什么时候|啥时候|何时|哪天/;
const DATE_WORD =
  /成文日期|发布日期|公开日期|印发日期|印发时间|日期|when was|what date|date of|when did|\band when\b/i;
const ISSUED =
  /发的|发布|印发|出台|签发|成文|颁布|下发|发文|通过的|公布的|issued|published|released|signed|adopted/i;

/** Words that ask what a text repealed or replaced. */
const REPLACED = /废止|取代|替代|replaced|repealed|superseded/i;

/** Words that name a version of a law beside another field: 新修订版, 修订后的, 最新版. */
const VERSION_ONLY = /新修订|修订后|修订版|最新版|新版/;

/**
 * Between a date word and 施行 / take effect: a break or a verb of issuing makes them two questions (哪天通过的，
 * 哪天施行; when was it passed and when did it take effect); without one they ask the one date in force.
 */
const APART = /[,，;；、]|\band\b|通过|发布|印发|公布|签发|passed|issued|adopted|signed|published/i;

/** Every field asked, in the order the question asks them. */
export function documentFieldsOf(text: string): MetadataField[] {
  return (
    METADATA_PATTERNS.map(([field, re]) => ({ field, at: text.search(re) }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at)
      // "哪天起施行" asks the effective date, not the dates of the text: 哪天 names the kind of answer. A date
      // asked apart from it ("When was it passed …, and when did it take effect?") is a field of its own.
      .filter(
        (f, _, all) =>
          !(
            f.field === 'date' &&
            all.some((g) => g.field === 'inForce' && g.at > f.at && !APART.test(text.slice(f.at, g.at)))
          ),
      )
      .map((f) => f.field)
      // "新修订版啥时候施行" asks the revised text's effective date: 新修订版 names the version, not a field.
      .filter((f, _, all) => !(f === 'revision' && all.length > 1 && VERSION_ONLY.test(text)))
      .filter((f) => f !== 'date' || !WHEN_ONLY.test(text) || DATE_WORD.test(text) || ISSUED.test(text))
      // "废止的是哪个文件" asks what a text repealed, not its own title; "照着哪个文件定的" asks its basis.
      .filter((f, _, all) => f !== 'title' || !(REPLACED.test(text) || all.includes('basis')))
  );
}

/** The question without the words that ask for a field: what is left names the document, if anything. */
export function withoutFieldWords(text: string): string {
  let out = text;
  for (const [, re] of METADATA_PATTERNS) out = out.replace(new RegExp(re.source, 'gi'), ' ');
  return out;
}
