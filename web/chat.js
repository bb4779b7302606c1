/**
 * The chat view: example questions, the conversation (kept across reloads through its id and token in
 * localStorage, conversation.js) and the list of this browser's conversations (conversation-list.js),
 * streamed answers whose [n] markers preview the cited clause and open it (citation-preview.js), Stop while
 * an answer streams, Try again after a failure, Edit and resend for the last question, 👍/👎 per answer
 * (feedback.js), suggested follow-ups (follow-ups.js), copy and permalink per answer, export as Markdown,
 * "Search in" to limit questions to documents or places (scope-picker.js), deleting a conversation. A
 * permalink shows one answer only, and asking from it starts a conversation of the viewer's own.
 */
import './chat-strings.js';
import { CANCELLED, getJson, listDocuments } from './api.js';
import { ask } from './ask-stream.js';
import { attachPreview, hidePreview } from './citation-preview.js';
import { deleteConversation, fetchConversation, loadConversation, saveConversation } from './conversation.js';
import { conversationMarkdown, downloadMarkdown } from './conversation-export.js';
import {
  ensureTitle,
  forgetConversation,
  loadList,
  renderList,
  touchConversation,
} from './conversation-list.js';
import { clauseLabel, openDocument } from './doc-panel.js';
import { append, byId, clear, h } from './dom.js';
import { feedbackControls } from './feedback.js';
import { suggestFollowUps } from './follow-ups.js';
import { errorMessage, onLangChange, t } from './i18n.js';
import { currentScope, initScopePicker } from './scope-picker.js';
import { langOf } from './text-lang.js';

/** Turns sent with a follow-up; the server keeps at most this many too. */
const HISTORY_TURNS = 20;
/** Turns shown again after a reload: the server's default page, the newest ones. */
const RESTORED_TURNS = 50;

/** Questions the seed documents answer, in both languages. */
const EXAMPLES = [
  '嘉兴2027年家庭医生签约覆盖率目标是多少?',
  "What is Jiaxing's 2027 family-doctor target?",
  '西宁市2024年全人群家庭医生签约服务覆盖率目标是多少?',
  '新建区2025年每千人口托位数目标是多少?',
  'How many licensed doctors per 1,000 people does Xining aim for by 2025?',
];

const messages = byId('messages');
const form = byId('ask-form');
const input = byId('question');
const sendButton = byId('send');
const examples = byId('examples');
const permalinkView = byId('permalink-view');
const deleteButton = byId('delete-conversation');
const toast = byId('toast');
/** Built here rather than in index.html: the chat's tools live with the chat. */
const stopButton = h('button', { type: 'button', id: 'stop', class: 'stop', hidden: true });
const exportButton = h('button', {
  type: 'button',
  id: 'export-conversation',
  class: 'secondary',
  hidden: true,
});
const conversationList = h('details', { id: 'conversation-list', class: 'conversation-list' });
const editNote = h('p', { id: 'edit-note', class: 'edit-note', hidden: true });

/** Finished turns, oldest first: { question, result } where result carries answerId. */
let turns = [];
/** Rendered <li> per finished turn, so a language switch can redraw them. */
const turnNodes = new Map();
let busy = false;
/** Aborts the answer on its way (Stop). */
let controller = null;
/** The finished turn being edited (Edit and resend), or null. */
let editing = null;
/** This page's conversation ({ id, token }) or null before the first answer. */
let conversation = loadConversation();
// A conversation from before the list existed joins it, so it can be found again after New conversation.
if (conversation && !loadList().some((c) => c.id === conversation.id)) touchConversation(conversation);

function setConversation(key) {
  conversation = key;
  saveConversation(key);
  deleteButton.hidden = !key;
  refreshList();
}

function refreshList() {
  renderList(conversationList, {
    currentId: conversation?.id ?? null,
    busy,
    onOpen: (entry) => openConversation(entry),
    onDelete: (entry) => deleteListedConversation(entry),
  });
  exportButton.hidden = turns.length === 0;
}

function showToast(text) {
  toast.textContent = text;
  toast.classList.add('visible');
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => toast.classList.remove('visible'), 4000);
}

function citationOpener(citation) {
  return (event) =>
    openDocument(
      { docId: citation.docId, start: citation.start, end: citation.end, clause: clauseLabel(citation) },
      event.currentTarget,
    );
}

function openCitation(citation, trigger) {
  openDocument(
    { docId: citation.docId, start: citation.start, end: citation.end, clause: clauseLabel(citation) },
    trigger,
  );
}

/** The answer text with each [n] that has a citation turned into a button that opens the clause. */
function answerNodes(text, citations) {
  const byN = new Map(citations.map((c) => [c.n, c]));
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const citation = byN.get(Number(match[1]));
    if (!citation) continue;
    nodes.push(text.slice(last, match.index));
    const marker = h('button', {
      type: 'button',
      class: 'cite',
      'data-n': citation.n,
      'aria-label': t('citeLabel', { n: citation.n, title: citation.title, clause: clauseLabel(citation) }),
      text: `[${citation.n}]`,
    });
    attachPreview(marker, citation, clauseLabel(citation), (_event, trigger) =>
      openCitation(citation, trigger),
    );
    nodes.push(marker);
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

function citationList(citations) {
  if (citations.length === 0) return null;
  return h(
    'section',
    { class: 'sources' },
    h('h3', { text: t('sourcesTitle') }),
    h(
      'ol',
      { class: 'citations' },
      ...citations.map((c) =>
        h(
          'li',
          { class: 'citation', 'data-n': c.n },
          h('button', {
            type: 'button',
            class: 'cite-open',
            text: `[${c.n}] ${t('openClause')}`,
            on: { click: citationOpener(c) },
          }),
          h('p', { class: 'cite-title', lang: langOf(c.title), text: c.title }),
          h('p', {
            class: 'cite-meta',
            text: [c.docNumber, c.region || t('placeUnknown'), clauseLabel(c)].filter(Boolean).join(' · '),
          }),
          h('blockquote', { class: 'cite-text', lang: 'zh-CN', text: c.text }),
        ),
      ),
    ),
  );
}

function relatedList(related) {
  if (related.length === 0) return null;
  return h(
    'section',
    { class: 'related' },
    h('h3', { text: t('relatedTitle') }),
    h(
      'ul',
      {},
      ...related.map((r) =>
        h(
          'li',
          {},
          h('button', {
            type: 'button',
            class: 'cite-open',
            text: t('openClause'),
            on: {
              click: (event) =>
                openDocument(
                  { docId: r.docId, chunkId: r.chunkId, clause: r.headingPath.join(' › ') },
                  event.currentTarget,
                ),
            },
          }),
          h('p', {
            class: 'cite-meta',
            text: [r.title, r.region || t('placeUnknown'), r.headingPath.join(' › ')]
              .filter(Boolean)
              .join(' · '),
          }),
          h('blockquote', { class: 'cite-text', lang: 'zh-CN', text: r.text }),
        ),
      ),
    ),
  );
}

function permalinkHref(answerId) {
  return `#/answer/${encodeURIComponent(answerId)}`;
}

/** Plain text of an answer with its sources, for pasting into a report or a message. */
function copyText(question, result) {
  const sources = result.citations.map(
    (c) =>
      `[${c.n}] ${[c.title, c.docNumber, c.region || t('placeUnknown'), clauseLabel(c)].filter(Boolean).join(' · ')}\n${c.text}`,
  );
  const link = new URL(permalinkHref(result.answerId), location.href).href;
  return [question, result.answer, ...sources, link].join('\n\n');
}

async function copyAnswer(question, result, container) {
  const text = copyText(question, result);
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    showToast(t('copied'));
  } catch {
    // Clipboard access needs a secure context (https or localhost); offer the text to copy by hand.
    container.querySelector('.copy-fallback')?.remove();
    const area = h('textarea', { class: 'copy-fallback', readonly: true, rows: 6, 'aria-label': t('copy') });
    area.value = text;
    container.append(area);
    area.focus();
    area.select();
    showToast(t('copyFallback'));
  }
}

/** Fills an assistant bubble with a finished answer; `turn` (when it is the page's own) gets 👍/👎. */
function fillAnswer(bubble, question, result, turn) {
  clear(bubble);
  const notFound = result.status === 'not_found';
  const answer = h(
    'div',
    { class: 'answer', 'aria-live': 'polite', lang: result.query?.lang === 'zh' ? 'zh-CN' : null },
    ...answerNodes(result.answer, result.citations),
  );
  const actions = h(
    'div',
    { class: 'actions' },
    h('button', {
      type: 'button',
      class: 'secondary copy',
      text: t('copy'),
      on: { click: () => copyAnswer(question, result, actions) },
    }),
    h('a', { class: 'permalink', href: permalinkHref(result.answerId), text: t('permalink') }),
    result.answerId
      ? feedbackControls(result.answerId, turn?.feedback, (feedback) => {
          if (turn) turn.feedback = feedback;
        })
      : null,
  );
  const scope = result.query?.scope;
  append(
    bubble,
    h('p', { class: 'speaker', text: t('assistant') }),
    scope ? h('p', { class: 'scope-used hint', text: t('scopeUsed', { list: scopeNames(scope) }) }) : null,
    notFound ? h('p', { class: 'not-found', text: t('notFound') }) : null,
    answer,
    citationList(result.citations),
    notFound ? relatedList(result.related ?? []) : null,
    actions,
  );
  bubble.dataset.status = result.status;
}

/** Document titles and place names of a scope, for the line above a scoped answer. */
let scopeTitles = new Map();
function scopeNames(scope) {
  return [...(scope.regions ?? []), ...(scope.docIds ?? []).map((id) => scopeTitles.get(id) ?? id)].join(
    '、',
  );
}

function userBubble(question, turn) {
  // Only the last finished turn can be edited (CSS shows the button on the last turn only).
  const edit = turn
    ? h('button', {
        type: 'button',
        class: 'secondary small edit-last',
        text: t('editLast'),
        'aria-label': t('editLastLabel'),
        on: { click: () => startEditing(turn) },
      })
    : null;
  return h(
    'div',
    { class: 'msg user' },
    h('p', { class: 'speaker', text: t('you') }),
    h('p', { class: 'msg-text', lang: langOf(question), text: question }),
    edit,
  );
}

function renderTurn(turn, own = true) {
  const bubble = h('div', { class: 'msg assistant' });
  fillAnswer(bubble, turn.question, turn.result, own ? turn : null);
  return h(
    'li',
    { class: 'turn', 'data-answer-id': turn.result.answerId },
    userBubble(turn.question, own ? turn : null),
    bubble,
  );
}

/** Follow-ups under the newest answer only: older ones would suggest from a frame the talk has left. */
async function showFollowUps(turn) {
  for (const old of messages.querySelectorAll('.follow-ups')) old.remove();
  let questions;
  try {
    questions = await suggestFollowUps(turn.result);
  } catch {
    return;
  }
  const node = turnNodes.get(turn);
  if (!questions.length || !node?.isConnected || turns.at(-1) !== turn || busy) return;
  node.querySelector('.follow-ups')?.remove();
  node.querySelector('.msg.assistant')?.append(
    h(
      'section',
      { class: 'follow-ups' },
      h('h3', { text: t('followUpsTitle') }),
      h(
        'ul',
        {},
        ...questions.map((question) =>
          h(
            'li',
            {},
            h('button', {
              type: 'button',
              class: 'follow-up',
              lang: langOf(question),
              text: question,
              on: { click: () => send(question) },
            }),
          ),
        ),
      ),
    ),
  );
}

function addTurn(turn) {
  turns.push(turn);
  const node = renderTurn(turn);
  turnNodes.set(turn, node);
  return node;
}

function updateExamples() {
  examples.hidden = turns.length > 0 || busy;
  exportButton.hidden = turns.length === 0;
}

function setBusy(value) {
  busy = value;
  sendButton.hidden = value;
  stopButton.hidden = !value;
  // Deleting while an answer is on its way would have it start a new conversation nobody asked for.
  deleteButton.disabled = value;
  updateExamples();
  refreshList();
}

function startEditing(turn) {
  if (busy) return;
  editing = turn;
  input.value = turn.question;
  editNote.hidden = false;
  editNote.replaceChildren(
    h('span', { text: t('editing') }),
    ' ',
    h('button', {
      type: 'button',
      class: 'secondary small',
      text: t('cancelEdit'),
      on: { click: stopEditing },
    }),
  );
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

function stopEditing() {
  editing = null;
  editNote.hidden = true;
  editNote.replaceChildren();
}

/** Takes a finished turn out of the page and the history sent with the next question. */
function dropTurn(turn) {
  turnNodes.get(turn)?.remove();
  turnNodes.delete(turn);
  turns = turns.filter((other) => other !== turn);
}

function historyForFollowUp() {
  return turns
    .flatMap((turn) => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.result.answer },
    ])
    .slice(-HISTORY_TURNS);
}

/**
 * Asks a question and shows its answer. `replaces` (Edit and resend, kept for Try again): the answerId of
 * the turn this question takes the place of; the server deletes that turn when it stores the new answer,
 * so a reload shows the new turn only.
 */
async function send(question, { replaces = null } = {}) {
  const text = question.trim();
  if (!text || busy) return;
  // Edit and resend: the edited turn gives way to the new one, in the page now and on the server with
  // the answer (replacesAnswerId).
  let replacesAnswerId = replaces;
  if (editing) {
    if (turns.at(-1) === editing) {
      replacesAnswerId = editing.result.answerId ?? null;
      dropTurn(editing);
    }
    stopEditing();
  }
  hidePreview();
  controller = new AbortController();
  setBusy(true);
  input.value = '';

  const answer = h('div', { class: 'answer streaming', 'aria-live': 'polite', 'aria-busy': 'true' });
  const status = h('p', { class: 'status', role: 'status', text: t('searching') });
  const bubble = h(
    'div',
    { class: 'msg assistant' },
    h('p', { class: 'speaker', text: t('assistant') }),
    status,
    answer,
  );
  const pendingNode = h('li', { class: 'turn pending' }, userBubble(text), bubble);
  messages.append(pendingNode);
  pendingNode.scrollIntoView({ block: 'end' });

  let streamed = '';
  const continued = conversation
    ? {
        conversationId: conversation.id,
        conversationToken: conversation.token,
        ...(replacesAnswerId ? { replacesAnswerId } : {}),
      }
    : {};
  const scope = currentScope();
  const asked = conversation;
  try {
    const result = await ask(
      { question: text, history: historyForFollowUp(), ...continued, ...(scope ? { scope } : {}) },
      {
        signal: controller.signal,
        onRetrieval: (retrieved) => {
          status.textContent = t('writing', { n: retrieved.length });
        },
        onToken: (token) => {
          streamed += token;
          answer.textContent = streamed;
        },
        onCitations: (citations) => {
          clear(answer);
          append(answer, ...answerNodes(streamed, citations));
        },
        onTransport: (transport, info) => {
          if (transport === 'http' && info?.restart) {
            streamed = '';
            answer.textContent = '';
            status.textContent = t('fallbackNote');
          }
        },
      },
    );
    const turn = { question: text, result };
    const node = addTurn(turn);
    pendingNode.replaceWith(node);
    // A new id and token when the server started a new conversation (e.g. this one was deleted meanwhile).
    const key = { id: result.conversationId, token: result.conversationToken };
    touchConversation(key, { question: text, replaces: asked && asked.id !== key.id ? asked.id : null });
    setConversation(key);
    showFollowUps(turn);
  } catch (err) {
    pendingNode.classList.remove('pending');
    pendingNode.classList.add('failed');
    answer.setAttribute('aria-busy', 'false');
    answer.classList.remove('streaming');
    const stopped = err.code === CANCELLED;
    status.textContent = stopped ? t('stopped') : t('error', { message: errorMessage(err) });
    status.classList.toggle('error', !stopped);
    // The question is not lost: it is back in the box (unless something new was typed) and one click away.
    if (!input.value.trim()) input.value = text;
    bubble.append(
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          class: 'secondary retry',
          text: t('retry'),
          on: {
            click: () => {
              if (busy) return;
              pendingNode.remove();
              if (input.value.trim() === text) input.value = '';
              send(text, { replaces: replacesAnswerId });
            },
          },
        }),
      ),
    );
    if (stopped) input.focus();
  } finally {
    controller = null;
    setBusy(false);
  }
}

function stopAnswer() {
  controller?.abort();
}

function renderExamples() {
  const list = byId('example-list');
  clear(list);
  for (const question of EXAMPLES) {
    list.append(
      h(
        'li',
        {},
        h('button', {
          type: 'button',
          class: 'example',
          lang: /[\u4e00-\u9fff]/.test(question) ? 'zh-CN' : 'en',
          text: question,
          on: {
            click: () => {
              send(question);
              input.focus();
            },
          },
        }),
      ),
    );
  }
}

function rerenderTurns() {
  hidePreview();
  for (const [turn, node] of turnNodes) {
    const fresh = renderTurn(turn);
    node.replaceWith(fresh);
    turnNodes.set(turn, fresh);
  }
  const last = turns.at(-1);
  if (last && !busy) showFollowUps(last);
}

function clearView() {
  hidePreview();
  stopEditing();
  turns = [];
  turnNodes.clear();
  clear(messages);
}

/** New conversation: the current one stays in the list, to come back to. */
export function startNewConversation() {
  if (busy) stopAnswer();
  clearView();
  setConversation(null);
  updateExamples();
  input.focus();
}

/** Opens a conversation from the list in place of the current one. */
async function openConversation(entry) {
  if (busy || entry.id === conversation?.id) return;
  clearView();
  setConversation({ id: entry.id, token: entry.token });
  touchConversation(entry);
  refreshList();
  await restoreConversation();
  input.focus();
}

/** Deletes a conversation and its answers on the server, after asking; the current one starts afresh. */
async function deleteListedConversation(entry, question) {
  const current = entry.id === conversation?.id;
  if (current && busy) return;
  const title = entry.title || t('conversationUntitled');
  if (!window.confirm(question ?? t('deleteNamedConfirm', { title }))) return;
  try {
    await deleteConversation(entry);
  } catch (err) {
    // Already gone (deleted in another tab, or removed by retention): the result the user wanted.
    if (err.code !== 'not_found' && err.code !== 'invalid_id') {
      showToast(t('deleteFailed', { message: errorMessage(err) }));
      return;
    }
  }
  forgetConversation(entry.id);
  if (current) startNewConversation();
  else refreshList();
  showToast(t('conversationDeleted'));
}

async function deleteCurrentConversation() {
  if (!conversation || busy) return;
  const entry = loadList().find((c) => c.id === conversation.id) ?? { ...conversation, title: null };
  await deleteListedConversation(entry, t('deleteConfirm'));
}

function exportConversation() {
  if (turns.length === 0) return;
  const entry = loadList().find((c) => c.id === conversation?.id);
  const title = entry?.title ?? turns[0].question;
  const markdown = conversationMarkdown(turns, { title, baseUrl: location.href });
  const stamp = new Date().toISOString().slice(0, 10);
  downloadMarkdown(markdown, `zhengce-conversation-${stamp}.md`);
}

/** Shows the stored conversation again after a reload, or when opened from the list. */
export async function restoreConversation() {
  const key = conversation;
  if (!key) return;
  let page;
  try {
    page = await fetchConversation(key, RESTORED_TURNS);
  } catch (err) {
    if ((err.code === 'not_found' || err.code === 'invalid_id') && conversation === key) {
      // Deleted elsewhere or removed by retention: it cannot be opened any more.
      forgetConversation(key.id);
      setConversation(null);
      showToast(t('conversationGone'));
    }
    return;
  }
  // A question sent before this arrived has moved on (or replaced) the conversation; keep what is shown.
  if (conversation !== key || turns.length > 0) return;
  for (const stored of page.turns) {
    const result = { ...stored.result, answerId: stored.answerId };
    messages.append(addTurn({ question: stored.question, result, feedback: stored.feedback ?? null }));
  }
  if (page.turns[0]) ensureTitle(key.id, page.turns[0].question);
  refreshList();
  updateExamples();
  const last = turns.at(-1);
  if (last) showFollowUps(last);
}

/**
 * The permalink view: one stored answer, read-only, and nothing of the conversation it came from (the
 * server sends none). The question box stays: what is asked here starts a new conversation (see send).
 */
export async function showPermalink(answerId) {
  clear(permalinkView);
  permalinkView.hidden = false;
  messages.hidden = true;
  examples.hidden = true;
  const heading = h('h2', { tabindex: '-1', text: t('sharedAnswer') });
  const back = h('a', { href: '#/chat', class: 'button-link', text: t('backToChat') });
  permalinkView.append(heading, h('p', { class: 'status', text: t('loading') }));
  try {
    const stored = await getJson(`/api/answers/${encodeURIComponent(answerId)}`);
    const result = { ...stored.result, answerId: stored.answerId };
    clear(permalinkView);
    permalinkView.append(
      heading,
      h('ol', { class: 'messages' }, renderTurn({ question: stored.question, result }, false)),
      h('p', { class: 'hint permalink-hint', text: t('permalinkAskHint') }),
      back,
    );
  } catch (err) {
    clear(permalinkView);
    permalinkView.append(
      heading,
      h('p', { class: 'status error', text: t('loadFailed', { message: errorMessage(err) }) }),
      back,
    );
  }
  heading.focus();
}

export function hidePermalink() {
  permalinkView.hidden = true;
  clear(permalinkView);
  messages.hidden = false;
  updateExamples();
}

/** A question asked while a permalink is shown: a new conversation of the viewer's own, in the chat. */
function askFromPermalink(question) {
  if (!question.trim() || busy) return;
  startNewConversation();
  location.hash = '#/chat';
  hidePermalink();
  send(question);
}

function submit(question) {
  if (permalinkView.hidden) send(question);
  else askFromPermalink(question);
}

export function focusQuestion() {
  input.focus();
}

/** Strings of the elements this module builds (index.html's own are filled by applyStaticStrings). */
function applyChatStrings() {
  stopButton.textContent = t('stop');
  exportButton.textContent = t('exportMarkdown');
}

/** Titles for the "Searched in" line of scoped answers. */
function listDocumentsForScope() {
  listDocuments()
    .then((documents) => {
      scopeTitles = new Map(documents.map((d) => [d.docId, d.title]));
    })
    .catch(() => {});
}

export function initChat() {
  renderExamples();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(input.value);
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter adds a line; Enter while composing Chinese (IME) confirms the characters.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit(input.value);
    }
  });
  byId('new-conversation').addEventListener('click', startNewConversation);
  deleteButton.addEventListener('click', deleteCurrentConversation);
  deleteButton.hidden = !conversation;
  stopButton.addEventListener('click', stopAnswer);
  exportButton.addEventListener('click', exportConversation);
  sendButton.after(stopButton);
  deleteButton.after(exportButton);
  byId('chat-title').closest('.view-head').after(conversationList);
  form.prepend(editNote);
  initScopePicker(form, form.querySelector('.ask-row'));
  listDocumentsForScope();
  applyChatStrings();
  refreshList();
  onLangChange(() => {
    applyChatStrings();
    refreshList();
    if (!editNote.hidden && editing) startEditing(editing);
    rerenderTurns();
    if (!permalinkView.hidden) {
      const id = decodeURIComponent(location.hash.replace(/^#\/answer\//, ''));
      if (id) showPermalink(id);
    }
  });
}
