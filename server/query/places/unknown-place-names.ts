import { readFileSync } from 'node:fs';
import { escapeRegExp } from '../../../ingest/text/escape-regexp.ts';

/**
 * Names in a question that look like places but are on no list: a foreign city (东京, Osaka), a misspelt or
 * invented city (嘉南市, Hangzou City), a township or village (周庄镇, 大王庄村). The gazetteer knows every
 * province, prefecture and county; these are what it cannot know, and a question about one must be answered
 * "not in these documents", never with the figures of a place that is on the list.
 */
export interface UnknownPlaceName {
  text: string;
  start: number;
  end: number;
}

const FOREIGN = readFileSync(new URL('./foreign-places.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#') && !line.startsWith('zh\t'))
  .map((line) => line.split('\t'));
const FOREIGN_ZH = FOREIGN.map(([zh]) => zh ?? '').filter((zh) => zh && zh !== '-');
const FOREIGN_EN = FOREIGN.flatMap(([, en]) => (en ?? '').split('|')).filter(Boolean);
const FOREIGN_PATTERN = new RegExp(
  [...FOREIGN_ZH.map(escapeRegExp), ...FOREIGN_EN.map((en) => String.raw`\b${escapeRegExp(en)}\b`)].join('|'),
  'g',
);

/**
 * A Chinese name of two to four characters ending in an administrative suffix, standing where a place stands:
 * at the start, after punctuation, a digit or a space, or right after a known place (青海省|西林市); not where
 * the suffix's character begins a word (罚款区间, 服务区域, 医药市场).
 */
const CHINESE_PLACE =
  /(?<=^|[\s\d,，。.、;；:：?？!！()（）《》“”"'的在]|\uE000)(\p{Script=Han}{2,4}?)(市|县|区|镇|乡|村|街道|州|盟|旗)(?!(?<=区)[间域块])(?!(?<=市)场)/gu;
/**
 * Stems that make ordinary words with the suffix (城市, 全市, 社区, 农村, 各县) or name a level of city (设区市,
 * 地级市, 县级市, 直辖市), or that begin with the unit of a date before them (2025年乡镇卫生院): never a place's name.
 */
const ORDINARY_STEM =
  /^[年月日度]|^(?:城|全|本|各|该|我|每|外|市|县|省|乡|城乡|城镇|乡镇|县市|市县|省市|县域|市域|区域|县级|市级|区级|乡级|村级|镇级|设区|地级|副省级|直辖|计划单列)$|[全本各该我每所个]|(?:社|地|城|辖|园|街|景|郊|片|校|院|厂|矿|山|灾|疫|病|防|保|农|新|开发|试点|示范|先行|自贸|贫困|边远|偏远|民族|老区|特区|库)$/u;
/**
 * Ordinary words that end in a suffix's character (疫苗上市许可持有人, 超市, 小区, 病区, 禁烟区): the name-like match
 * ends inside a word, not at a place's suffix.
 */
const ORDINARY_WORD =
  /(?:上市|超市|门市|集市|夜市|股市|菜市|小区|专区|分区|功能区|试验区|保护区|服务区|禁烟区|吸烟区|无烟区|控烟区|禁区|风险区|封控区|管控区|防范区|缓冲区)$/u;
const ENGLISH_PLACE =
  /\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?) (City|County|District|Township|Town|Village|Province|Prefecture)\b/g;

/** Place-like names outside the given spans (the places the gazetteer already read). */
export function unknownPlaceNames(
  question: string,
  known: readonly { start: number; end: number }[],
): UnknownPlaceName[] {
  // Known places are masked with a private-use character so a name right after one (青海省西林市) stands at a boundary.
  let masked = question;
  for (const s of known)
    masked = masked.slice(0, s.start) + '\uE000'.repeat(s.end - s.start) + masked.slice(s.end);
  const out: UnknownPlaceName[] = [];
  const add = (text: string, start: number) => {
    const end = start + text.length;
    if (!known.some((s) => s.start < end && s.end > start)) out.push({ text, start, end });
  };
  for (const m of masked.matchAll(FOREIGN_PATTERN)) add(m[0], m.index ?? 0);
  for (const m of masked.matchAll(CHINESE_PLACE)) {
    const stem = m[1] ?? '';
    if (ORDINARY_STEM.test(stem) || ORDINARY_WORD.test(m[0])) continue;
    add(m[0], m.index ?? 0);
  }
  for (const m of masked.matchAll(ENGLISH_PLACE)) add(m[0], m.index ?? 0);
  return out.sort((a, b) => a.start - b.start);
}
