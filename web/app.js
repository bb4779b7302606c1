/**
 * Entry point: language, routing between the views by URL hash (#/chat, #/documents, #/targets, #/compare,
 * #/check, #/answer/<answerId>) and keyboard handling shared by all views. A view's state may follow a `?`
 * in the hash (#/targets?region=嘉兴市&metric=…, #/compare?metric=…): the view is drawn again whenever that
 * changes, so links reproduce it and Back/Forward restore it.
 */

import { initAdminDocuments } from './admin-documents.js';
import { focusQuestion, hidePermalink, initChat, restoreConversation, showPermalink } from './chat.js';
import { closePanel, isPanelOpen } from './doc-panel.js';
import { renderDocuments } from './documents-view.js';
import { byId } from './dom.js';
import { applyStaticStrings, currentLang, onLangChange, setLang } from './i18n.js';
import './lang-scroll.js';
import './panel-modal.js';
import './status-errors.js';
import { initTargets, renderCompare, renderTargets } from './targets-view.js';

const VIEWS = ['chat', 'documents', 'targets', 'compare', 'check'];
const RENDER = { documents: renderDocuments, targets: renderTargets, compare: renderCompare };

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const answer = /^answer\/(.+)$/.exec(hash);
  if (answer) return { view: 'chat', answerId: decodeURIComponent(answer[1]), query: '' };
  const at = hash.indexOf('?');
  const path = at < 0 ? hash : hash.slice(0, at);
  const query = at < 0 ? '' : hash.slice(at + 1);
  const view = VIEWS.includes(path) ? path : 'chat';
  return { view, query };
}

let currentView = null;
let currentQuery = '';

function route() {
  const { view, answerId, query } = parseRoute();
  for (const name of VIEWS) byId(`view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('.tabs a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (answerId) showPermalink(answerId);
  else if (view === 'chat') hidePermalink();
  if (view !== currentView || query !== currentQuery || answerId) RENDER[view]?.(new URLSearchParams(query));
  currentView = view;
  currentQuery = query;
}

function init() {
  applyStaticStrings();
  initChat();
  initTargets();
  initAdminDocuments({ onChange: renderDocuments });
  byId('lang-toggle').addEventListener('click', () => setLang(currentLang() === 'zh' ? 'en' : 'zh'));
  onLangChange(() => RENDER[currentView]?.(new URLSearchParams(currentQuery)));
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
