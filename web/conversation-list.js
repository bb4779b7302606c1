/**
 * The user's conversations in this browser: their ids and tokens (the token is what opens a conversation
 * on the server, so the list lives where the current one always has, in localStorage), a title taken from
 * the first question or given by the user (kept here only; the server has no titles), and when each was
 * last used. Shown as a collapsible list above the chat: open one, rename it, delete it (on the server).
 */
import { h } from './dom.js';
import { t } from './i18n.js';

const STORAGE_KEY = 'zhengce.conversations';
/** Enough for months of use; the oldest go first (their answers stay on the server until retention). */
const MAX_KEPT = 100;
/** Titles are a first question, shortened so the list stays one line per conversation. */
const TITLE_LENGTH = 60;
/** A Chinese title (no English word in it) is marked lang="zh-CN" inside the English interface. */
const HAN_ONLY = /^(?=.*[\u3400-\u9fff])(?!.*[A-Za-z]{3})/s;

/** @typedef {{ id: string, token: string, title: string | null, named: boolean, updatedAt: string }} ListedConversation */

/** @returns {ListedConversation[]} newest first */
export function loadList() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(stored)) return [];
    return stored.filter((c) => typeof c?.id === 'string' && typeof c?.token === 'string');
  } catch {
    return [];
  }
}

function saveList(list) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(list.slice(0, MAX_KEPT)));
  } catch {
    // Without storage the list lasts until reload.
  }
}

/** A first question as a title: one line, cut at a character (not inside a surrogate pair). */
export function titleFrom(question) {
  const line = question.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > TITLE_LENGTH ? `${chars.slice(0, TITLE_LENGTH - 1).join('')}…` : line;
}

/**
 * Records that a conversation was used (asked in or opened), moving it to the top; a new one gets the
 * question as its title. An id that replaced another (the server started afresh) takes its place.
 * @param {{ id: string, token: string }} key @param {{ question?: string, replaces?: string | null }} [info]
 */
export function touchConversation(key, info = {}) {
  const list = loadList();
  const index = list.findIndex((c) => c.id === key.id || (info.replaces && c.id === info.replaces));
  const existing = index >= 0 ? list.splice(index, 1)[0] : null;
  const keepTitle = existing && existing.id === key.id;
  const entry = {
    id: key.id,
    token: key.token,
    title: (keepTitle && existing.title) || (info.question ? titleFrom(info.question) : null),
    named: Boolean(keepTitle && existing.named),
    updatedAt: new Date().toISOString(),
  };
  saveList([entry, ...list]);
  return entry;
}

/** Sets the title when the conversation has none yet (restored after a reload, before any title). */
export function ensureTitle(id, question) {
  const list = loadList();
  const entry = list.find((c) => c.id === id);
  if (!entry || entry.title) return;
  entry.title = titleFrom(question);
  saveList(list);
}

export function renameConversation(id, title) {
  const list = loadList();
  const entry = list.find((c) => c.id === id);
  if (!entry) return;
  const trimmed = title.trim();
  entry.title = trimmed ? titleFrom(trimmed) : entry.title;
  entry.named = Boolean(trimmed);
  saveList(list);
}

export function forgetConversation(id) {
  saveList(loadList().filter((c) => c.id !== id));
}

function displayTitle(entry) {
  return entry.title || t('conversationUntitled');
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/**
 * Draws the list into `container` (a <details>): each conversation as a button that opens it, with Rename
 * (an inline field, Enter saves, Escape cancels) and Delete.
 * @param {HTMLDetailsElement} container
 * @param {{ currentId: string | null, onOpen: Function, onDelete: Function, busy: boolean }} options
 */
export function renderList(container, options) {
  const list = loadList();
  const summary = h('summary', {
    text: list.length ? t('conversationsCount', { n: list.length }) : t('conversationsTitle'),
  });
  const items = list.map((entry) => listItem(container, entry, options));
  container.replaceChildren(
    summary,
    h('p', { class: 'hint', text: list.length ? t('conversationsHint') : t('conversationsEmpty') }),
    list.length ? h('ul', { class: 'conversation-items' }, ...items) : null,
  );
  container.hidden = false;
}

function listItem(container, entry, options) {
  const title = displayTitle(entry);
  const current = entry.id === options.currentId;
  const open = h(
    'button',
    {
      type: 'button',
      class: 'conversation-open',
      'aria-current': current ? 'true' : null,
      'aria-label': t('openConversationLabel', { title }),
      disabled: options.busy,
      on: { click: () => options.onOpen(entry) },
    },
    h('span', { class: 'conversation-title', lang: HAN_ONLY.test(title) ? 'zh-CN' : null, text: title }),
    h('span', {
      class: 'conversation-when',
      text: [current ? t('conversationCurrent') : null, when(entry.updatedAt)].filter(Boolean).join(' · '),
    }),
  );
  const item = h('li', { class: 'conversation-item', 'data-conversation-id': entry.id });
  const rename = h('button', {
    type: 'button',
    class: 'secondary small',
    text: t('renameConversation'),
    'aria-label': t('renameConversationLabel', { title }),
    on: { click: () => startRename(container, item, entry, options) },
  });
  const remove = h('button', {
    type: 'button',
    class: 'secondary small danger',
    text: t('deleteListed'),
    'aria-label': t('deleteListedLabel', { title }),
    disabled: options.busy && current,
    on: { click: () => options.onDelete(entry) },
  });
  item.append(open, h('span', { class: 'conversation-tools' }, rename, remove));
  return item;
}

function startRename(container, item, entry, options) {
  const field = h('input', {
    type: 'text',
    class: 'rename-field',
    maxlength: String(TITLE_LENGTH),
    'aria-label': t('renameField'),
  });
  field.value = entry.title ?? '';
  const done = (save) => {
    if (save) renameConversation(entry.id, field.value);
    renderList(container, options);
    container.querySelector(`[data-conversation-id="${CSS.escape(entry.id)}"] .conversation-open`)?.focus();
  };
  const form = h(
    'form',
    {
      class: 'rename-form',
      on: {
        submit: (event) => {
          event.preventDefault();
          done(true);
        },
      },
    },
    field,
    h('button', { type: 'submit', class: 'small', text: t('renameSave') }),
    h('button', {
      type: 'button',
      class: 'secondary small',
      text: t('renameCancel'),
      on: { click: () => done(false) },
    }),
  );
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      // The page's Escape closes the document panel; here it only cancels the rename.
      event.stopPropagation();
      done(false);
    }
  });
  item.replaceChildren(form);
  field.focus();
  field.select();
}
