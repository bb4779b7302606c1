/**
 * A status line that reports a failure looks like one (red, style.css `.status.error`), wherever a view
 * writes it: the Targets and Compare views set their status text in many places, and a failure there
 * (the server unreachable, say) was grey like "Loading…". This marks the line by what it says: the
 * interface's own failure message, in either language.
 */
import { t } from './i18n.js';

const WATCHED = ['targets-status', 'compare-status'];

function failurePrefix() {
  return t('loadFailed', { message: '\u0000' }).split('\u0000')[0];
}

function mark(node) {
  const failed = node.textContent.startsWith(failurePrefix());
  node.classList.toggle('error', failed);
}

for (const id of WATCHED) {
  const node = document.getElementById(id);
  if (!node) continue;
  mark(node);
  new MutationObserver(() => mark(node)).observe(node, {
    childList: true,
    characterData: true,
    subtree: true,
  });
}
