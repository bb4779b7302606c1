/**
 * 👍/👎 under an answer, with an optional note after 👎 (or 👍), sent to
 * POST /api/answers/:answerId/feedback and stored with the answer. The chosen rating shows as pressed
 * (aria-pressed), and comes back with the conversation after a reload. Evaluators export the 👎 answers
 * with their notes as regression items (npm run feedback-export).
 */
import { postJson } from './api.js';
import { h } from './dom.js';
import { errorMessage, t } from './i18n.js';

/** As MAX_FEEDBACK_NOTE_LENGTH on the server (server/http/routes/feedback.ts). */
const NOTE_MAX = 1000;

function send(answerId, rating, note) {
  return postJson(`/api/answers/${encodeURIComponent(answerId)}/feedback`, {
    rating,
    ...(note ? { note } : {}),
  });
}

/**
 * @param {string} answerId
 * @param {{ rating: 'up'|'down', note: string | null } | null | undefined} given feedback already stored
 * @param {(feedback: object) => void} onSaved keeps the turn's copy current, for redraws
 */
export function feedbackControls(answerId, given, onSaved) {
  let current = given ?? null;
  const status = h('p', { class: 'feedback-status', role: 'status' });
  const noteField = h('textarea', { class: 'feedback-note', rows: 2, maxlength: String(NOTE_MAX) });
  noteField.value = current?.note ?? '';
  const noteForm = h(
    'form',
    {
      class: 'feedback-form',
      // The note is asked for after 👎 (what was wrong); a 👍 needs none, but one given is kept.
      hidden: !(current?.rating === 'down' || current?.note),
      on: {
        submit: (event) => {
          event.preventDefault();
          if (current) rate(current.rating, noteField.value.trim());
        },
      },
    },
    h('label', {}, h('span', { text: t('feedbackNoteLabel') }), noteField),
    h('button', { type: 'submit', class: 'secondary small', text: t('feedbackNoteSend') }),
  );

  // The word is shown with the emoji: without an emoji font (some Linux desktops) the emoji is a box.
  const button = (rating, emoji, label) =>
    h(
      'button',
      {
        type: 'button',
        class: `rate rate-${rating}`,
        'data-rating': rating,
        'aria-pressed': String(current?.rating === rating),
        on: {
          click: () =>
            rate(rating, rating === current?.rating ? noteField.value.trim() : (current?.note ?? '')),
        },
      },
      h('span', { class: 'rate-emoji', 'aria-hidden': 'true', text: emoji }),
      h('span', { text: label }),
    );
  const up = button('up', '👍', t('feedbackUp'));
  const down = button('down', '👎', t('feedbackDown'));

  async function rate(rating, note) {
    up.disabled = true;
    down.disabled = true;
    try {
      const body = await send(answerId, rating, note);
      current = body.feedback;
      onSaved(current);
      up.setAttribute('aria-pressed', String(rating === 'up'));
      down.setAttribute('aria-pressed', String(rating === 'down'));
      noteForm.hidden = !(rating === 'down' || current.note);
      status.classList.remove('error');
      status.textContent = rating === 'down' && !current.note ? t('feedbackSavedDown') : t('feedbackSaved');
      if (rating === 'down' && !current.note) noteField.focus();
    } catch (err) {
      status.classList.add('error');
      status.textContent = t('feedbackFailed', { message: errorMessage(err) });
    } finally {
      up.disabled = false;
      down.disabled = false;
    }
  }

  return h(
    'div',
    { class: 'feedback', role: 'group', 'aria-label': t('feedbackGroup') },
    h('span', { class: 'feedback-label', 'aria-hidden': 'true', text: t('feedbackGroup') }),
    up,
    down,
    noteForm,
    status,
  );
}
