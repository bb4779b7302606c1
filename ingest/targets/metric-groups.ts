/**
 * A canonical key for a metric phrase, so that the same indicator written differently in different
 * documents (家庭医生签约服务覆盖率 / 签约服务覆盖率 / 家庭医生签约覆盖率) groups together for comparisons and
 * claim checks. Rule-based: normalise the writing, drop scope and population qualifiers, then map known
 * synonyms to one name. Phrases not in the table keep their normalised form as their key.
 */

/** Known indicators: the first pattern that matches the normalised phrase names its group. */
const SYNONYMS: readonly [RegExp, string][] = [
  [/(?:家庭医生)?签约(?:服务)?覆盖率/, '家庭医生签约服务覆盖率'],
  [/托位数$/, '每千人口托位数'],
  [/^普惠性?托位数?占比|^普惠性托位/, '普惠性托位数占比'],
  [/每千名儿童.*儿科执业\(助理\)医师数/, '每千名儿童儿科执业(助理)医师数'],
  [/^(?:每千人口)?执业\(助理\)医师数$/, '每千人口执业(助理)医师数'],
  [/^(?:每千人口)?注册护士数$/, '每千人口注册护士数'],
  [/^(?:每千人口)?公共卫生人员数$/, '每千人口公共卫生人员数'],
  [/^(?:每万(?:人口|名居民)(?:拥有)?)?全科医生数$/, '每万人口全科医生数'],
  [/^(?:每千人口)?基层卫生人员数$/, '每千人口基层卫生人员数'],
  [/每千名老年人康复护理床位/, '每千名老年人康复护理床位数'],
  [/孕产妇死亡率/, '孕产妇死亡率'],
  [/^新生儿死亡率/, '新生儿死亡率'],
  [/^婴儿死亡率/, '婴儿死亡率'],
  [/5岁以下儿童死亡率/, '5岁以下儿童死亡率'],
  [/健康素养(?:综合)?水平/, '居民健康素养水平'],
  [/65岁(?:及)?以上老年人.*健康管理(?:服务)?率/, '65岁以上老年人健康管理率'],
  [/高血压.*糖尿病.*规范管理(?:服务)?率/, '高血压和糖尿病患者规范管理率'],
  [/^(?:县|区)域内就诊率/, '县域内就诊率'],
  [/门诊处方抗生素使用率/, '门诊处方抗生素使用率'],
  [/院内感染发生率|医院感染发生率/, '医院感染发生率'],
  [/管理费用率/, '公立医院管理费用率'],
  [/人员薪酬中?固定部分占比/, '人员薪酬固定部分占比'],
  [/人员(?:经费)?支出占业务支出(?:的)?比例/, '人员支出占业务支出比例'],
  [/医疗服务(?:性)?收入(?:占医疗总收入)?(?:比例|占比)/, '医疗服务收入占比'],
  [/重症(?:监护病区)?床位.*比例/, '重症床位比例'],
  [/四级手术占比/, '四级手术占比'],
  [/个人卫生支出占卫生总费用/, '个人卫生支出占卫生总费用比重'],
  [/严重致残出生缺陷发生率/, '严重致残出生缺陷发生率'],
  [/电子健康档案开放率/, '居民电子健康档案开放率'],
  [/科学育儿指导服务率/, '婴幼儿家长科学育儿指导服务率'],
  [/婴幼儿早期发展知识普及率/, '婴幼儿早期发展知识普及率'],
  [/基层医疗机构门急诊人次占比/, '基层医疗机构门急诊人次占比'],
  [/临床路径管理覆盖率/, '临床路径管理覆盖率'],
  [/疾病诊断相关分组.*医保基金.*比例/, 'DRG医保基金支出占比'],
  [/县域内住院量占比/, '县域内住院量占比'],
  [/老年友善医疗机构/, '老年友善医疗机构占比'],
  [/旗舰中藏?医馆.*覆盖率/, '旗舰中医馆覆盖率'],
  [/中藏?医阁.*设置率/, '中医阁设置率'],
];

/** Scope and population words that qualify a metric without changing what is measured. */
const LEADING_SCOPE = /^(?:全人群|重点人群|一般人群|特殊人群|全市|全区|全县|全省|各地)(?=.{2})/;
const LEADING_INSTITUTION =
  /^(?:其他)?(?:市级|县级|区级|城市|市、县(?:\(区\))?级)?(?:(?:二|三)级(?:及)?以上|二甲(?:及)?以上|二甲|三甲|三级|二级)?(?:公立|综合|中医|专科)*(?:\(中医\))?(?:医院|医疗机构|疾控机构)(?=.{2})/;
/** An institution prefix is a qualifier only with a level (二级以上综合医院), not bare (医院感染发生率). */
const INSTITUTION_LEVEL = /市级|县级|区级|城市|二级|三级|二甲|三甲|公立/;

function stripQualifiers(metric: string): string {
  let rest = metric;
  for (;;) {
    const scope = LEADING_SCOPE.exec(rest);
    if (scope) {
      rest = rest.slice(scope[0].length);
      continue;
    }
    const institution = LEADING_INSTITUTION.exec(rest);
    if (institution && INSTITUTION_LEVEL.test(institution[0])) {
      rest = rest.slice(institution[0].length);
      continue;
    }
    return rest;
  }
}

function normalise(metric: string): string {
  return metric
    .normalize('NFKC')
    .replace(/[\s“”"'‘’《》「」]/g, '')
    .replace(/常住人口/g, '人口')
    .replace(/^(?:新增|建成|建设|新建|培育|创建|争创)(?=.{2})/, '');
}

export function metricGroup(metric: string): string {
  const normalised = normalise(metric);
  const unqualified = stripQualifiers(normalised);
  for (const [pattern, key] of SYNONYMS) {
    if (pattern.test(unqualified)) return key;
  }
  return unqualified;
}
