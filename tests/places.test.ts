import { describe, expect, it } from 'vitest';
import { placeOfDocument } from '../ingest/meta/place-of-document.ts';
import { gazetteer } from '../ingest/meta/places/gazetteer.ts';
import type { RegionInfo } from '../ingest/model.ts';
import { broaderPlaceNote } from '../server/answer/broader-place-note.ts';
import { createRegionFinder } from '../server/query/find-regions.ts';

const g = gazetteer();

/** The place with this name (and this nearest parent, when several share the name), as a document region. */
function region(name: string, parent?: string): RegionInfo {
  const place = (g.byName.get(name) ?? []).find((p) => !parent || g.ancestors(p)[0]?.name === parent);
  if (!place) throw new Error(`no place ${name} ${parent ?? ''}`);
  return g.regionInfo(place);
}

describe('places data', () => {
  const provinces = [...g.byCode.values()].filter((p) => p.level === 'province');

  it('has all 34 provincial-level units with their established English names', () => {
    expect(provinces).toHaveLength(34);
    const english = Object.fromEntries(provinces.map((p) => [p.name, p.english]));
    expect(english).toMatchObject({
      内蒙古自治区: 'Inner Mongolia',
      西藏自治区: 'Xizang',
      广西壮族自治区: 'Guangxi',
      香港特别行政区: 'Hong Kong',
      澳门特别行政区: 'Macao',
      陕西省: 'Shaanxi',
      山西省: 'Shanxi',
      重庆市: 'Chongqing',
    });
    expect(provinces.every((p) => /^[A-Z][a-z']+(?: [A-Z][a-z]+)*$/.test(p.english))).toBe(true);
  });

  it('gives prefectures and counties their parents, nearest first, and pinyin English names', () => {
    expect(region('西宁市')).toMatchObject({ level: 'city', parents: ['青海省'], english: 'Xining' });
    expect(region('新建区')).toMatchObject({
      level: 'district',
      parents: ['南昌市', '江西省'],
      code: '360112',
    });
    expect(region('奉贤区')).toMatchObject({ level: 'district', parents: ['上海市'], english: 'Fengxian' });
    expect(region('句容市')).toMatchObject({
      level: 'district',
      parents: ['镇江市', '江苏省'],
      english: 'Jurong',
    });
    expect(region('延边朝鲜族自治州')).toMatchObject({ level: 'city', english: 'Yanbian' });
    expect(region('西安市').english).toBe("Xi'an");
    expect(region('仙桃市')).toMatchObject({ level: 'district', parents: ['湖北省'] });
  });

  it('keeps same-named places apart by code', () => {
    const chaoyang = (g.byName.get('朝阳区') ?? []).map((p) => g.regionInfo(p).parents[0]);
    expect(chaoyang).toEqual(expect.arrayContaining(['北京市', '长春市']));
    expect(new Set((g.byName.get('鼓楼区') ?? []).map((p) => p.code)).size).toBe(4);
  });
});

describe('placeOfDocument', () => {
  const place = (input: { title: string; issuer?: string | null; body?: string }) =>
    placeOfDocument({ title: input.title, issuer: input.issuer ?? null, body: input.body ?? '' });

  it('reads national laws and State Council regulations as national', () => {
    expect(place({ title: '中华人民共和国传染病防治法' }).region?.level).toBe('national');
    expect(
      place({ title: '中华人民共和国疫苗管理法', issuer: '全国人民代表大会常务委员会' }).region?.name,
    ).toBe('全国');
    expect(place({ title: '医疗机构管理条例', issuer: '国务院' }).region?.level).toBe('national');
    expect(place({ title: '关于做好医保工作的通知', issuer: '国家医保局办公室' }).region?.level).toBe(
      'national',
    );
  });

  it('reads a provincial regulation from its title', () => {
    const found = place({ title: '浙江省精神卫生条例' });
    expect(found.region).toMatchObject({ name: '浙江省', level: 'province', english: 'Zhejiang' });
    expect(found.warning).toBeNull();
  });

  it('reads a city from its issuer, with its province', () => {
    const found = place({
      title: '汕头经济特区基层医疗卫生服务条例',
      issuer: '汕头市人民代表大会常务委员会',
    });
    expect(found.region).toMatchObject({ name: '汕头市', level: 'city', parents: ['广东省'] });
    expect(found.evidence).toContain('issuer');
  });

  it('reads a county-level city from a 关于印发 title, with its city and province', () => {
    const found = place({
      title: '关于印发句容市健康融入所有政策工作方案的通知',
      body: '各镇人民政府,各街道办事处',
    });
    expect(found.region).toMatchObject({ name: '句容市', level: 'district', parents: ['镇江市', '江苏省'] });
  });

  it('lets the issuer beat the title and ignores cited documents in the title', () => {
    const byIssuer = place({ title: '关于印发某方案的通知', issuer: '江西省人民政府办公厅' });
    expect(byIssuer.region?.name).toBe('江西省');
    const cited = place({
      title: '关于贯彻落实《浙江省人民政府办公厅关于推进健康浙江建设的意见》的实施意见',
      body: '各县(市、区)人民政府:\n……\n嘉兴市人民政府办公室\n2024年3月1日',
    });
    expect(cited.region?.name).toBe('嘉兴市');
  });

  it('reads a local body without its place (市卫生健康委员会) as local, from the place its text names', () => {
    const found = place({
      title: '2020年全市卫生健康工作计划安排',
      issuer: '市卫生健康委员会',
      body: '出台《常州市基层卫生人才强基工程实施方案》。常州市、溧阳市深化健康城市建设试点工作,新北区要创成江苏省健康促进区。',
    });
    expect(found.region).toMatchObject({ name: '常州市', parents: ['江苏省'] });
  });

  it('does not take a short place name in the body as the place (参照上海经验)', () => {
    const found = place({
      title: '关于做好家庭医生签约服务的通知',
      body: '各单位:参照上海经验,做好签约服务。',
    });
    expect(found.region).toBeNull();
    expect(found.warning).toBe('no place found in issuer, title or text; indexed with place unknown');
  });
});

describe('findRegions', () => {
  const corpus = [region('新建区'), region('奉贤区'), region('嘉兴市'), region('常州市'), region('西宁市')];
  const finder = createRegionFinder(corpus);

  it('reads a short name as the corpus place', () => {
    expect(finder.find('西宁家医签约24年要到多少?')).toMatchObject({ regions: ['西宁市'], unknown: [] });
  });

  it('reports a place the corpus has no document for, in Chinese and English', () => {
    expect(finder.find('绵阳2025年每千人口床位数')).toMatchObject({ regions: [], unknown: ['绵阳'] });
    expect(finder.find("What is Mianyang's 2025 bed target?")).toMatchObject({
      regions: [],
      unknown: ['Mianyang'],
    });
    expect(finder.find('Wuhu family doctors')).toMatchObject({ regions: [], unknown: ['Wuhu'] });
  });

  it('does not take ordinary words for places', () => {
    expect(finder.find('新建医院多少家').spans).toEqual([]);
    expect(finder.find('新建区域医疗中心几个').spans).toEqual([]);
    expect(finder.find('确保社会长治久安').spans).toEqual([]);
    expect(finder.find('健康素养综合水平目标').spans).toEqual([]);
    expect(finder.find('安宁疗护床位多少张').spans).toEqual([]);
    // 上市 of 疫苗上市许可持有人 ends in 市 but names no city.
    expect(finder.find('疫苗上市许可持有人违反规范的罚多少').unknown).toEqual([]);
    // 中卫 (宁夏) is not in 集中卫生 or 机构中卫生技术人员; 罚款区间 is no district; 2025年乡镇 is no town.
    expect(finder.find('医疗机构中卫生技术人员占比多少').unknown).toEqual([]);
    expect(finder.find('集中卫生整治行动').unknown).toEqual([]);
    expect(finder.find('未经指定擅自从事接种的罚款区间是多少').unknown).toEqual([]);
    expect(finder.find('2025年乡镇卫生院要多少达到推荐标准').unknown).toEqual([]);
    // 禁烟区, 吸烟区 and 风险区 are areas a rule names, not districts.
    expect(finder.find('那未成年人在禁烟区抽烟呢').unknown).toEqual([]);
    expect(finder.find('吸烟区的设置不符合要求罚多少').unknown).toEqual([]);
    expect(finder.find('中风险区的人员要隔离几天').unknown).toEqual([]);
  });

  it('reads county-level cities ending in 中 by their short names, and 城中区 by its full name only', () => {
    const yangzhong = createRegionFinder([region('扬中市')]);
    expect(yangzhong.find('扬中卫生健康规划是谁印发的').regions).toEqual(['扬中市']);
    expect(yangzhong.find('城中卫生院').spans).toEqual([]);
  });

  it('reads 海南州 as the autonomous prefecture in Qinghai and 海南 as the province', () => {
    const both = createRegionFinder([region('海南藏族自治州'), region('海南省')]);
    expect(both.find('海南州医共体方案').regions).toEqual(['海南藏族自治州']);
    expect(both.find('海南儿童健康').regions).toEqual(['海南省']);
  });

  it('still reads an ordinary-word short name right after its parent', () => {
    expect(finder.find('南昌新建2025年托位数').regions).toEqual(['新建区']);
  });

  it('answers a municipality from its district document and says so', () => {
    const found = finder.find('上海家庭医生签约覆盖率');
    expect(found.regions).toEqual(['奉贤区']);
    expect(found.broader).toHaveLength(1);
    const note = broaderPlaceNote(found.broader[0]!, 'zh');
    expect(note).toBe('注:这些文件中没有上海市本级的文件,以下仅依据其下辖的奉贤区的文件。');
    expect(broaderPlaceNote(finder.find("Shanghai's target").broader[0]!, 'en')).toContain(
      'its district Fengxian (奉贤区)',
    );
  });

  it('does not answer a question about a whole municipality from one district', () => {
    expect(finder.find('上海市全市家庭医生签约覆盖率')).toMatchObject({ regions: [], unknown: ['上海市'] });
  });

  it('reads a county inside a corpus city as that city (溧阳 is in 常州市)', () => {
    expect(finder.find('溧阳的标准呢?').regions).toEqual(['常州市']);
  });

  it("does not answer a city from its province's plan (长沙 with only Hunan's)", () => {
    const hunan = createRegionFinder([region('湖南省')]);
    expect(hunan.find('长沙人均预期寿命27年目标多少')).toMatchObject({ regions: [], unknown: ['长沙'] });
    expect(hunan.find('湖南人均预期寿命27年目标多少').regions).toEqual(['湖南省']);
  });

  it('tells same-named districts apart by the city named with them', () => {
    const nanjing = createRegionFinder([region('鼓楼区', '南京市'), region('鼓楼区', '福州市')]);
    expect(nanjing.find('福州鼓楼区签约率').regions).toEqual(['鼓楼区']);
    expect(nanjing.find('福州鼓楼区签约率').broader).toEqual([]);
    expect(createRegionFinder([region('鼓楼区', '南京市')]).find('福州市鼓楼区签约率').unknown).toEqual([
      '鼓楼区',
    ]);
  });

  it('reads 全国 as the national documents when there are some, and as a place without a document otherwise', () => {
    const national = createRegionFinder([...corpus, g.regionInfo(g.national)]);
    expect(national.find('全国家庭医生签约覆盖率目标').regions).toEqual(['全国']);
    expect(finder.find('全国家庭医生签约覆盖率目标')).toMatchObject({ regions: [], unknown: ['全国'] });
    // A local question that compares with the country is still about the local place.
    expect(national.find('西宁达到国家A类标准的比例').regions).toEqual(['西宁市']);
  });
});
