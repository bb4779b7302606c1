/**
 * The document panel as the rest of the page sees it: Back closes it (opening it adds a history entry, so
 * the phone's back gesture or the browser's Back button closes the panel instead of leaving the view), and
 * on a narrow screen, where it covers the page, it is a modal dialog: role="dialog" with aria-modal, the
 * page behind it inert (Tab cannot reach hidden content, a screen reader does not read it), Escape closes
 * it (app.js). doc-panel.js only shows and hides the panel; this watches its `hidden` attribute, so the
 * panel's own code needs no knowledge of history or layout.
 */
import { closePanel, isPanelOpen } from './doc-panel.js';
import { byId } from './dom.js';

const panel = byId('doc-panel');
/** The panel covers the page below this width (style.css). */
const PHONE = window.matchMedia('(max-width: 899px)');
/** What the dialog makes inert: everything in the body but the panel's own ancestors. */
const BACKGROUND = ['skip-link', 'main', 'toast'];
const STATE_KEY = 'zhengcePanel';

function setModal(on) {
  if (on) {
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-modal', 'true');
  } else {
    panel.removeAttribute('role');
    panel.removeAttribute('aria-modal');
  }
  for (const id of BACKGROUND) document.getElementById(id)?.toggleAttribute('inert', on);
  document.querySelector('.topbar')?.toggleAttribute('inert', on);
}

/** A history.back() of ours on its way: its popstate must not close a panel opened again meanwhile. */
let goingBack = false;

function pushEntry() {
  if (!history.state?.[STATE_KEY])
    history.pushState({ ...history.state, [STATE_KEY]: true }, '', location.href);
}

function opened() {
  setModal(PHONE.matches);
  // Reopened before our own Back landed: the entry is pushed again once it has (popstate below).
  if (!goingBack) pushEntry();
}

function closed() {
  setModal(false);
  // Closed by its button or Escape: take back the entry opening it added, so Back then leaves the view.
  if (history.state?.[STATE_KEY] && !goingBack) {
    goingBack = true;
    history.back();
  }
}

let wasOpen = isPanelOpen();
new MutationObserver(() => {
  const open = isPanelOpen();
  if (open === wasOpen) return;
  wasOpen = open;
  if (open) opened();
  else closed();
}).observe(panel, { attributes: true, attributeFilter: ['hidden'] });

// doc-panel.js returns focus to the opener as it closes, before the observer above runs; an inert opener
// cannot take focus, so the page is made live again first, on the way in of every way to close.
byId('doc-panel-close').addEventListener('click', () => setModal(false), { capture: true });
document.addEventListener(
  'keydown',
  (event) => {
    if (event.key === 'Escape' && isPanelOpen()) setModal(false);
  },
  { capture: true },
);

window.addEventListener('popstate', (event) => {
  if (goingBack) {
    goingBack = false;
    if (isPanelOpen()) pushEntry();
    return;
  }
  if (isPanelOpen() && !event.state?.[STATE_KEY]) {
    setModal(false);
    closePanel();
  }
});

// Turning a phone, or resizing a window across the breakpoint, changes whether the panel covers the page.
PHONE.addEventListener('change', () => {
  if (isPanelOpen()) setModal(PHONE.matches);
});
