/**
 * The page's own conversation: its id and token, kept together in localStorage so it survives a reload, and
 * the calls that need the token (reading it back, deleting it). The token is what proves the conversation is
 * ours; it goes in the X-Conversation-Token header and is never put in a URL or a permalink.
 */
import { ApiError } from './api.js';

const STORAGE_KEY = 'zhengce.conversation';
/** Before conversation tokens the page kept only the id; without its token it opens nothing, so it goes. */
const LEGACY_KEY = 'zhengce.conversationId';
const TOKEN_HEADER = 'X-Conversation-Token';

/** @typedef {{ id: string, token: string }} ConversationKey */

/** @returns {ConversationKey | null} */
export function loadConversation() {
  try {
    localStorage.removeItem(LEGACY_KEY);
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof stored?.id === 'string' && typeof stored?.token === 'string') {
      return { id: stored.id, token: stored.token };
    }
  } catch {
    // Storage disabled or a value we did not write: start without a conversation.
  }
  return null;
}

/** @param {ConversationKey | null} key */
export function saveConversation(key) {
  try {
    if (key) localStorage.setItem(STORAGE_KEY, JSON.stringify({ id: key.id, token: key.token }));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Without storage the conversation lasts until reload.
  }
}

async function request(method, path, key) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Accept: 'application/json', [TOKEN_HEADER]: key.token },
    });
  } catch (err) {
    throw new ApiError('network_error', String(err), 0);
  }
  if (response.status === 204) return null;
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = body?.error;
  throw new ApiError(
    error?.code ?? 'http_error',
    error?.message ?? `HTTP ${response.status}`,
    response.status,
  );
}

function conversationPath(key) {
  return `/api/conversations/${encodeURIComponent(key.id)}`;
}

/**
 * The newest turns of the conversation, oldest first (GET /api/conversations/:id).
 * @param {ConversationKey} key
 * @param {number} limit
 */
export function fetchConversation(key, limit) {
  return request('GET', `${conversationPath(key)}?limit=${limit}`, key);
}

/**
 * Deletes the conversation and all its answers on the server (their permalinks stop working).
 * @param {ConversationKey} key
 */
export async function deleteConversation(key) {
  await request('DELETE', conversationPath(key), key);
}
