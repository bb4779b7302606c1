/**
 * The language switch keeps the reader where they were, in the page and in the document panel. Switching
 * redraws the views' text (answers, rows, the panel, which scrolls back to its highlight as it redraws),
 * and a view that empties itself while it redraws (or fetches again) would leave the page at its top. The
 * positions are taken just before the switch, the page's as the element at the top of the screen (a turn
 * of the conversation by its answer id, else an element with an id), and put back after the redraw and
 * again once asynchronous redraws have had time to land, unless the reader scrolled meanwhile.
 */
import { byId } from './dom.js';

/** Redraws that fetch (Targets, Compare) land within this on a local server. */
const SETTLE_MS = [0, 150, 500];
const panel = byId('doc-panel');

function anchorAtTop() {
  // Turns first: they are what a reader of the chat is looking at; then the smallest element with an id.
  const candidates = [
    ...document.querySelectorAll('#main [data-answer-id]'),
    ...document.querySelectorAll('#main [id]'),
  ];
  let best = null;
  for (const node of candidates) {
    if (node.closest('[hidden]')) continue;
    const rect = node.getBoundingClientRect();
    if (rect.bottom <= 0 || rect.height === 0) continue;
    if (node.dataset.answerId) {
      return { selector: `[data-answer-id="${CSS.escape(node.dataset.answerId)}"]`, offset: rect.top };
    }
    if (!best || rect.height < best.height)
      best = { selector: `#${CSS.escape(node.id)}`, offset: rect.top, height: rect.height };
  }
  return best;
}

byId('lang-toggle').addEventListener(
  'click',
  () => {
    const before = { x: window.scrollX, y: window.scrollY, anchor: anchorAtTop(), panel: panel.scrollTop };
    let restored = null;
    const restore = () => {
      // The reader scrolled since the last restore: leave them be.
      if (
        restored &&
        (Math.abs(window.scrollY - restored.y) > 2 || Math.abs(panel.scrollTop - restored.panel) > 2)
      )
        return;
      const node = before.anchor && document.querySelector(before.anchor.selector);
      const y = node ? window.scrollY + node.getBoundingClientRect().top - before.anchor.offset : before.y;
      window.scrollTo(before.x, y);
      if (!panel.hidden) panel.scrollTop = before.panel;
      restored = { y: window.scrollY, panel: panel.scrollTop };
    };
    for (const ms of SETTLE_MS) setTimeout(() => requestAnimationFrame(restore), ms);
  },
  // Before app.js's own listener switches the language.
  { capture: true },
);
