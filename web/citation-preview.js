/**
 * A preview of a citation beside its [n] marker: the clause text, its document, number and clause path, so
 * a reader can check a figure without opening the document panel. It shows on hover (mouse) and on focus
 * (keyboard; Escape hides it, Enter still opens the panel). On a touch screen the first tap shows the
 * preview with an "Open the clause" button and a second tap on the marker opens the panel, since a tap
 * cannot hover. One preview element serves every marker; the marker points to it with aria-describedby
 * while it shows, so a screen reader reads the clause after the marker's name.
 */
import { append, h } from './dom.js';
import { t } from './i18n.js';

const PREVIEW_ID = 'cite-preview';
/** Long clauses are cut: the preview is for checking a figure; the panel has the whole text. */
const PREVIEW_CHARS = 280;
/** Hover intent: a pointer crossing a line of markers should not flash a preview for each. */
const SHOW_DELAY_MS = 120;
/** A preview outlives the pointer leaving its marker this long, so it does not flicker between markers. */
const HIDE_DELAY_MS = 250;

let preview = null;
let owner = null;
let showTimer = 0;
let hideTimer = 0;

const HAN = /[\u3400-\u9fff]/;

function element() {
  if (preview) return preview;
  preview = h('div', { id: PREVIEW_ID, class: 'cite-preview', role: 'tooltip', hidden: true });
  document.body.append(preview);
  return preview;
}

function cut(text) {
  const chars = [...text];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS - 1).join('')}…` : text;
}

function fill(citation, clause, withOpen, onOpen) {
  const node = element();
  // Shown by hover or focus it is a tooltip that clicks pass through (to the marker or text beneath it);
  // shown by a tap it holds the Open button and takes the next tap.
  node.classList.toggle('interactive', withOpen);
  const meta = [citation.docNumber, citation.region, clause].filter(Boolean).join(' · ');
  node.replaceChildren();
  // append() skips the parts left out (no number, no Open button); replaceChildren would print "null".
  append(
    node,
    h('p', { class: 'preview-label', text: t('previewLabel', { n: citation.n }) }),
    h('p', { class: 'preview-title', lang: HAN.test(citation.title) ? 'zh-CN' : null, text: citation.title }),
    meta ? h('p', { class: 'preview-meta', lang: HAN.test(meta) ? 'zh-CN' : null, text: meta }) : null,
    h('blockquote', { class: 'preview-text', lang: 'zh-CN', text: cut(citation.text) }),
    withOpen
      ? h('button', {
          type: 'button',
          class: 'preview-open',
          text: t('previewOpen'),
          on: {
            click: (event) => {
              const trigger = owner;
              hidePreview();
              onOpen(event, trigger);
            },
          },
        })
      : null,
  );
}

function place(button) {
  const node = element();
  const rect = button.getBoundingClientRect();
  const width = Math.min(360, window.innerWidth - 16);
  node.style.width = `${width}px`;
  const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
  node.style.left = `${left + window.scrollX}px`;
  node.hidden = false;
  // Below the marker, or above it when it sits low on the screen.
  const below = rect.bottom + 6;
  const top = below + node.offsetHeight > window.innerHeight - 8 ? rect.top - node.offsetHeight - 6 : below;
  node.style.top = `${Math.max(8, top) + window.scrollY}px`;
}

function show(button, citation, clause, withOpen, onOpen) {
  clearTimeout(hideTimer);
  if (owner && owner !== button) owner.removeAttribute('aria-describedby');
  owner = button;
  fill(citation, clause, withOpen, onOpen);
  button.setAttribute('aria-describedby', PREVIEW_ID);
  place(button);
}

function scheduleHide() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hidePreview, HIDE_DELAY_MS);
}

export function hidePreview() {
  clearTimeout(showTimer);
  clearTimeout(hideTimer);
  if (preview) preview.hidden = true;
  owner?.removeAttribute('aria-describedby');
  owner = null;
}

export function isPreviewShown(button) {
  return Boolean(preview && !preview.hidden && (!button || owner === button));
}

/**
 * Adds the preview to a [n] marker. `onOpen(event, trigger)` opens the clause in the panel; the marker's
 * own click is routed through here so a first tap on a touch screen previews instead.
 * @param {HTMLButtonElement} button @param {object} citation @param {string} clause @param {Function} onOpen
 */
export function attachPreview(button, citation, clause, onOpen) {
  let touched = false;
  button.addEventListener('pointerdown', (event) => {
    touched = event.pointerType === 'touch' || event.pointerType === 'pen';
  });
  button.addEventListener('mouseenter', () => {
    clearTimeout(showTimer);
    showTimer = setTimeout(() => show(button, citation, clause, false, onOpen), SHOW_DELAY_MS);
  });
  button.addEventListener('mouseleave', () => {
    clearTimeout(showTimer);
    if (owner === button) scheduleHide();
  });
  button.addEventListener('focus', () => {
    if (!touched) show(button, citation, clause, false, onOpen);
  });
  button.addEventListener('blur', (event) => {
    // Focus moving into the preview (its Open button) keeps it.
    if (preview?.contains(event.relatedTarget)) return;
    if (owner === button) scheduleHide();
  });
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isPreviewShown(button)) {
      event.stopPropagation();
      hidePreview();
    }
  });
  button.addEventListener('click', (event) => {
    if (touched && !(isPreviewShown(button) && preview.querySelector('.preview-open'))) {
      touched = false;
      show(button, citation, clause, true, onOpen);
      return;
    }
    touched = false;
    hidePreview();
    onOpen(event, button);
  });
}

// A tap or click elsewhere, or scrolling the page, puts the preview away.
document.addEventListener('pointerdown', (event) => {
  if (!preview || preview.hidden) return;
  if (preview.contains(event.target) || owner?.contains(event.target)) return;
  hidePreview();
});
window.addEventListener('resize', () => hidePreview());
