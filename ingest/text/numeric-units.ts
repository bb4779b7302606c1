/**
 * The units Chinese policy documents write after a number, in one place: the numeral reader
 * (`chinese-numerals.ts`), target extraction and the answerer's "does this sentence hold a figure" test all
 * read them from here, so a unit added for one is known to the others.
 *
 * Domain knowledge, not code: each group lists the units as documents write them. Matching always tries
 * the longest unit first (万元 before 万, 个月 before 个, 周岁 before 岁), which `UNIT_LIST` keeps.
 */

export type UnitCategory =
  | 'ratio'
  | 'money'
  | 'time'
  | 'age'
  | 'count'
  | 'multiple'
  | 'area'
  | 'length'
  | 'mass'
  | 'volume'
  | 'level'
  | 'scale';

/**
 * Units by category. 'scale' is a bare 万 / 亿 written after a number with nothing counted after it
 * (80万 → 80 万): it is a unit only when no other unit follows.
 */
export const UNITS: Readonly<Record<UnitCategory, readonly string[]>> = {
  // 个百分点: a change of a rate (降幅在10个百分点左右), not ten things counted.
  ratio: ['%', '‰', '‱', '个百分点', '百分点'],
  money: ['亿元', '万元', '千元', '元'],
  // 工作日 and 个工作日 are time limits in laws (十五个工作日内); 个月 is a month count, 月 alone is a date.
  time: ['个工作日', '工作日', '个小时', '小时', '分钟', '个月', '周', '日', '天', '年'],
  age: ['周岁', '岁'],
  count: [
    '万人次',
    '人次',
    '万人',
    '人',
    '名',
    '个',
    '家',
    '所',
    '张',
    '次',
    '项',
    '类',
    '支',
    '台',
    '套',
    '辆',
    '床',
    '间',
    '座',
    '户',
    '例',
    '种',
    '批',
  ],
  // 二级以上医院, 三级甲等: a grade names a kind of institution, not an amount.
  level: ['级'],
  multiple: ['倍'],
  area: ['平方公里', '平方千米', '平方米', '亩'],
  length: ['公里', '千米', '厘米', '毫米', '米'],
  mass: ['千克', '公斤', '毫克', '克', '吨'],
  volume: ['毫升', '升'],
  scale: ['亿', '万'],
};

/** Every unit with its category, longest first so that a longer unit wins over its prefix. */
export const UNIT_LIST: readonly { unit: string; category: UnitCategory }[] = (
  Object.entries(UNITS) as [UnitCategory, readonly string[]][]
)
  .flatMap(([category, units]) => units.map((unit) => ({ unit, category })))
  .sort((a, b) => b.unit.length - a.unit.length);

const CATEGORY_OF = new Map(UNIT_LIST.map(({ unit, category }) => [unit, category]));

/** The category of a unit as returned by the numeral reader; '/10万' and '/3' (per 100,000, thirds) are ratios. */
export function unitCategory(unit: string): UnitCategory | null {
  if (unit.startsWith('/')) return 'ratio';
  return CATEGORY_OF.get(unit) ?? null;
}

/** Scale prefixes written before a counted unit (5万元 = 50,000 元) and what they multiply by. */
export const SCALE_PREFIXES: Readonly<Record<string, number>> = { 千: 1e3, 万: 1e4, 亿: 1e8 };
