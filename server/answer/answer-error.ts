/**
 * The answerer's refusal of a question it cannot take (empty, too long). Kept apart from
 * answer-question.ts so that the HTTP error mapping can recognise it without loading the answerer.
 */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
  constructor(
    readonly code: 'question_empty' | 'question_too_long',
    message: string,
  ) {
    super(message);
  }
}

/** Length as a reader counts characters: code points, so an emoji or a CJK Extension B character is one. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
