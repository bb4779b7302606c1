/**
 * Entry point: language, routing between the views by URL hash (#/chat, #/documents, #/targets, #/compare,
 * #/check, #/answer/<answerId>) and keyboard handling shared by all views.
 */

import { initAdminDocuments } from './admin-documents.js';
import { focusQuestion, hidePermalink, initChat, restoreConversation, showPermalink } from './chat.js';
import { closePanel, isPanelOpen } from './doc-panel.js';
import { renderDocuments } from './documents-view.js';
import { byId } from './dom.js';
import { applyStaticStrings, currentLang, onLangChange, setLang } from './i18n.js';
import { initTargets, renderCompare, renderTargets } from './targets-view.js';

const VIEWS = ['chat', 'documents', 'targets', 'compare', 'check'];
const RENDER = { documents: renderDocuments, targets: renderTargets, compare: renderCompare };

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const answer = /^answer\/(.+)$/.exec(hash);
  if (answer) return { view: 'chat', answerId: decodeURIComponent(answer[1]) };
  const view = VIEWS.includes(hash) ? hash : 'chat';
  return { view };
}

let currentView = null;

function route() {
  const { view, answerId } = parseRoute();
  for (const name of VIEWS) byId(`view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('.tabs a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (answerId) showPermalink(answerId);
  else if (view === 'chat') hidePermalink();
  if (view !== currentView || answerId) RENDER[view]?.();
  currentView = view;
}

function init() {
  applyStaticStrings();
  initChat();
  initTargets();
  initAdminDocuments({ onChange: renderDocuments });
  byId('lang-toggle').addEventListener('click', () => setLang(currentLang() === 'zh' ? 'en' : 'zh'));
  onLangChange(() => RENDER[currentView]?.());
  byId('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    if (parseRoute().view !== 'chat' || parseRoute().answerId) location.hash = '#/chat';
    focusQuestion();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isPanelOpen()) {
      event.preventDefault();
      closePanel();
    }
  });
  window.addEventListener('hashchange', route);
  route();
  restoreConversation();
}

init();
