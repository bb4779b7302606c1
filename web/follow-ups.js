/**
 * Suggested follow-up questions, built from the frame of an answer: the cited clause's target (its metric,
 * place and year, from /api/targets), the other years and places the documents set that same metric for,
 * and the cited document's own fields (its number, its issuer, from /api/documents). A suggestion is only
 * offered when the documents hold what it asks: another year or place only when a target of that metric
 * exists for it, a document's number or issuer only when the document has one. No number is ever written
 * into a suggestion; the question is the user's own (as resolved) with the place or year swapped.
 */
import { getJson, listDocuments } from './api.js';
import { t } from './i18n.js';

/** More than this many and the list stops being a glance. */
const MAX_SUGGESTIONS = 4;
/** Every target of one metric across the corpus fits in one page (the API allows 1000). */
const TARGETS_PAGE = 1000;

/** The forms a place may be written in within a question: 嘉兴市, 嘉兴, Jiaxing. */
function placeForms(region) {
  const forms = [region.name];
  const short = region.name.replace(/(?:市|区|县|省|自治州|地区)$/, '');
  if (short.length >= 2 && short !== region.name) forms.push(short);
  if (region.english) forms.push(region.english);
  return forms;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The question with the place written in it replaced by `to`, in the same form; null when it names none. */
function swapPlace(question, from, to) {
  const fromForms = placeForms(from);
  const toForms = placeForms(to);
  for (let i = 0; i < fromForms.length; i++) {
    const form = fromForms[i];
    const pattern = new RegExp(
      i === 2 ? `\\b${escapeRegExp(form)}\\b` : escapeRegExp(form),
      i === 2 ? 'i' : '',
    );
    if (pattern.test(question)) return question.replace(pattern, toForms[Math.min(i, toForms.length - 1)]);
  }
  return null;
}

/** The question with the year replaced; null when the year is not written in it as digits. */
function swapYear(question, from, to) {
  const pattern = new RegExp(`(?<!\\d)${from}(?!\\d)`);
  return pattern.test(question) ? question.replace(pattern, String(to)) : null;
}

/**
 * The target the answer states from its first citation: of the records in the cited clause, the one whose
 * metric the question names, else the one whose value the lead line states.
 */
async function citedTarget(citation, result) {
  const page = await getJson('/api/targets', { region: citation.region, limit: TARGETS_PAGE });
  const inClause = page.targets.filter(
    (target) =>
      target.chunkId === citation.chunkId ||
      (target.docId === citation.docId && citation.text.includes(target.quote)),
  );
  const question = result.query.resolvedQuestion;
  const said = result.lead ?? result.answer;
  return (
    inClause.find((target) => question.includes(target.metric) || question.includes(target.metricGroup)) ??
    inClause.find((target) => said.includes(target.valueText)) ??
    null
  );
}

/**
 * @param {object} result the AnswerResult
 * @returns {Promise<string[]>} questions the documents can answer
 */
export async function suggestFollowUps(result) {
  if (result.status !== 'answered' || result.citations.length === 0) return [];
  const question = result.query.resolvedQuestion;
  const documents = await listDocuments();
  const docById = new Map(documents.map((d) => [d.docId, d]));
  const regionByName = new Map(documents.filter((d) => d.region).map((d) => [d.region.name, d.region]));
  const suggestions = [];
  const add = (text) => {
    if (text && text !== question && !suggestions.includes(text)) suggestions.push(text);
  };

  const [first] = result.citations;
  const target = await citedTarget(first, result).catch(() => null);
  if (target) {
    const same = await getJson('/api/targets', { metric: target.metricGroup, limit: TARGETS_PAGE });
    const here = regionByName.get(target.region);
    // The year as the question writes it (the answer may state another: the document's horizon).
    const asked = result.query.years?.[0] ?? target.year;
    // Another year of this metric in this place, when the question names the year.
    if (asked !== null) {
      const years = new Set(
        same.targets.filter((x) => x.region === target.region && x.year).map((x) => x.year),
      );
      for (const year of [...years].filter((y) => y !== asked).slice(0, 2))
        add(swapYear(question, asked, year));
    }
    // The same metric in other places, those that set it for the asked year first.
    if (here) {
      const places = new Map();
      for (const other of same.targets) {
        if (other.region === target.region || !regionByName.has(other.region)) continue;
        const year = places.get(other.region);
        if (year === undefined || other.year === asked) places.set(other.region, other.year);
      }
      const ordered = [...places].sort(([, a], [, b]) => Number(b === asked) - Number(a === asked));
      for (const [name, year] of ordered.slice(0, 2)) {
        const text = swapPlace(question, here, regionByName.get(name));
        const dated =
          text && asked !== null && year !== null && year !== asked ? swapYear(text, asked, year) : null;
        add(dated ?? text);
      }
    }
  }

  // The cited document's own fields, when it has them and the question did not already ask for them.
  const doc = docById.get(first.docId);
  const asked = new Set(result.query.documentFields ?? []);
  if (doc?.docNumber && !asked.has('docNumber')) add(t('askDocNumber', { title: doc.title }));
  if (doc?.issuer && !asked.has('issuer')) add(t('askIssuer', { title: doc.title }));
  return suggestions.slice(0, MAX_SUGGESTIONS);
}
