/**
 * What kind of answer a question asks for. The answer type decides which sentences can answer (a value
 * question needs a figure, a list question a clause that enumerates) and how the answer is shaped.
 *
 * The patterns are the question words of written and typed Chinese and of plain English; the first type
 * whose pattern matches wins, so the more specific types come first (责任单位 before 哪些, 几天 before 几, 哪几家
 * before 达到).
 */
export type AnswerType =
  /** A figure: a target, rate, standard or limit (多少, 比例, 达到, 标准). */
  | 'value'
  /** A duration or deadline (几天, 多长时间, within how many days). */
  | 'duration'
  /** A count of things (几类, 几个, how many kinds). */
  | 'count'
  /** The bodies responsible (牵头单位, 责任单位, 谁负责). */
  | 'responsible'
  /** A sanction (怎么处罚, 罚多少, 法律责任). */
  | 'penalty'
  /** Whether something is allowed or required (能不能, 是否, 可以吗). */
  | 'yesno'
  /** An enumeration: measures, kinds, members (哪些, 哪几, 有啥, what measures). */
  | 'list'
  /** A name of a place, body, programme or thing (哪个, 哪家, which, who). */
  | 'name'
  /** What a term means (怎么定义, 指什么, what is meant by). */
  | 'definition'
  /** A rule of conduct (怎么要求, 应当, 咋办, what must). */
  | 'obligation'
  /** Anything else: the sentence that best covers the question answers it. */
  | 'general';

const PATTERNS: readonly [AnswerType, RegExp][] = [
  // The fine asked for outright comes first: "what's the fine … if it ignores the deadline" asks an amount, its
  // deadline is the case.
  [
    'penalty',
    /罚多少|罚款多少|罚几|怎么罚|咋罚|what(?:'s| is| are) the (?:fines?|penalt)|how (?:much|big|large|high) (?:is |are |can |could |will )?(?:the )?(?:fines?|penalt)/i,
  ],
  // A span of time asked for outright comes next: "多少小时内要向…主管部门报告?" names a body, asks a deadline.
  [
    'duration',
    /几天|几日|(?<!哪)几年(?!级)|几个?小时|几分钟|几个?工作日|几周|几个?月|几年内|多少天|多少日|多少个?小时|多少分钟|多少个?工作日|多少周|多少个月|多长时间|多久|期限|时限|什么时候|啥时候|何时|how long|how (?:quickly|soon|fast|often)\b|^(?:and )?when\b|how many (?:days|hours|minutes|working days|months|weeks|years)|within how|by what (?:date|day|time)|by when|deadline|time limit/i,
  ],
  [
    'responsible',
    /牵头单位|责任单位|责任部门|负责部门|主管部门|谁负责|谁来管|谁管|由谁负责|哪个部门负责|哪些部门负责|归哪|lead (?:unit|department|agency)|responsible (?:unit|department|bod(?:y|ies)|agenc)|who is responsible|who is in charge|in charge of|which (?:department|agency|body|bodies|office)s? (?:is|are) (?:in charge|responsible)/i,
  ],
  [
    'penalty',
    /处罚|罚款|如何处理|怎么处理|咋处理|法律责任|追究|吊销|什么后果|啥后果|penalt|fined?\b|punish|sanction|what (?:can |will |would )?happens? to (?:a |an |the )?(?:someone|anyone|people|persons?|doctors?|hospitals?|clinics?|pharmac(?:y|ies)|institutions?|staff|nurses?)\b/i,
  ],
  [
    'definition',
    /怎么定义|如何定义|定义是|是什么意思|什么意思|指什么|指的是什么|指啥|是指什么|what (?:is|does) .{0,40}\bmean|what is meant by|\bdefin(?:e|ed|ition)\b/i,
  ],
  [
    'count',
    /(?<!哪)(?:几类|几种|几个|几家|几所|几项|几名|几人|几级|几档|几等|几批|几轮|几期|几次)|多少个|多少家|多少项|多少位|多少级|几位|how many/i,
  ],
  [
    'yesno',
    /能不能|能否|可不可以|可以吗|行不行|是否|(?:能|可以|允许|需要|必须|要).{0,16}吗|需不需要|要不要|有没有|(?:^|,\s*)(?:can|may|must|is|are|does|do|should) /i,
  ],
  // Words that ask for a figure outright come first; the words that only name one (达到, 目标, rate, target)
  // come after 哪几/哪些, so "达到三级水平的是哪几家?" asks for the hospitals, not for a figure. English
  // "which" stays after them: "Which city's target is 45%?" asks for the target's place and figure.
  [
    'value',
    /多少|几成|多大|多高|几岁|什么标准|标准是|how much|how old|what age|what percentage|what (?:share|proportion|fraction)|percent|number of|what standard|\b(?:minimum|maximum|lowest|highest)\b/i,
  ],
  // "甲类传染病是哪两个": a count of items named asks for the items.
  ['list', /哪几|哪些|哪[两二三四五六七八九十](?:个|种|类|项|家|条|部|大|方面)/],
  // English measure words as whole words: "cooperate" holds a "rate".
  [
    'value',
    /比例|[^效]率|目标|指标|达到|\brates?\b|\bratios?\b|\btargets?\b|\bgoals?\b|\bcap\b|\bceiling\b|upper limit|\bsets? for (?:19|20)\d{2}\b|\baim(?:s|ed|ing)? (?:for|at)\b/i,
  ],
  [
    'list',
    /哪些|哪几|有啥|有什么|都有|都包括|包括什么|包括哪|分为|分成|举措|措施|任务|(?:什么|啥|哪种|哪些)(?:情况|情形)下?|in what (?:cases|circumstances|situations)|under what (?:circumstances|conditions|situations)|what (?:situations|circumstances)\b|what measures|what steps|what (?:kinds?|types?|sorts?|categories) of\b|what (?:are|kinds?|types?)\b.*\b(?:measures|kinds|types|tasks|categories)|what (?:paperwork|documents|materials|papers)\b|\bwhich (?:[a-z-]+ ){0,2}(?:departments|bodies|agencies|bureaus|offices|units|organi[sz]ations|drugs|medicines|materials|situations|circumstances)\b|\blist\b/i,
  ],
  [
    'name',
    /哪个|哪家|哪所|哪次|哪项|哪份|哪一|哪级|什么级别|啥级别|哪里|哪儿|在哪|什么(?:机构|部门|名称|单位|地方)|\bwhich\b|\bwho\b|\bwhose\b|\bwhere\b|\bwhat is the name\b/i,
  ],
  [
    'obligation',
    /怎么要求|如何要求|咋要求|要求|应当|必须|咋办|怎么办|怎么做|如何做|要做什么|what (?:must|should)|required|obliged|have to/i,
  ],
];

export function answerTypeOf(question: string): AnswerType {
  const text = question.normalize('NFKC');
  return PATTERNS.find(([, re]) => re.test(text))?.[0] ?? 'general';
}

/** Types whose answer must contain a figure. */
export const FIGURE_TYPES: ReadonlySet<AnswerType> = new Set(['value', 'duration', 'count']);
