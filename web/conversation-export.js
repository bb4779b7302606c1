/**
 * A conversation as Markdown, for a report or a file: each question, its answer, and its sources with the
 * document, its number, place and clause path and the quoted clause, then the answer's permalink. Text from
 * answers and documents is quoted as it is; characters Markdown would read as markup at the start of a line
 * are escaped so a clause numbered "1." or "#" stays text.
 */
import { clauseLabel } from './doc-panel.js';
import { t } from './i18n.js';

/** Escapes what would start a heading, list, quote or table at the beginning of a line, and stray pipes. */
function escapeLine(line) {
  return line.replace(/^(\s*)([#>*+\-|]|\d+[.)])/, '$1\\$2').replace(/\|/g, '\\|');
}

function quoteBlock(text) {
  return text
    .split('\n')
    .map((line) => `> ${escapeLine(line)}`)
    .join('\n');
}

function plain(text) {
  return text.split('\n').map(escapeLine).join('\n');
}

/**
 * @param {{ question: string, result: object }[]} turns oldest first
 * @param {{ title?: string, baseUrl: string, now?: Date }} options
 */
export function conversationMarkdown(turns, options) {
  const now = options.now ?? new Date();
  const parts = [
    `# ${plain(options.title || t('exportTitle'))}`,
    t('exportedOn', { date: now.toISOString().slice(0, 10) }),
  ];
  turns.forEach((turn, i) => {
    const { result } = turn;
    parts.push(`## ${i + 1}. ${plain(turn.question.replace(/\s+/g, ' '))}`);
    parts.push(`**${t('mdAnswer')}**\n\n${plain(result.answer)}`);
    if (result.query?.scope) {
      const scope = [...(result.query.scope.regions ?? []), ...(result.query.scope.docIds ?? [])];
      parts.push(`*${t('mdScope')}: ${plain(scope.join(', '))}*`);
    }
    if (result.citations.length) {
      const sources = result.citations.map((c) => {
        const line = [c.title, c.docNumber, c.region || t('placeUnknown'), clauseLabel(c)]
          .filter(Boolean)
          .join(' · ');
        return `${c.n}. ${plain(line)}\n\n${quoteBlock(c.text)
          .split('\n')
          .map((l) => `   ${l}`)
          .join('\n')}`;
      });
      parts.push(`**${t('mdSources')}**\n\n${sources.join('\n\n')}`);
    } else if (result.related?.length) {
      const related = result.related.map(
        (r) =>
          `- ${plain([r.title, r.region || t('placeUnknown'), (r.headingPath ?? []).join(' › ')].filter(Boolean).join(' · '))}`,
      );
      parts.push(`**${t('mdRelated')}**\n\n${related.join('\n')}`);
    }
    if (result.answerId) {
      const link = new URL(`#/answer/${encodeURIComponent(result.answerId)}`, options.baseUrl).href;
      parts.push(`${t('mdPermalink')}: <${link}>`);
    }
  });
  return `${parts.join('\n\n')}\n`;
}

/** Offers the Markdown as a file download (a Blob URL: the page's CSP allows no data: documents). */
export function downloadMarkdown(markdown, filename) {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
