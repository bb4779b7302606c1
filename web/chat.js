/**
 * The chat view: example questions, the conversation (kept across reloads through its id and token in
 * localStorage, conversation.js), streamed answers whose [n] markers open the cited clause, copy and
 * permalink per answer, deleting the conversation. A permalink shows one answer only, and asking from it
 * starts a conversation of the viewer's own.
 */
import { getJson } from './api.js';
import { ask } from './ask-stream.js';
import { deleteConversation, fetchConversation, loadConversation, saveConversation } from './conversation.js';
import { clauseLabel, openDocument } from './doc-panel.js';
import { append, byId, clear, h } from './dom.js';
import { errorMessage, onLangChange, t } from './i18n.js';

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

/** Finished turns, oldest first: { question, result } where result carries answerId. */
let turns = [];
/** Rendered <li> per finished turn, so a language switch can redraw them. */
const turnNodes = new Map();
let busy = false;
/** This page's conversation ({ id, token }) or null before the first answer. */
let conversation = loadConversation();

function setConversation(key) {
  conversation = key;
  saveConversation(key);
  deleteButton.hidden = !key;
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

/** The answer text with each [n] that has a citation turned into a button that opens the clause. */
function answerNodes(text, citations) {
  const byN = new Map(citations.map((c) => [c.n, c]));
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const citation = byN.get(Number(match[1]));
    if (!citation) continue;
    nodes.push(text.slice(last, match.index));
    nodes.push(
      h('button', {
        type: 'button',
        class: 'cite',
        'data-n': citation.n,
        'aria-label': t('citeLabel', { n: citation.n, title: citation.title, clause: clauseLabel(citation) }),
        text: `[${citation.n}]`,
        on: { click: citationOpener(citation) },
      }),
    );
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
          h('p', { class: 'cite-title', text: c.title }),
          h('p', {
            class: 'cite-meta',
            text: [c.docNumber, c.region || t('placeUnknown'), clauseLabel(c)].filter(Boolean).join(' · '),
          }),
          h('blockquote', { class: 'cite-text', text: c.text }),
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
          h('blockquote', { class: 'cite-text', text: r.text }),
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

/** Fills an assistant bubble with a finished answer. */
function fillAnswer(bubble, question, result) {
  clear(bubble);
  const notFound = result.status === 'not_found';
  const answer = h(
    'div',
    { class: 'answer', 'aria-live': 'polite' },
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
  );
  append(
    bubble,
    h('p', { class: 'speaker', text: t('assistant') }),
    notFound ? h('p', { class: 'not-found', text: t('notFound') }) : null,
    answer,
    citationList(result.citations),
    notFound ? relatedList(result.related ?? []) : null,
    actions,
  );
  bubble.dataset.status = result.status;
}

function userBubble(question) {
  return h(
    'div',
    { class: 'msg user' },
    h('p', { class: 'speaker', text: t('you') }),
    h('p', { class: 'msg-text', text: question }),
  );
}

function renderTurn(turn) {
  const bubble = h('div', { class: 'msg assistant' });
  fillAnswer(bubble, turn.question, turn.result);
  return h(
    'li',
    { class: 'turn', 'data-answer-id': turn.result.answerId },
    userBubble(turn.question),
    bubble,
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
}

function historyForFollowUp() {
  return turns
    .flatMap((turn) => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.result.answer },
    ])
    .slice(-HISTORY_TURNS);
}

async function send(question) {
  const text = question.trim();
  if (!text || busy) return;
  busy = true;
  sendButton.disabled = true;
  // Deleting while an answer is on its way would have it start a new conversation nobody asked for.
  deleteButton.disabled = true;
  updateExamples();
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
    ? { conversationId: conversation.id, conversationToken: conversation.token }
    : {};
  try {
    const result = await ask(
      { question: text, history: historyForFollowUp(), ...continued },
      {
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
    setConversation({ id: result.conversationId, token: result.conversationToken });
  } catch (err) {
    pendingNode.classList.remove('pending');
    answer.setAttribute('aria-busy', 'false');
    status.textContent = t('error', { message: errorMessage(err) });
    status.classList.add('error');
  } finally {
    busy = false;
    sendButton.disabled = false;
    deleteButton.disabled = false;
    updateExamples();
  }
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
  for (const [turn, node] of turnNodes) {
    const fresh = renderTurn(turn);
    node.replaceWith(fresh);
    turnNodes.set(turn, fresh);
  }
}

export function startNewConversation() {
  turns = [];
  turnNodes.clear();
  clear(messages);
  setConversation(null);
  updateExamples();
  input.focus();
}

/** Deletes this conversation and its answers on the server, after asking, then starts afresh. */
async function deleteCurrentConversation() {
  if (!conversation || busy) return;
  if (!window.confirm(t('deleteConfirm'))) return;
  try {
    await deleteConversation(conversation);
  } catch (err) {
    // Already gone (deleted in another tab, or removed by retention): the result the user wanted.
    if (err.code !== 'not_found' && err.code !== 'invalid_id') {
      showToast(t('deleteFailed', { message: errorMessage(err) }));
      return;
    }
  }
  startNewConversation();
  showToast(t('conversationDeleted'));
}

/** Shows the stored conversation again after a reload. */
export async function restoreConversation() {
  const key = conversation;
  if (!key) return;
  let page;
  try {
    page = await fetchConversation(key, RESTORED_TURNS);
  } catch (err) {
    if (err.code === 'not_found' || err.code === 'invalid_id') setConversation(null);
    return;
  }
  // A question sent before this arrived has moved on (or replaced) the conversation; keep what is shown.
  if (conversation !== key || turns.length > 0) return;
  for (const stored of page.turns) {
    const result = { ...stored.result, answerId: stored.answerId };
    messages.append(addTurn({ question: stored.question, result }));
  }
  updateExamples();
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
      h('ol', { class: 'messages' }, renderTurn({ question: stored.question, result })),
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
  onLangChange(() => {
    rerenderTurns();
    if (!permalinkView.hidden) {
      const id = decodeURIComponent(location.hash.replace(/^#\/answer\//, ''));
      if (id) showPermalink(id);
    }
  });
}
