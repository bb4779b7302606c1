import type { RegionInfo } from '../model.ts';

/**
 * Places the corpus covers, with the names people use for them. Ingest uses it to tell which region a
 * document belongs to; query understanding uses it to read regions out of questions. A document for a new
 * region needs an entry here (or a `region` in its override file).
 */
export interface GazetteerEntry extends RegionInfo {
  /** Other ways of writing the name, Chinese and English, lower-case for English. */
  aliases: string[];
}

export const GAZETTEER: readonly GazetteerEntry[] = [
  {
    name: '新建区',
    level: 'district',
    parents: ['南昌市', '江西省'],
    english: 'Xinjian',
    aliases: ['新建区', '南昌市新建区', 'xinjian', 'nanchang xinjian', 'xinjian district'],
  },
  {
    name: '奉贤区',
    level: 'district',
    parents: ['上海市'],
    english: 'Fengxian',
    aliases: ['奉贤区', '上海市奉贤区', '奉贤', 'fengxian', 'fengxian district', 'shanghai fengxian'],
  },
  {
    name: '嘉兴市',
    level: 'city',
    parents: ['浙江省'],
    english: 'Jiaxing',
    aliases: ['嘉兴市', '嘉兴', 'jiaxing'],
  },
  {
    name: '常州市',
    level: 'city',
    parents: ['江苏省'],
    english: 'Changzhou',
    aliases: ['常州市', '常州', 'changzhou'],
  },
  {
    name: '西宁市',
    level: 'city',
    parents: ['青海省'],
    english: 'Xining',
    aliases: ['西宁市', '西宁', 'xining'],
  },
];

/** Parent regions people name instead of the district or city (上海 for 奉贤区). */
export const PARENT_ALIASES: Readonly<Record<string, { name: string; aliases: string[] }>> = {
  南昌市: { name: '南昌市', aliases: ['南昌市', '南昌', 'nanchang'] },
  江西省: { name: '江西省', aliases: ['江西省', '江西', 'jiangxi'] },
  上海市: { name: '上海市', aliases: ['上海市', '上海', 'shanghai'] },
  浙江省: { name: '浙江省', aliases: ['浙江省', '浙江', 'zhejiang'] },
  江苏省: { name: '江苏省', aliases: ['江苏省', '江苏', 'jiangsu'] },
  青海省: { name: '青海省', aliases: ['青海省', '青海', 'qinghai'] },
};

/**
 * Regions that are not in the corpus. A question about one of them must get "not found" rather than
 * another city's answer, so query understanding needs to recognise them as places.
 */
export const OTHER_REGIONS: readonly string[] = [
  '北京',
  '天津',
  '重庆',
  '杭州',
  '宁波',
  '温州',
  '绍兴',
  '湖州',
  '金华',
  '台州',
  '舟山',
  '衢州',
  '丽水',
  '苏州',
  '南京',
  '无锡',
  '南通',
  '徐州',
  '扬州',
  '镇江',
  '泰州',
  '盐城',
  '淮安',
  '连云港',
  '宿迁',
  '广州',
  '深圳',
  '东莞',
  '佛山',
  '珠海',
  '武汉',
  '成都',
  '西安',
  '郑州',
  '长沙',
  '合肥',
  '济南',
  '青岛',
  '福州',
  '厦门',
  '昆明',
  '贵阳',
  '南宁',
  '海口',
  '兰州',
  '银川',
  '乌鲁木齐',
  '拉萨',
  '呼和浩特',
  '太原',
  '石家庄',
  '沈阳',
  '大连',
  '长春',
  '哈尔滨',
  '九江',
  '赣州',
  '上饶',
  '景德镇',
  '海东',
  '格尔木',
  '浦东',
  '闵行',
  '松江',
  '嘉定',
  '青浦',
  '宝山',
  '徐汇',
  '黄浦',
  '静安',
  '杨浦',
  '金山',
  '广东',
  '四川',
  '湖北',
  '湖南',
  '河南',
  '河北',
  '山东',
  '山西',
  '陕西',
  '甘肃',
  '福建',
  '安徽',
  '云南',
  '贵州',
  '广西',
  '海南',
  '辽宁',
  '吉林',
  '黑龙江',
  '新疆',
  '西藏',
  '内蒙古',
  '宁夏',
  'beijing',
  'tianjin',
  'chongqing',
  'hangzhou',
  'ningbo',
  'wenzhou',
  'shaoxing',
  'huzhou',
  'suzhou',
  'nanjing',
  'wuxi',
  'nantong',
  'xuzhou',
  'yangzhou',
  'guangzhou',
  'shenzhen',
  'wuhan',
  'chengdu',
  "xi'an",
  'xian',
  'zhengzhou',
  'changsha',
  'hefei',
  'jinan',
  'qingdao',
  'fuzhou',
  'xiamen',
  'kunming',
  'guiyang',
  'nanning',
  'lanzhou',
  'shenyang',
  'dalian',
  'harbin',
  'jiujiang',
  'ganzhou',
  'pudong',
  'minhang',
  'songjiang',
  'guangdong',
  'sichuan',
  'hubei',
  'hunan',
  'henan',
  'hebei',
  'shandong',
  'fujian',
  'anhui',
  'yunnan',
  'guizhou',
  'guangxi',
  'hainan',
  'liaoning',
  'jilin',
  'heilongjiang',
  'xinjiang',
  'tibet',
];

/** The region of a text: the gazetteer entry named most often (a name in the title counts ten times). */
export function detectRegion(title: string, body: string): GazetteerEntry | null {
  let best: { entry: GazetteerEntry; score: number } | null = null;
  for (const entry of GAZETTEER) {
    const names = entry.aliases.filter((a) => /\p{Script=Han}/u.test(a) && a.length >= 2);
    const count = (text: string) => names.reduce((n, name) => n + countOccurrences(text, name), 0);
    const score = count(title) * 10 + count(body);
    if (score > 0 && (!best || score > best.score)) best = { entry, score };
  }
  return best?.entry ?? null;
}

function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
