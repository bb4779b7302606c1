/**
 * The fact table many government pages show above a document (索引号 / 发文机关 / 发文字号 / 成文日期 /
 * 发布日期 …), read from the raw DOM: readability usually drops it as page furniture, yet it is the most
 * reliable source of the document number and dates. The facts are given back as label/value pairs and
 * their elements are removed, so the article text does not repeat them as a table.
 */
export interface PageFact {
  label: string;
  value: string;
}

/**
 * Labels that only a document's fact block uses; two of them close together mark the block. Other
 * "label：value" pairs inside that block are kept too, whatever their label.
 */
const CORE_LABELS = new Set([
  '索引号',
  '发文字号',
  '发文文号',
  '文号',
  '文件编号',
  '发文机关',
  '发布机关',
  '发布机构',
  '发文单位',
  '成文日期',
  '生成日期',
  '发布日期',
  '公开日期',
  '信息名称',
  '主题分类',
]);
/** A label cell: a few CJK characters and a colon ("索 引 号：", "发文字号:"). */
const LABEL_ONLY = /^([\u4e00-\u9fff]{2,8})[:：]$/;
/** A label and its value in one element ("发布日期：2024-03-01"). */
const LABEL_AND_VALUE = /^([\u4e00-\u9fff]{2,8})[:：]\s*(\S.*)$/;
/** A fact block longer than this is not a fact block but a page region that happens to contain labels. */
const MAX_BLOCK_CHARS = 3000;
/** Elements that may carry a label, a value or both. */
const CANDIDATES = 'td,th,li,dt,dd,p,span,div,b,strong,label,em,font';

const squeeze = (text: string) => text.replace(/[\s\u00a0\u3000]+/g, '');
const tidy = (text: string) => text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();

interface Pair extends PageFact {
  nodes: Element[];
}

/** Element children that are not just inline wrappers of the element's own text. */
function hasBlockChildren(el: Element): boolean {
  return Array.from(el.children).some((c) => !/^(b|strong|span|font|em|i|a|label|u)$/i.test(c.tagName));
}

function readPair(el: Element): Pair | null {
  if (hasBlockChildren(el)) return null;
  const squeezed = squeeze(el.textContent ?? '');
  const only = squeezed.match(LABEL_ONLY);
  if (only?.[1]) {
    const next = el.nextElementSibling;
    const value = next ? tidy(next.textContent ?? '') : '';
    if (!next || LABEL_ONLY.test(squeeze(value)) || value.length > 200) return null;
    return { label: only[1], value, nodes: [el, next] };
  }
  const text = tidy(el.textContent ?? '');
  const both = text.replace(/^([^:：]*)/, (m) => squeeze(m)).match(LABEL_AND_VALUE);
  if (both?.[1] && both[2] && CORE_LABELS.has(both[1]) && both[2].length <= 200) {
    return { label: both[1], value: both[2].trim(), nodes: [el] };
  }
  return null;
}

function commonAncestor(a: Element, b: Element): Element | null {
  for (let node: Element | null = a; node; node = node.parentElement) if (node.contains(b)) return node;
  return null;
}

/** Finds the page's fact block, returns its facts and removes it (or its fact elements) from the document. */
export function extractPageFacts(document: Document): PageFact[] {
  const pairs: Pair[] = [];
  const used = new Set<Element>();
  for (const el of Array.from(document.body?.querySelectorAll(CANDIDATES) ?? [])) {
    if (used.has(el) || Array.from(used).some((u) => u.contains(el))) continue;
    const pair = readPair(el);
    if (!pair) continue;
    pairs.push(pair);
    for (const n of pair.nodes) used.add(n);
  }
  const core = pairs.filter((p) => CORE_LABELS.has(p.label));
  const first = core[0]?.nodes[0];
  const second = core.find((p) => p.label !== core[0]?.label)?.nodes[0];
  if (!first || !second) return [];
  let block = commonAncestor(first, second);
  if (!block || (block.textContent ?? '').length > MAX_BLOCK_CHARS) return [];
  // Widen from the first two facts (often one table row) to the whole block, while it stays fact-sized.
  for (const pair of core) {
    const node = pair.nodes[0];
    if (!node || block.contains(node)) continue;
    const wider: Element | null = commonAncestor(block, node);
    if (!wider || (wider.textContent ?? '').length > MAX_BLOCK_CHARS) break;
    block = wider;
  }
  const container = block;
  const facts = pairs.filter((p) => p.nodes.every((n) => container.contains(n)));
  const seen = new Set<string>();
  const unique = facts.filter((f) => f.value && !seen.has(f.label) && seen.add(f.label));
  const factChars = unique.reduce((n, f) => n + f.label.length + f.value.length, 0);
  // A block that is mostly facts goes whole (with its empty cells and spacer rows); otherwise only the facts.
  if (factChars >= squeeze(container.textContent ?? '').length * 0.6) container.remove();
  else for (const f of facts) for (const n of f.nodes) n.remove();
  return unique.map(({ label, value }) => ({ label, value }));
}
