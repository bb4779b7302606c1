import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishValue, englishValueLabel } from '../server/answer/english-value.ts';
import { qualifierConflict } from '../server/answer/match/qualifier-conflict.ts';
import { questionParts } from '../server/answer/question-parts.ts';
import { answerTypeOf } from '../server/query/answer-type.ts';
import { askedKindOf } from '../server/query/asked-kind.ts';
import { documentFieldsOf } from '../server/query/document-fields.ts';
import { regionFinderFor } from '../server/query/find-regions.ts';
import { findYears } from '../server/query/find-years.ts';
import { resolveFollowUp } from '../server/query/resolve-followup.ts';
import { createService, type LoadedService } from '../server/service.ts';

/**
 * Answering as users type: unknown places, abbreviations, several document fields in one question, law
 * articles, list questions, English lead lines and the debugging frame of the response — over a real index
 * of the seeds and five real documents (laws, a regulation, a ministry opinion).
 */
const SEEDS = new URL('../seeds/', import.meta.url).pathname;
const REAL = new URL('./fixtures/real-docs/', import.meta.url).pathname;
const REAL_FILES = [
  'infectious-disease-prevention-law-2013.md',
  'medical-institutions-regulation-2016.md',
  'shantou-sez-primary-health-care-regulation-2022.md',
  'nhsa-medical-security-standardization-opinion-2019.txt',
  'public-health-emergencies-regulation-2011.md',
  'nhsa-instant-settlement-reform-notice-2025.txt',
  'hainan-child-health-promotion-action-plan.docx',
  'maternal-infant-health-law-implementing-measures-2017.md',
  'maternal-infant-health-law-implementing-measures-2023.md',
  'zhejiang-mental-health-regulation-2019.md',
  'hainan-child-adolescent-mental-health-action-plan.docx',
  'nhc-nhsa-medical-test-result-mutual-recognition-measures-2022.txt',
];
let dir: string;
let service: LoadedService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-v2-'));
  cpSync(SEEDS, join(dir, 'corpus'), { recursive: true });
  mkdirSync(join(dir, 'corpus', 'real'));
  for (const f of REAL_FILES) cpSync(join(REAL, f), join(dir, 'corpus', 'real', f));
  service = await createService({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), llm: null });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ask = (question: string, history: { role: 'user' | 'assistant'; content: string }[] = []) =>
  service.ask({ question, history });

type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * Asks over a real index of one evaluation corpus (evals/corpora/NAME), built once for the describe block that
 * calls this and removed after it.
 */
function askingOver(name: string): (question: string, history?: Turn[]) => ReturnType<LoadedService['ask']> {
  let over: LoadedService;
  let overDir: string;
  beforeAll(async () => {
    overDir = mkdtempSync(join(tmpdir(), `zhengce-v2-${name}-`));
    const corpusDir = new URL(`../evals/corpora/${name}/`, import.meta.url).pathname;
    over = await createService({ corpusDir, indexDir: join(overDir, 'index'), llm: null });
  }, 120_000);
  afterAll(() => rmSync(overDir, { recursive: true, force: true }));
  return (question, history = []) => over.ask({ question, history });
}

describe('places on no list', () => {
  it.each([
    '东京2027年家庭医生签约服务覆盖率目标是多少?',
    '青海省西林市2025年每千人口托位数目标是多少?',
    '周庄镇2025年每千人口托位数要达到多少个?',
    'What is the 2027 family-doctor contract coverage target of Qingbei City, Hebei?',
    "What is Osaka's target for childcare places per 1,000 people in 2025?",
  ])('%s → not in these documents', async (question) => {
    const r = await ask(question);
    expect(r.status).toBe('not_found');
    expect(r.citations).toEqual([]);
  });

  it('a listed place is still answered (the control)', async () => {
    const r = await ask('嘉兴市2027年家庭医生签约服务覆盖率目标是多少?');
    expect(r.status).toBe('answered');
    expect(r.lead).toContain('45%以上');
  });
});

describe('responsible bodies', () => {
  it('"除了X牵头，还有哪些责任部门" is answered with the 责任部门, not the lead body it leaves out', async () => {
    const r = await ask('西宁家医签约服务除了县区政府牵头，还有哪些责任部门');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('市医保局');
    expect(r.answer.split('\n')[0]).not.toMatch(/^原文:“牵头部门/);
  });
});

describe('the law a text implements', () => {
  it("a regulation's first article names the law it implements", async () => {
    const law = await ask('浙江精神卫生条例是根据哪部法定的');
    expect(law.status).toBe('answered');
    expect(law.answer).toContain('《中华人民共和国精神卫生法》');
  });
});

describe('two years asked at once', () => {
  it('"24年和25年分别要到多少" leads with both years\' figures', async () => {
    const r = await ask('西宁基层门急诊人次占比24年和25年分别要到多少');
    expect(r.lead).toContain('40%以上');
    expect(r.lead).toContain('50%以上');
    // Each year's clause is still quoted once.
    expect(r.answer.split('\n').filter((l) => l.startsWith('原文')).length).toBe(2);
  });
});

describe('sections named by a counted term', () => {
  it('"四大主业是哪几个工程" is answered with the four parts of the section, under a title with a year', async () => {
    const r = await ask('常州2020年卫健工作说的四大主业是哪几个工程');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('实施医疗服务能力提优工程');
    expect(r.answer).toContain('实施老龄健康事业维护工程');
  });
});

describe('lists asked by their count', () => {
  it('"是哪两个" asks for the two items, not for a clause stating the figure 2', async () => {
    const r = await ask('传染病防治法里甲类传染病是哪两个');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('鼠疫、霍乱');
  });
});

describe('penalties', () => {
  it('a penalty question is answered by the sanction, not by the article that sets the duty', async () => {
    const r = await ask('供水单位的饮用水不达标，按传染病防治法罚多少');
    // The duty (第二十九条) states no sanction: the answer is the liability article or not found, never it.
    expect(r.answer).not.toContain('第二十九条');
    if (r.status === 'answered') expect(r.answer).toMatch(/罚款|吊销|责令|警告/);
  });

  it('a sanction found in its article is quoted whole: 非法采集血液 is answered with the fine', async () => {
    const r = await ask('传染病防治法里，非法采集血液的罚多少?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('十万元以下');
  });
});

describe('a neighbouring metric is not the answer', () => {
  it('a per-1,000 figure is not answered with a ward total or another per-1,000 metric', async () => {
    const beds = await ask('新建区2025年每千人口床位数目标是多少?');
    expect(beds.status).toBe('not_found');
    const places = await ask('新建区2025年每千人口托位数目标是多少?');
    expect(places.status).toBe('answered');
    expect(places.lead).toContain('4.5个');
    // Per 1,000 people, not per 1,000 children, and not a per-village count beside a per-1,000 figure of
    // other staff in the same sentence.
    const doctors = await ask('嘉兴每千人口执业(助理)医师数目标多少?');
    expect(doctors.status).toBe('not_found');
    const children = await ask('嘉兴每千名儿童儿科医师数目标是多少?');
    expect(children.lead).toContain('1.2人');
    const xining = await ask('西宁2025年每千人口执业医师数要到多少');
    expect(xining.lead).toContain('4.6人');
  });

  it('an English question asking a rate is not answered with a count of centres', async () => {
    // Fengxian's work points count health management centres (各3-5个) but set no health management rate.
    const rate = await ask('What health management rate for over-60s is Fengxian targeting in 2024?');
    expect(rate.status).toBe('not_found');
    const share = await ask(
      "What share of Xining's outpatient prescriptions may contain antibiotics in 2025?",
    );
    expect(share.answer).toContain('9.5%');
  });

  it('a per-1,000 noun asked without 数 must be named: doctors are not childcare places, nurses are 注册护士', async () => {
    // The district's only per-1,000 figure is childcare places; the question asks for doctors.
    expect((await ask('新建区到25年每千人口执业医师要达到多少')).status).toBe('not_found');
    // 护士 shares two characters with 注册护士数, the rest of the sentence is other staff: still the answer.
    const nurses = await ask('西宁每千人口护士25年多少');
    expect(nurses.lead).toContain('5.5人');
  });

  it('a figure for the contrasting term (门诊 for 住院) is not the answer, even beside a metric of another kind', async () => {
    // The sentence sets 门诊处方抗生素使用率 and 院内感染发生率; neither is the inpatients' antibiotic rate.
    const inpatients = await ask('西宁要求住院患者抗菌药物使用率控制在多少?');
    expect(inpatients.status).toBe('not_found');
    const outpatients = await ask('西宁门诊处方抗生素使用率要控制在多少?');
    expect(outpatients.answer).toContain('9.5%以下');
  });

  it('a per-1,000 figure of other staff, beside counts of other kinds, does not answer for beds or nurses', async () => {
    expect((await ask('西宁25年千人床位目标是多少')).status).toBe('not_found');
    expect((await ask('嘉兴每千人口注册护士要到多少')).status).toBe('not_found');
    // Asked for both, both are answered from the same sentence.
    const both = await ask('西宁千人口执业医师25年要到几个？护士呢');
    expect(both.answer).toContain('4.6人');
    expect(both.answer).toContain('5.5人');
  });

  it('a head count in 万 answers how many people, its unit named before it (体检人数达到80万以上)', async () => {
    const r = await ask('嘉兴城乡居民免费体检一年要体检多少人');
    expect(r.answer).toContain('80万以上');
  });

  it('an English value question needs every term it names', async () => {
    const r = await ask("What is Xinjian's 2025 target for hospital beds per 1,000 residents?");
    expect(r.status).toBe('not_found');
  });
});

describe('questions as typed', () => {
  it('reads 家医 and 27年 as 家庭医生 and 2027', async () => {
    const r = await ask('嘉兴家医签约27年要到多少?');
    expect(r.query.years).toEqual([2027]);
    expect(r.status).toBe('answered');
    expect(r.lead).toContain('45%以上');
  });

  it('answers every document field asked, each from the document', async () => {
    const r = await ask('医疗保障标准化工作指导意见文号和印发日期?');
    expect(r.query.documentFields).toEqual(['docNumber', 'date']);
    expect(r.answer).toContain('医保发〔2019〕39号');
    expect(r.answer).toContain('2019年6月20日');
    // Two lines answer together: neither is "the" lead.
    expect(r.lead).toBeNull();
  });

  it('哪天起施行 is the effective date, cited from the article that states it', async () => {
    const r = await ask('汕头基层医疗卫生服务条例哪天起施行?');
    expect(r.query.documentFields).toEqual(['inForce']);
    expect(r.answer).toContain('2023年2月1日');
    expect(r.citations.some((c) => c.clausePath?.includes('第三十八条'))).toBe(true);
  });

  it("a law's standard is answered by its article, without a lead line that relabels it", async () => {
    const r = await ask('床位不满100张的医院，执业许可证多久校验一次?');
    expect(r.status).toBe('answered');
    expect(r.query.answerType).toBe('duration');
    expect(r.answer).toContain('每年校验1次');
    expect(r.lead).toBeNull();
    expect(r.citations.some((c) => c.clausePath?.includes('第二十二条'))).toBe(true);
  });

  it('a list question quotes the items, not only the sentence that announces them', async () => {
    const r = await ask('传染病法把传染病分成哪几类?');
    expect(r.query.answerType).toBe('list');
    expect(r.answer).toContain('甲类、乙类和丙类');
    expect(r.answer).toContain('鼠疫、霍乱');
  });

  it('哪些/哪几 ask for the items even beside 达到: the hospitals, not a figure', async () => {
    const r = await ask('西宁哪些医院要达到三级医院服务水平');
    expect(r.query.answerType).toBe('list');
    expect(r.lead).toBeNull();
    expect(r.answer).toContain('湟源县人民医院、湟中区第二人民医院、大通县中医院');
    // English "which" with a figure still asks for the figure and its place.
    expect(answerTypeOf("Which city's family doctor target is 45%?")).toBe('value');
  });

  it('an English question gets an English lead line with the figure as written beside it', async () => {
    const r = await ask("What is Jiaxing's 2027 family-doctor target?");
    expect(r.lead).toContain('45% or more (45%以上)');
    expect(r.lead?.startsWith('Jiaxing')).toBe(true);
  });

  it('the response explains itself: answer type, strategy and the chosen sentence features', async () => {
    const r = await ask('嘉兴市2027年家庭医生签约服务覆盖率目标是多少?');
    expect(r.query.answerType).toBe('value');
    expect(r.query.strategy).toBe('clause');
    expect(r.match?.score).toBeGreaterThan(0);
    expect(r.match?.features.topicCoverage).toBeGreaterThan(0.5);
    const meta = await ask('医疗保障标准化工作指导意见文号?');
    expect(meta.query.strategy).toBe('metadata');
    expect(meta.match).toBeUndefined();
  });
});

describe('question frames: short titles, asked units and nouns, who does what', () => {
  it('a short name of a title (医机条例) finds the regulation and its effective date', async () => {
    const r = await ask('医机条例哪天起施行?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('医疗机构管理条例');
    expect(r.answer).toContain('1994年9月1日');
  });

  it('由谁制定 asks who does it, as the article says, not who issued the document', async () => {
    const r = await ask('全国突发事件应急预案由谁制定?');
    expect(r.query.strategy).toBe('clause');
    expect(r.answer).toContain('国务院卫生行政主管部门');
  });

  it('a date in the signature block is answered and cited from the chunk that holds it', async () => {
    const r = await ask('即时结算改革扩面提质的通知是哪天印发的?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('2025年10月14日');
    expect(r.citations.some((c) => c.text.includes('2025年10月14日'))).toBe(true);
  });

  it("an English question naming the issuer by its acronym (NHSA's notice on …) gets that notice's number", async () => {
    const r = await ask("What's the document number of NHSA's notice on instant settlement?");
    expect(r.answer).toContain('即时结算');
    expect(r.answer).toMatch(/医保办函〔2025〕82\s*号/);
  });

  it('现在…实施办法 asks the text in force: the 2023 text answers, the 2017 one is not cited', async () => {
    const r = await ask('现在母婴保健法实施办法里,婚检机构要哪级卫生部门许可?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('县级人民政府卫生行政部门');
    expect(r.citations.length).toBeGreaterThan(0);
    for (const c of r.citations) expect(c.docId).toContain('2023');
  });

  it('"X是哪几种" is answered by the sentence that says what X is', async () => {
    const r = await ask('甲类传染病是哪几种?');
    expect(r.answer).toContain('鼠疫');
    expect(r.answer).toContain('霍乱');
  });

  it('罚多少 asks for an amount: the sanction article of the conduct asked, with its fine', async () => {
    const r = await ask('诊所没取得执业许可证就开业，罚多少?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('1万元以下');
  });

  it("一共多少位 asks for digits: the sentence's 6个 (parts) does not lead, its 23位 is quoted", async () => {
    const r = await ask('医保西药编码一共多少位?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('23位');
    expect(r.lead ?? '').not.toContain('6个');
  });

  it('多少名 is also answered in 人: both people counts a sentence gives lead', async () => {
    const r = await ask('常州全科规培学员新招多少名?农村订单定向呢?');
    expect(r.lead).toContain('50名');
    expect(r.lead).toContain('25人');
  });

  it('English in the words of statutes: health authority, application, reply → the article with its 30日内', async () => {
    const r = await ask(
      'Within how many days must the health authority reply to an application to set up a medical institution?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('第十二条');
    expect(r.answer).toContain('30日内');
  });

  it('English "practising without a license" is the conduct 未取得…擅自执业, fined 1万元以下', async () => {
    const r = await ask('What fine does a clinic pay for practising without a license?');
    expect(r.answer).toContain('第四十四条');
    expect(r.answer).toContain('1万元以下');
  });

  it('an English question answered by an item of a list is read with the sentence announcing the list', async () => {
    // 产前诊断 stands in "孕妇有下列情形之一的，…进行产前诊断：", the age in its item (五).
    const r = await ask(
      'At what age does a first-time mother need a prenatal diagnosis, per the maternal and infant health measures?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('初产妇年龄超过35周岁');
  });

  it('a question naming its regulation (浙江精神卫生条例) is answered from it, not by a sentence using its words', async () => {
    // The regulation's definition of 精神卫生医疗机构 shares the name's words; the clause asked for does not.
    const r = await ask('浙江精神卫生条例要求啥级别的综合医院设精神科?');
    expect(r.status).toBe('answered');
    expect(r.answer.split('\n')[0]).toContain('二级甲等以上综合医院');
  });

  it('a deadline set in the sentence announcing a list is answered there (1小时内 before the list of cases)', async () => {
    const r = await ask('发生传染病暴发，省里几小时内要报告国务院卫生部门?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('接到报告1小时内');
  });

  it('多少小时内…向主管部门报告 asks a deadline, not who is responsible', async () => {
    const r = await ask('省级政府接到报告后多少小时内要向国务院卫生行政主管部门报告?');
    expect(r.query.answerType).toBe('duration');
  });

  it("a document's title standing as a line is not an answer: the hotlines, not the plan's name", async () => {
    const r = await ask('Hainan youth mental health plan - which hotlines are supposed to be linked up?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('12355');
  });

  it('an English question naming a regulation by its English name gets that regulation, not another one', async () => {
    const r = await ask('When did the medical institutions regulation take effect?');
    expect(r.answer).toContain('医疗机构管理条例');
    expect(r.answer).toContain('1994年9月1日');
  });

  it('English "State Council health department" is the 国务院卫生行政主管部门 a regulation names', async () => {
    const r = await ask(
      'Under the public health emergencies regulation, within how many hours must a province report to the State Council health department?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('1小时内');
  });

  it('"the year after" in a whole follow-up counts from the year of the last answer when the question named none', async () => {
    const r = await ask(
      'And the year after, what share of the monthly settlement funds must be settled instantly?',
      [
        { role: 'user', content: 'When do all pooling regions have to launch instant settlement?' },
        { role: 'assistant', content: '2025年底前全国所有统筹地区均需开展即时结算。' },
      ],
    );
    expect(r.status).toBe('answered');
    expect(r.query.years).toEqual([2026]);
    expect(r.answer).toContain('2026年底前');
    expect(r.answer).toContain('80%以上');
  });

  it('"X，是指…" introduces X: the definition answers what X includes, and the response says why', async () => {
    const r = await ask('母婴保健法实施办法所称的医疗、保健机构都包括哪些?');
    expect(r.answer).toContain('医疗、保健机构，是指');
    expect(r.match?.features.introducesTopic).toBe(1);
  });

  it('什么情况下 asks for the cases a clause lists: the article announcing them is quoted with its items', async () => {
    const r = await ask('什么情况下医生可以不认外院的检查结果，重新检查?');
    expect(r.query.answerType).toBe('list');
    expect(r.answer).toContain('第十九条');
    expect(r.answer).toContain('因病情变化');
  });

  it('a time limit asked in days is not answered by a sentence holding only a count (床位不满100张)', async () => {
    const r = await ask(
      'Within how many days must the health authority answer an application to set up a medical institution?',
    );
    expect(r.answer).not.toContain('床位不满100张');
  });

  it('哪个县 is answered by the sentence naming a county, not by one about 县域 work', async () => {
    const r = await ask('嘉兴推广的是哪个县的医共体经验?');
    expect(r.answer).toContain('嘉善县');
  });

  it('今年 is preferred, not required: a plan of an earlier year answers with its own year in the lead', async () => {
    const r = await service.ask({ question: '奉贤今年创建示范性社区康复中心几个?' });
    expect(r.status).toBe('answered');
    expect(r.lead).toContain('2024年');
    expect(r.lead).toContain('2-3个');
  });

  it('"分别…10%和4%以下" leads with each metric\'s own figure, the shared bound kept', async () => {
    const r = await ask('海南5岁以下儿童贫血患病率和生长迟缓率分别控制在多少?');
    expect(r.lead).toContain('贫血患病率目标:10%以下');
    expect(r.lead).toContain('生长迟缓率目标:4%以下');
  });
});

describe('questions that name a clause and ask for its document', () => {
  it('每年校验1次出自哪份文件? names the document whose clause says it, and cites that clause', async () => {
    const r = await ask('每年校验1次出自哪份文件?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('《医疗机构管理条例》');
    expect(r.citations.some((c) => c.text.includes('每年校验1次'))).toBe(true);
  });

  it('a date the header writes as 2024-02-21 is read out in Chinese with the figures as written', async () => {
    const r = await ask('嘉兴市卫生健康现代化建设实施意见的成文日期是哪天?');
    expect(r.answer).toContain('2024年2月21日(2024-02-21)');
  });
});

describe('several figures of one sentence', () => {
  it('…执业医师要到几个？护士呢 leads with both records the question names', async () => {
    const r = await ask('西宁千人口执业医师25年要到几个？护士呢');
    expect(r.lead).toContain('4.6人');
    expect(r.lead).toContain('5.5人');
  });

  it('二甲医院呢? after another figure of the sentence leads with the record it names alone', async () => {
    const r = await ask('二甲医院呢？', [
      { role: 'user', content: '嘉兴市第一医院重症监护床位占编制床位的比例要求多少？' },
      { role: 'assistant', content: '不低于10%。' },
    ]);
    expect(r.lead).toContain('4%以上');
    expect(r.lead).not.toContain('10%');
  });
});

describe('follow-ups about the document of the last turn', () => {
  const previous = [{ role: 'user' as const, content: '嘉兴市2027年家庭医生签约服务覆盖率目标是多少?' }];

  it('它的文号呢? gives the number of the document the last answer came from', async () => {
    const r = await ask('它的文号呢?', previous);
    expect(r.query.strategy).toBe('metadata');
    expect(r.answer).toContain('嘉政办发〔2024〕5号');
  });

  it('这个指标出自哪份文件? names that document', async () => {
    const r = await ask('这个指标出自哪份文件?', previous);
    expect(r.answer).toContain('嘉兴市人民政府办公室关于推进嘉兴市卫生健康现代化建设的实施意见');
  });

  it('谁发的? after a question on a law names the law, not another document', async () => {
    const r = await ask('谁发的?', [{ role: 'user', content: '传染病防治法把传染病分成哪几类?' }]);
    expect(r.query.documentFields).toEqual(['issuer']);
    expect(r.answer).toContain('传染病防治法');
    expect(r.answer).not.toContain('嘉兴');
  });
});

describe('a follow-up naming a further thing', () => {
  it('"那户外自然光呢?" is answered by the sentence about it, not again by the earlier answer', async () => {
    const r = await ask('那户外自然光呢?', [
      { role: 'user', content: '海南儿童健康促进行动里，学生每天体育活动不少于几小时?' },
      { role: 'assistant', content: '落实中小学生每天综合体育活动时间不低于2小时。' },
    ]);
    expect(r.status).toBe('answered');
    expect(r.answer.split('\n')[0]).toContain('户外自然光不少于1小时');
  });

  it('"What about key groups?" leads with the key-group figure alone', async () => {
    const r = await ask('What about key groups?', [
      { role: 'user', content: "What is Xining's 2025 target for family doctor contract coverage?" },
      {
        role: 'assistant',
        content: 'Xining (西宁市), 2025: whole-population family doctor coverage — 65% or more',
      },
    ]);
    expect(r.status).toBe('answered');
    const lead = r.answer.split('\n')[0] ?? '';
    expect(lead).toContain('75%');
    expect(lead).not.toContain('65%');
  });
});

describe('elliptical follow-ups as typed on a Chinese keyboard', () => {
  it('情节严重的呢？ (full-width question mark) continues the earlier question', () => {
    const places = regionFinderFor(service.index);
    const previous = '违反冷链储存运输要求，拒不改正的接种单位罚多少？';
    const resolved = resolveFollowUp('情节严重的呢？', [{ role: 'user', content: previous }], places);
    expect(resolved.isFollowUp).toBe(true);
    expect(resolved.previous).toBe(previous);
    expect(resolved.text).toContain('冷链');
  });
});

describe('follow-ups with years said relative to the conversation', () => {
  it.each([
    ['那后年呢?', '新建区2023年每千人口托位数是多少?', 2025],
    ['And two years after that?', "What is Jiaxing's 2025 family doctor coverage?", 2027],
    ['那明年呢?', '西宁2024年家庭医生签约服务覆盖率目标是多少?', 2025],
  ])('%s after "%s" asks about %i', (followUp, previous, year) => {
    const places = regionFinderFor(service.index);
    const resolved = resolveFollowUp(followUp, [{ role: 'user', content: previous }], places);
    expect(findYears(resolved.text).map((y) => y.year)).toEqual([year]);
  });
});

describe('question parts', () => {
  it('reads years as officials type them, 今年 against the given day', () => {
    const day = new Date('2026-03-01T00:00:00Z');
    expect(findYears('家医签约24年要到多少', day).map((y) => y.year)).toEqual([2024]);
    expect(findYears('今年的目标', day).map((y) => y.year)).toEqual([2026]);
    expect(findYears('明年呢', day).map((y) => y.year)).toEqual([2027]);
    expect(findYears('24小时内报告', day)).toEqual([]);
    expect(findYears('30年内', day)).toEqual([]);
    // The written year is the one meant when both stand: 今年（2023年）.
    expect(findYears('新建区今年（2023年）的计划', day).map((y) => y.year)).toEqual([2023]);
  });

  it.each([
    ['家庭医生签约服务覆盖率要达到多少?', 'value'],
    ['要几小时内报告?', 'duration'],
    ['非处方药分几类?', 'count'],
    ['传染病分成哪几类?', 'list'],
    ['牵头单位是哪个?', 'responsible'],
    ['不报告的怎么处罚?', 'penalty'],
    ['处方药能在电视上打广告吗?', 'yesno'],
    ['推广的是哪个区的经验?', 'name'],
    ['How long does a hospital have to report?', 'duration'],
    ['疾控接到报告后啥时候得往上报?', 'duration'],
    ['What can happen to someone who illegally organises blood selling?', 'penalty'],
    ['这样做有什么后果?', 'penalty'],
    ['What happens to the fund if the pilot ends?', 'general'],
    ['What life expectancy does the provincial plan set for 2027?', 'value'],
    ['What survival rate is the county aiming for?', 'value'],
  ])('%s asks for a %s', (question, type) => {
    expect(answerTypeOf(question)).toBe(type);
  });

  it('reads 啥时候 as a document date only beside a word for issuing it', () => {
    expect(documentFieldsOf('江西那个意见哪天发的?')).toEqual(['date']);
    expect(documentFieldsOf('句容方案是谁印发的，哪天')).toEqual(['issuer', 'date']);
    expect(documentFieldsOf('那个决定是哪天通过的?')).toEqual(['date']);
    expect(documentFieldsOf('疾控接到报告后啥时候得往上报?')).toEqual([]);
    // 施行前/施行之日起 date a duty; "which agencies" is plural.
    expect(documentFieldsOf('本办法施行前已经开展的医疗机构多少天内要重新申请')).toEqual([]);
    expect(documentFieldsOf('Which agencies put out the 2024 notice?')).toEqual(['issuer']);
    expect(documentFieldsOf('即时结算通知的文号和发文单位')).toEqual(['docNumber', 'issuer']);
    expect(documentFieldsOf('实施意见是落实省里哪个文件')).toEqual(['basis']);
    expect(documentFieldsOf('行动计划文号多少,哪次会研究的')).toEqual(['docNumber', 'revision']);
    expect(documentFieldsOf("When was it published, and what's its number?")).toEqual(['date', 'docNumber']);
    expect(documentFieldsOf('Who issued it, and under what number?')).toEqual(['issuer', 'docNumber']);
    // Who adopted a law is the meeting of its history as well as the body.
    expect(documentFieldsOf('Who adopted it?')).toEqual(['issuer', 'revision']);
    expect(documentFieldsOf('检疫传染病目录由谁编制、谁批准？')).toEqual([]);
    // 叫什么 names the document only when said of it; the name of a thing in a clause is asked of the clause.
    expect(documentFieldsOf('这个文件全名叫什么')).toEqual(['title']);
    expect(documentFieldsOf('互认的标识统一叫什么')).toEqual([]);
  });

  it('a date asked apart from the date in force is a field of its own; "by what date" asks a deadline', () => {
    expect(
      documentFieldsOf('When was the law passed and by which body, and when did it take effect?'),
    ).toEqual(['date', 'inForce']);
    expect(documentFieldsOf('这部法哪天通过的，哪天施行')).toEqual(['date', 'inForce']);
    expect(documentFieldsOf('What date did it take effect?')).toEqual(['inForce']);
    expect(documentFieldsOf('By what date each month must hospitals file their claims?')).toEqual([]);
    expect(answerTypeOf('By what date each month must hospitals file their claims?')).toBe('duration');
  });

  it('a sum or a measure asked in English names the unit its figure must carry', () => {
    expect(askedKindOf('How much money does the bureau give each province?', 'value').units).toEqual(['元']);
    const weight = "What's the minimum body weight to be allowed to give blood?";
    expect(answerTypeOf(weight)).toBe('value');
    expect(askedKindOf(weight, 'value').units).toContain('公斤');
    // The longest kind right after the question words: "working days", not "days".
    expect(askedKindOf('How many working days does the fund have to pay out?', 'duration').units).toEqual([
      '工作日',
    ]);
  });

  it('English questions asking for several things ask for a list', () => {
    for (const q of [
      'What paperwork do you have to submit when applying to set up a medical institution?',
      'Which departments share the job of policing how medical insurance funds are used?',
      'What kinds of medicines are banned from online sale?',
      'In what situations can a hospital redo a test?',
    ])
      expect(answerTypeOf(q)).toBe('list');
  });

  it('"How long does the plan run?" asks the plan period; "How long does a hospital have to report?" does not', () => {
    expect(documentFieldsOf('How long does the Xinjian district health capacity plan run?')).toEqual([
      'period',
    ]);
    expect(documentFieldsOf('How long does a hospital have to report?')).toEqual([]);
  });

  it("tells a neighbouring metric's qualifier from the one asked, and shared wording from a qualifier", () => {
    // Metric names as target records hold them, questions as typed (after the lexicon's expansions).
    expect(qualifierConflict('住院费用跨省直接结算率', '门诊费用跨省直接结算率要达到')).toBe(true);
    expect(qualifierConflict('全人群家庭医生签约服务覆盖率', '重点人群家庭医生签约服务覆盖率')).toBe(true);
    expect(qualifierConflict('住院费用跨省直接结算率', '住院费用跨省直接结算率要达到')).toBe(false);
    expect(
      qualifierConflict('二甲以上医疗机构网络安全等级保护水平', '二级甲等以上医疗机构网络安全等级保护要'),
    ).toBe(false);
  });

  it('reads values out in English without changing a digit', () => {
    expect(englishValue('45%以上')).toBe('45% or more');
    expect(englishValue('30日内')).toBe('within 30 days');
    expect(englishValue('不低于80元')).toBe('at least 80 yuan');
    // 5万 would become 50,000, a number the clause does not contain: left as written.
    expect(englishValue('5万人')).toBe('5万人');
    expect(englishValueLabel('60%')).toBe('60%');
    expect(englishValueLabel('4.6人')).toBe('4.6 people (4.6人)');
  });
});

describe('a signature date spaced out as PDF text writes it', () => {
  let spaced: LoadedService;
  let spacedDir: string;
  beforeAll(async () => {
    spacedDir = mkdtempSync(join(tmpdir(), 'zhengce-v2-spaced-'));
    mkdirSync(join(spacedDir, 'corpus'));
    const text = readFileSync(join(REAL, 'nhsa-instant-settlement-reform-notice-2025.txt'), 'utf8');
    writeFileSync(
      join(spacedDir, 'corpus', 'notice.txt'),
      text.replaceAll('2025年10月14日', '2025 年 10 月 14 日'),
    );
    spaced = await createService({
      corpusDir: join(spacedDir, 'corpus'),
      indexDir: join(spacedDir, 'index'),
      llm: null,
    });
  }, 60_000);
  afterAll(() => rmSync(spacedDir, { recursive: true, force: true }));

  it('"2025 年 10 月 14 日" is the date, cited from the chunk that holds it', async () => {
    const r = await spaced.ask({ question: '即时结算改革扩面提质的通知落款日期是哪天?' });
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('2025年10月14日');
    expect(r.citations.some((c) => c.text.replace(/\s+/g, '').includes('2025年10月14日'))).toBe(true);
  });
});

describe("English questions in the asker's words", () => {
  it('"practises without a licence" is the 未取得…擅自执业 of the sanction, not the 出借 of the next article', async () => {
    const r = await ask('If a clinic practises without a 医疗机构执业许可证, how big is the fine?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('1万元以下');
    expect(r.answer).not.toContain('5000元以下');
  });

  it('"hires people without medical qualifications" is the 使用非卫生技术人员 of the sanction', async () => {
    const r = await ask('How big is the fine for a clinic that hires people without medical qualifications?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('使用非卫生技术人员');
    expect(r.answer).toContain('5000元以下');
  });

  it('"instant settlement" is 即时结算 (CC-CEDICT reads "instant" as 停机), and "signed" asks the date', async () => {
    const r = await ask('Who put out the instant settlement notice, and when was it signed?');
    expect(r.answer).toContain('国家医疗保障局办公室');
    expect(r.answer).toContain('2025年10月14日');
  });

  it('"How old must a blood donor be?" asks an age of donors: no law on blood here, so not found', async () => {
    const r = await ask('How old must a blood donor be?');
    expect(r.status).toBe('not_found');
  });

  it('"runs a clinic without getting the practice licence first" is the 未取得…擅自执业 article', async () => {
    const r = await ask(
      'If someone runs a clinic without getting the practice licence first, how big can the fine be under the Medical Institutions Regulation?',
    );
    expect(r.answer).toContain('未取得《医疗机构执业许可证》擅自执业');
    expect(r.answer).toContain('1万元以下');
  });

  it('"In Shantou, can … charge extra" is a yes-no question answered by 不得另行收取其他费用', async () => {
    const r = await ask(
      'In Shantou, can a family doctor team charge extra on top of the service package fee?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('不得另行收取其他费用');
  });
});

describe('a year no document sets a target for', () => {
  it('says so in plain English, for a place and for the whole corpus', async () => {
    const place = await ask('What is the 2031 target for family doctor coverage in Jiaxing?');
    expect(place.status).toBe('not_found');
    expect(place.answer).toContain('set no target for 2031');
    const all = await ask('What is the 2031 target for family doctor coverage?');
    expect(all.answer).toContain('no document sets a target for 2031');
  });
});

describe('an English penalty question names its breach (the 13 documents of evals/sets/dev-en.jsonl)', () => {
  let over: LoadedService;
  let overDir: string;
  beforeAll(async () => {
    overDir = mkdtempSync(join(tmpdir(), 'zhengce-v2-en-'));
    const corpus = join(overDir, 'corpus');
    mkdirSync(corpus);
    const from = (folder: string, names: string[]) => {
      for (const name of names)
        cpSync(new URL(`${folder}${name}`, import.meta.url).pathname, join(corpus, name));
    };
    from('./fixtures/real-docs/', [
      'beijing-npc-standing-committee-covid19-decision-2020.md',
      'medical-institutions-regulation-2016.md',
      'nhc-nhsa-medical-test-result-mutual-recognition-measures-2022.txt',
      'nhsa-instant-settlement-reform-notice-2025.txt',
      'nmpa-prescription-and-otc-drug-classification-measures-1999.md',
      'zhejiang-mental-health-regulation-2019.md',
    ]);
    from('../evals/corpora/holdout2/', [
      'beijing-hospital-safety-order-regulation-2020.md',
      'nhc-icd11-chinese-version-notice-2018.md',
      'nmpa-online-drug-sales-prohibited-list-2022.md',
    ]);
    from('../evals/corpora/holdout4/', [
      'blood-donation-law-1997.md',
      'medical-security-fund-supervision-regulation-2021.md',
      'nhsa-smart-review-pilot-notice-2025.txt',
      'shandong-medical-waste-measures-2020.md',
    ]);
    over = await createService({ corpusDir: corpus, indexDir: join(overDir, 'index'), llm: null });
  }, 120_000);
  afterAll(() => rmSync(overDir, { recursive: true, force: true }));

  it('the fine for another breach of the same regulation is no answer; the fine for the one named is', async () => {
    const absent = await over.ask({
      question:
        'Under the Medical Institutions Regulation, how much is the fine for a hospital that fails to give emergency treatment to a critically ill patient?',
    });
    expect(absent.status).toBe('not_found');
    const named = await over.ask({
      question:
        'Under the Medical Institutions Regulation, how big is the fine for running a clinic without getting the practice licence?',
    });
    expect(named.status).toBe('answered');
    expect(named.answer).toContain('罚款');
  });

  it('"How much money does the NHSA give each province" is answered by a sum or not at all', async () => {
    const r = await over.ask({
      question: 'How much money does the NHSA give each province taking part in the smart-review pilot?',
    });
    expect(r.status).toBe('not_found');
  });
});

describe('a version the corpus does not hold', () => {
  it('"2022年修订后…罚款提到多少" is not answered from the 2016 text', async () => {
    const r = await ask('医疗机构管理条例2022年修订后，没证擅自执业的罚款提到多少了?');
    expect(r.status).toBe('not_found');
  });
});

describe('laws and notices asked in English words and as follow-ups (evals/corpora/holdout4)', () => {
  const askH4 = askingOver('holdout4');

  it('"how quickly must … be burned" asks a time limit, answered by the epidemic clause', async () => {
    const r = await askH4(
      'In Shandong, during an epidemic, how quickly must medical waste be burned once it reaches the disposal site?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('十二小时内');
  });

  it('"whose approval" asks for a body; "cooperate" is not a rate question', async () => {
    expect(
      answerTypeOf('If a hospital will not cooperate with the investigation, whose approval is needed?'),
    ).toBe('name');
    const r = await askH4(
      "If a designated hospital suspected of fraud won't cooperate with the investigation, whose approval is needed to halt its fund settlement?",
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('医疗保障行政部门主要负责人批准');
  });

  it('"What about during an epidemic?" continues the last question: its little words are no topic', async () => {
    const r = await askH4('What about during an epidemic?', [
      {
        role: 'user',
        content:
          'In Shandong, how often must the disposal company come to collect medical waste from a hospital?',
      },
      { role: 'assistant', content: 'Article 10 says the gap may not exceed 48 hours (不得超过四十八小时).' },
    ]);
    expect(r.answer).toContain('二十四小时');
  });

  it('"how long do you have to wait between two donations" is 两次采集间隔期不少于六个月 ("long" is no 悠久)', async () => {
    const r = await askH4(
      'How long do you have to wait between two blood donations under the national Blood Donation Law?',
    );
    expect(r.answer.split('\n')[0]).toContain('六个月');
  });

  it('"What number was the order that issued …" asks the document number', async () => {
    const r = await askH4(
      'What number was the order that issued the medical security fund supervision regulation, and when did it come into force?',
    );
    expect(r.answer).toContain('国务院令第735号');
    expect(r.answer).toContain('2021年5月1日');
  });

  it('"How old must a blood donor be?" is answered by the ages the law sets', async () => {
    const r = await askH4('How old must a blood donor be?');
    expect(r.answer.split('\n')[0]).toContain('十八周岁至五十五周岁');
  });

  it('statute words in English reach the clause: "age group … encouraged to give blood" is 提倡十八周岁至五十五周岁', async () => {
    const r = await askH4(
      'Under the national blood donation law, what age group of healthy people is encouraged to give blood?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('十八周岁至五十五周岁');
  });

  it('a signature date is shown as the document writes it, in figures or in Chinese numerals, and cited', async () => {
    const en = await askH4(
      'What date was the State Council General Office opinion on routine oversight of medical insurance funds signed?',
    );
    expect(en.status).toBe('answered');
    expect(en.answer).toContain('2023年5月26日');
    expect(en.citations.some((c) => c.text.includes('2023年5月26日'))).toBe(true);
    const zh = await askH4('增加重症医学科诊疗科目的通知是哪天下发的?');
    expect(zh.status).toBe('answered');
    expect(zh.answer).toContain('二〇〇九年一月十九日');
    expect(zh.citations.some((c) => c.text.includes('二〇〇九年一月十九日'))).toBe(true);
  });

  it('"传染病疫情期间呢?" asks the earlier question for that case, however long the case name', async () => {
    const r = await askH4('传染病疫情期间呢?', [
      { role: 'user', content: '山东医废办法规定处置单位到同一家医院收运医废，间隔最长多久?' },
      { role: 'assistant', content: '不得超过四十八小时（第十条）。' },
    ]);
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('二十四小时');
  });

  it('"至少隔多久" is answered by 不少于六个月: bound words are question words, 献血 stays 献血', async () => {
    const r = await askH4('那两次献血之间至少隔多久?', [
      { role: 'user', content: '献血法规定血站每次采血一般采多少毫升?' },
      { role: 'assistant', content: '一般为二百毫升（第九条）。' },
    ]);
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('六个月');
  });

  it('"how big is the fine" for a conduct the regulation only hands to "有关部门依法予以处置" is not found', async () => {
    const r = await askH4(
      'How big is the fine in the Linyi regulation for a villager who refuses epidemic control measures?',
    );
    expect(r.status).toBe('not_found');
  });

  it('a case the question states by its figure (记满6分) is not answered by the clause for another (记满12分)', async () => {
    const six = await askH4('医务人员一年内记满6分会被暂停支付资格吗?暂停多久?');
    expect(six.status).toBe('not_found');
    const twelve = await askH4('医务人员一次性记满12分的，多少年内不得再次登记备案?');
    expect(twelve.status).toBe('answered');
    expect(twelve.answer).toContain('3年内');
  });

  it('a grant the notice never sets is not answered with a date span', async () => {
    const r = await askH4('国家医保局给每个智能审核试点省份补助多少经费?');
    expect(r.status).toBe('not_found');
  });

  it('a code is a bare number: "代码是多少" is answered by 代码：“28”', async () => {
    const r = await askH4('重症医学科诊疗科目代码是多少?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('28');
  });

  it('the section a list question names is answered by its parts, each cited where it stands', async () => {
    const r = await askH4('做实常态化监管包括哪几个常态化?');
    expect(r.status).toBe('answered');
    for (const part of [
      '飞行检查常态化',
      '专项整治常态化',
      '日常监管常态化',
      '智能监控常态化',
      '社会监督常态化',
    ])
      expect(r.answer).toContain(part);
    expect(r.citations.length).toBe(5);
    expect(r.citations.every((c) => c.text.includes('常态化'))).toBe(true);
    const en = await askH4(
      "The 2023 opinion says each party's duties must be strengthened - whose responsibilities does it list?",
    );
    expect(en.status).toBe('answered');
    expect(en.answer).toContain('强化地方政府属地监管责任');
  });

  it('the meeting that adopted a law and who signed a notice are document fields', async () => {
    const law = await askH4('献血法是哪次会议通过的，从哪天起施行?');
    expect(law.answer).toContain('第八届全国人民代表大会常务委员会第二十九次会议');
    expect(law.answer).toContain('1998年10月1日');
    const notice = await askH4('智能审核试点通知落款是哪个单位，啥日期?');
    expect(notice.answer).toContain('国家医疗保障局办公室');
    expect(notice.answer).toContain('2025年10月24日');
  });

  it('two documents named in one metadata question are both answered, each with its own source', async () => {
    const r = await askH4('献血法和医疗废物管理办法分别是哪天施行的?');
    expect(r.answer).toContain('自1998年10月1日起施行');
    expect(r.answer).toContain('《山东省医疗废物管理办法》');
    expect(new Set(r.citations.map((c) => c.docId)).size).toBe(2);
    const who = await askH4('医保基金监管条例和常态化监管实施意见分别是谁发的、哪年?');
    expect(who.answer).toContain('国务院令第735号');
    expect(who.answer).toContain('国务院办公厅');
    expect(who.answer).toContain('2023年5月26日');
  });

  it('"And the phase after that?" is the next item of the document, found from the last answer', async () => {
    const history = [
      {
        role: 'user' as const,
        content: "When does the 'pilot advancement' phase of the smart claims review pilot run?",
      },
      { role: 'assistant' as const, content: 'From November 2025 to March 2027 (2025年11月-2027年3月).' },
    ];
    const en = await askH4('And the phase after that?', history);
    expect(en.status).toBe('answered');
    expect(en.answer).toContain('2027年4月-2027年12月');
    const zh = await askH4('下一阶段呢?', history);
    expect(zh.answer).toContain('总结推广');
  });

  it('a clause question naming two documents is answered in each of them', async () => {
    const r = await askH4('献血法和医疗废物管理办法分别对违法的罚款上限是多少?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('十万元以下');
    expect(new Set(r.citations.map((c) => c.docId)).size).toBe(2);
  });

  it('an English question names a notice by what it issues ("interim measures on disease-based payment")', async () => {
    const r = await askH4(
      "What's the document number of the notice issuing the interim measures on disease-based payment, and when do the measures take effect?",
    );
    expect(r.answer).toContain('医保发〔2025〕18号');
    expect(r.answer).toContain('自下发之日起施行');
  });

  it('a question naming a revision and asking what it added is answered from the clauses', async () => {
    const r = await askH4('2007年修订诊疗科目名录增补了哪些器官移植项目?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('肝脏移植项目');
  });
});

describe('statute English, document numbers and versions (evals/corpora/holdout6)', () => {
  const askH6 = askingOver('holdout6');

  it('"come round and pick up" medical waste is 收集, a disposal company 集中处置单位: every 2 days', async () => {
    const r = await askH6(
      "How often does the licensed disposal company have to come round and pick up a hospital's medical waste?",
    );
    expect(r.answer).toContain('至少每2天');
  });

  it('a psychological counsellor is 心理咨询人员, who may not diagnose or treat', async () => {
    const r = await askH6('Is a psychological counsellor allowed to diagnose or treat mental disorders?');
    expect(r.answer).toContain('不得从事心理治疗或者精神障碍的诊断、治疗');
  });

  it('"the 2015 guiding opinion" is no place (Guiding, 贵定县): its office and date are answered', async () => {
    const r = await askH6(
      'Which office signed the 2015 guiding opinion on centralised drug purchasing by public hospitals, and on what date?',
    );
    expect(r.query.unknownRegions).toEqual([]);
    expect(r.answer).toContain('国务院办公厅');
    expect(r.answer).toContain('2015年2月9日');
  });

  it('"Which agencies" (plural) asks the issuer, cited where the signature block names it', async () => {
    const r = await askH6(
      "Which agencies put out the 2024 notice on tightening management of direct settlement for treatment outside one's home area?",
    );
    expect(r.answer).toContain('国家医保局、财政部');
    expect(r.citations.some((c) => c.headingPath[0] === '落款' && c.text.includes('财政部'))).toBe(true);
  });

  it('a title named without its （试行） (互联网诊疗管理办法) names the document, beside another one named', async () => {
    const r = await askH6('互联网诊疗管理办法和异地就医直接结算管理服务通知各是哪天发的');
    expect(r.answer).toContain('2018年7月17日');
    expect(r.answer).toContain('2024年9月5日');
  });

  it('a document named by its number alone (国办发〔2015〕7号) is the document asked about', async () => {
    const r = await askH6('国办发〔2015〕7号是哪天印发的');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('2015年2月9日');
  });

  it('a version the law never had (2021年修正版) is not answered from its 2018 text', async () => {
    expect((await askH6('精神卫生法2021年修正版啥时候施行')).status).toBe('not_found');
    expect((await askH6('精神卫生法2018年修正版啥时候施行')).status).toBe('answered');
  });

  it('"哪个机关批准的" asks the header line of approval', async () => {
    const r = await askH6('宁波市医疗纠纷预防与处置条例是哪个机关批准的');
    expect(r.answer).toContain('浙江省第十一届人民代表大会常务委员会');
  });

  it('设区市 is a level of city, and "施行后几年内" asks a deadline, not the date in force', async () => {
    const r = await askH6('没有医废集中处置设施的设区市 条例施行后几年内要建成？县级市呢');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('1年内');
    expect(r.answer).toContain('2年内');
  });

  it('an English follow-up pointing back ("the doctors and nurses involved") continues the last question', async () => {
    const r = await askH6('And what happens to the doctors and nurses involved?', [
      {
        role: 'user',
        content:
          "What's the fine for a clinic that diagnoses mental disorders without meeting the legal conditions?",
      },
      {
        role: 'assistant',
        content: 'It is ordered to stop, warned and fined, with any illegal income confiscated.',
      },
    ]);
    expect(r.answer).toContain('吊销其执业证书');
  });

  it('a question asking two things of two laws gets both answers, each with its citation', async () => {
    const r = await askH6('精神障碍患者病历至少保存多少年？医废登记资料又要保存几年');
    expect(r.answer).toContain('三十年');
    expect(r.answer).toContain('3年');
    expect(new Set(r.citations.map((c) => c.docId)).size).toBe(2);
    expect(r.query.strategy).toBe('parts');
  });

  it('a later part that only asks more of the first is not a question of its own', () => {
    expect(questionParts('精神障碍患者病历至少保存多少年？医废登记资料又要保存几年')).toHaveLength(2);
    expect(questionParts('设区市几年内要建成？县级市呢')).toEqual([]);
    expect(questionParts('这次一共发布了多少个临床路径？是吗')).toEqual([]);
  });

  it('个百分点 is a unit: the lead states the whole figure', async () => {
    const r = await askH6('跨省异地转诊和急诊抢救的人 医保支付比例降多少');
    expect(r.answer.split('\n')[0]).toContain('10个百分点左右');
  });
});

describe('document numbers, articles and terms of validity (evals/corpora/holdout7)', () => {
  const askH7 = askingOver('holdout7');

  it('two documents named by their numbers get one date each', async () => {
    const r = await askH7('医保发〔2025〕14号和医保发〔2025〕33号分别是哪天印发的');
    expect(r.answer).toContain('2025年5月28日');
    expect(r.answer).toContain('2025年12月5日');
  });

  it("an article the named law does not hold is not answered by another law's article of that number", async () => {
    // The upstream text of this law leaves out 第四十二条; the blood products regulation has one.
    expect((await askH7('人口与计划生育法第四十二条是怎么规定的')).status).toBe('not_found');
    const held = await askH7('人口与计划生育法第四十一条是怎么规定的');
    expect(held.answer).toContain('托育机构');
  });

  it('a later part sharing one word with the first answer is still answered', async () => {
    // "处方留存几年" shares only 处方 with the quote of the first part, which says nothing of keeping it.
    const r = await askH7('毒性药品一张处方最多开几天的极量 处方留存几年');
    expect(r.answer).toContain('二日极量');
    expect(r.answer).toContain('保存二年');
  });

  it('a class named by its letter (B类) is answered by that class, not by its neighbour C类', async () => {
    const r = await askH7('长护险B类上门护理 职工一个月至少上门几次 服务几个小时');
    expect(r.answer).toContain('B类护理');
    expect(r.answer).toContain('12次');
    expect(r.answer).not.toContain('C类护理');
  });

  it('a list question quotes an article once, however many of its sentences were chosen', async () => {
    const r = await askH7('广州长护险基金哪些钱不给报');
    const lines = r.answer.split('\n');
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('"管几年" asks the term of validity a rule states for itself', async () => {
    const r = await askH7('广州长护险办法管几年');
    expect(r.answer).toContain('有效期3年');
  });

  it('医保定点 is no place (保定), and 6个月 is one figure, not 6个', async () => {
    const r = await askH7('新纳入医保定点的医疗机构 政策辅导期多长');
    expect(r.query.unknownRegions).toEqual([]);
    expect(r.query.regions).toEqual([]);
    expect(r.answer.split('\n')[0]).toContain('6个月');
  });

  it('"文号多少 哪两家发的" asks the number and the issuers', async () => {
    const r = await askH7('25年医保药品目录那个通知 文号多少 哪两家发的');
    expect(r.answer).toContain('医保发〔2025〕33号');
    expect(r.answer).toContain('人力资源社会保障部');
  });
});

describe('dates in force as notices and rules state them (evals/corpora/holdout7, holdout8)', () => {
  const askH7 = askingOver('holdout7');
  const askH8 = askingOver('holdout8');

  it('"哪天开始执行" of a notice is its own sentence (自2026年1月1日起正式执行), with the title\'s year cited', async () => {
    const r = await askH7('新版国家医保药品目录哪天开始执行');
    expect(r.answer).toContain('自2026年1月1日起正式执行');
    expect(r.citations.some((c) => c.text.includes('2025年'))).toBe(true);
  });

  it('two rules named in one question each get their date in force, a title with its 年版 included', async () => {
    const r = await askH8('病历管理规定和处方管理办法 各自哪天起施行');
    expect(r.answer).toContain('自2014年1月1日起施行');
    expect(r.answer).toContain('自2007年5月1日起施行');
  });

  it('"2013版" names the text whose title says 2013年版; a decree number is asked in English', async () => {
    const r = await askH8('2013版病历管理规定哪天起执行 废止的是哪个文件');
    expect(r.answer).toContain('自2014年1月1日起施行');
    expect(r.answer).toContain('卫医发〔2002〕193号');
    const decree = await askH8(
      'When did the prescription management measures take effect, and under which decree number?',
    );
    expect(decree.answer).toContain('卫生部令第53号');
  });
});

describe('English words CC-CEDICT reads otherwise (evals/corpora/holdout3)', () => {
  const askH3 = askingOver('holdout3');

  it('a pilot is 试点, not 驾驶员: "pilot regions each province reports" is 试点地区3个', async () => {
    const r = await askH3(
      'How many pilot regions does each province report for the smart supervision pilot?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('试点地区3个');
  });

  it('"set off after getting a dispatch order" is 接到…调度指令后三分钟内派出', async () => {
    const r = await askH3(
      'How long does a Guangzhou ambulance crew have to set off after getting a dispatch order?',
    );
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('三分钟内');
  });
});

describe('English questions over laws in their own words (evals/corpora/holdout2)', () => {
  const askH2 = askingOver('holdout2');

  it('"From what date did … have to start" asks when the notice binds, stated as 自…起 without 施行', async () => {
    const r = await askH2(
      'From what date did hospitals have to start coding diseases with the Chinese ICD-11, and who issued that notice?',
    );
    expect(r.answer.replace(/\s+/g, '')).toContain('自2019年3月1日起，各级各类医疗机构应当全面使用');
    expect(r.answer).toContain('国家卫生健康委');
  });

  it('"Can online pharmacies sell vaccines?" is answered from the online-sales list, not by a clause on selling organs', async () => {
    const r = await askH2('Can online pharmacies sell vaccines?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('疫苗');
    expect(r.answer).not.toContain('人体器官');
  });

  it('"finish a mediation" is 完成调解, not the 备案 of the same committee', async () => {
    const r = await askH2(
      'Within how many working days must the mediation committee finish a medical dispute mediation?',
    );
    expect(r.answer.split('\n')[0]).toContain('30个工作日内完成调解');
  });

  it('"who is in charge of TCM work nationally" asks the responsible body', async () => {
    const r = await askH2('Who is in charge of TCM work nationally?');
    expect(r.answer.split('\n')[0]).toContain('国务院中医药主管部门负责全国的中医药管理工作');
  });
});

describe('a year that names a document, a range of fines, an order number (three real documents and a seed)', () => {
  let over: LoadedService;
  let overDir: string;
  beforeAll(async () => {
    overDir = mkdtempSync(join(tmpdir(), 'zhengce-v2-named-'));
    const corpus = join(overDir, 'corpus');
    mkdirSync(corpus);
    for (const f of [
      'beijing-npc-standing-committee-covid19-decision-2020.md',
      'vaccine-administration-law-2019.md',
      'nmpa-prescription-and-otc-drug-classification-measures-1999.md',
    ])
      cpSync(join(REAL, f), join(corpus, f));
    cpSync(join(SEEDS, 'xining-2024-health-service-system-plan.txt'), join(corpus, 'xining.txt'));
    over = await createService({ corpusDir: corpus, indexDir: join(overDir, 'index'), llm: null });
  }, 120_000);
  afterAll(() => rmSync(overDir, { recursive: true, force: true }));
  const askOver = (question: string) => over.ask({ question, history: [] });

  it('statute English for leaving early and for what does not count as a case', async () => {
    const early = await askOver(
      "Under Beijing's COVID-19 decision, what happens if a patient refuses isolation treatment or leaves isolation early?",
    );
    expect(early.answer).toContain('隔离期未满擅自脱离隔离治疗');
    const exclusions = await askOver(
      "What kinds of reactions after a jab don't count as a vaccine adverse reaction under the law?",
    );
    expect(exclusions.answer).toContain('下列情形不属于预防接种异常反应');
  });

  it("the year of a decision asked by it ('the 2020 decision') is no target year", async () => {
    const who = await askOver(
      "Under Beijing's 2020 decision, who handles people who refuse isolation treatment?",
    );
    expect(who.status).toBe('answered');
    expect(who.answer).toContain('由公安机关协助医疗机构采取强制隔离治疗措施');
    const measures = await askOver(
      "What measures can Beijing's city and district governments take under the 2020 COVID decision?",
    );
    expect(measures.answer).toContain('限制或者停止人群聚集活动');
    // A figure asked for that year is still a target year no document sets.
    const figure = await askOver("What is Beijing's 2020 target for family doctor coverage?");
    expect(figure.status).toBe('not_found');
    expect(figure.answer).toContain('set no target for 2020');
  });

  it('罚款区间 is a range of fines, not a district called 罚款区', async () => {
    const r = await askOver('未经指定擅自从事免疫规划疫苗接种的罚款区间是多少?');
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('十万元以上一百万元以下');
  });

  it('哪个令 asks for the order number, beside the date in force', async () => {
    expect(documentFieldsOf('处方药与非处方药分类管理办法是哪个令、什么时候施行?')).toEqual([
      'docNumber',
      'inForce',
    ]);
    const r = await askOver('处方药与非处方药分类管理办法是哪个令、什么时候施行?');
    expect(r.answer).toContain('国家药品监督管理局令第10号');
    expect(r.answer).toContain('2000年1月1日');
  });
});

describe('counts and bounds as laws write them, and who made a document (evals/corpora/holdout5)', () => {
  const askH5 = askingOver('holdout5');

  it('不少于几家 and 至少几个 ask a count the clause states in words or digits', async () => {
    const reserve = await askH5('上海每个区储备的公共卫生定点医疗机构不少于几家');
    expect(reserve.answer).toContain('不少于一家');
    const staff = await askH5('医保飞行检查现场检查至少要几个执法人员');
    expect(staff.answer).toContain('至少有2名');
  });

  it('几号通过、几号施行 gets the adoption date and the date in force; 哪几个部门一起制定 the issuers', async () => {
    const dates = await askH5('上海市公共卫生应急管理条例几号通过、几号施行');
    expect(dates.answer).toContain('2020年10月27日');
    expect(dates.answer).toContain('2020年11月1日');
    const issuers = await askH5('多点执业意见是哪几个部门一起制定的');
    expect(issuers.answer).toContain('国家发展改革委');
    expect(issuers.answer).toContain('中国保监会');
  });

  it('statute English: reporting without a name, the commander of a level-1 response', async () => {
    const anonymous = await askH5(
      'Can someone report medical insurance fund abuse without giving their name?',
    );
    expect(anonymous.answer).toContain('匿名举报');
    const commander = await askH5(
      "Under Shanghai's public health emergency rules, who is commander-in-chief when a level-1 response is launched?",
    );
    expect(commander.answer).toContain('市人民政府主要负责人担任总指挥');
  });
});
