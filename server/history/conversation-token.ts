/**
 * Conversation capability tokens. A conversation id travels where a secret should not (it used to be in
 * every permalink; it shows up in logs and screenshots), so knowing it must not be enough to read, continue
 * or delete the conversation: that takes the token, which only the client that started the conversation
 * gets. Only the token's SHA-256 is stored, so a copy of the database does not open the conversations in it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits): beyond guessing, and base64url is 43 URL- and header-safe characters. */
export const CONVERSATION_TOKEN_BYTES = 32;

export function newConversationToken(): string {
  return randomBytes(CONVERSATION_TOKEN_BYTES).toString('base64url');
}

export function hashConversationToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Whether `token` is the one whose hash is stored. The presented token is hashed even when there is no
 * stored hash (unknown conversation, or one from before tokens existed) and compared in constant time, so
 * neither the answer nor its timing tells a wrong token from an unknown conversation.
 */
export function tokenMatches(token: string | undefined, storedHash: Buffer | null | undefined): boolean {
  const presented = hashConversationToken(token ?? '');
  const expected = storedHash && storedHash.length === presented.length ? storedHash : presented;
  const equal = timingSafeEqual(presented, expected);
  return equal && expected !== presented && token !== undefined;
}
