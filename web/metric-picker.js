/**
 * A searchable metric picker: a text box with a filtered list under it (the ARIA 1.2 combobox pattern with
 * a listbox popup), used by the Targets filter and the Compare view in place of a select of some 200
 * metrics. Typing narrows the list by the Chinese phrase or its English name from the server's glossary,
 * so "family doctor" and 托位 both find their metrics. Keyboard: ↓/↑ move through the list (↓ opens it),
 * Enter picks, Escape closes it and puts back the picked metric, Tab leaves it. Focus stays in the text
 * box throughout; the active option is named by aria-activedescendant.
 */
import { clear, h } from './dom.js';
import { t } from './i18n.js';

/** Options drawn at once: more is a wall nobody reads; typing narrows the rest, and the list says how many. */
const MAX_SHOWN = 60;

/** Lower case, full-width forms folded (ＡＢＣ, ４５％), spaces squeezed: what a match compares. */
function fold(text) {
  return String(text ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether an option matches the typed text: the Chinese phrase contains it (spaces ignored, as Chinese
 * has none), or every typed English word starts a word of the English name ("fam doc" finds "family
 * doctor contract service coverage").
 */
export function optionMatches(option, query) {
  const q = fold(query);
  if (q === '') return true;
  if (fold(option.label).replace(/ /g, '').includes(q.replace(/ /g, ''))) return true;
  if (fold(option.value).replace(/ /g, '').includes(q.replace(/ /g, ''))) return true;
  const english = fold(option.english);
  if (!english) return false;
  if (english.includes(q)) return true;
  const words = english.split(/[^a-z0-9]+/).filter(Boolean);
  const parts = q.split(/[^a-z0-9]+/).filter(Boolean);
  // Typed text with no Latin letters or digits (托位) is matched by the Chinese phrase alone, above.
  return parts.length > 0 && parts.every((part) => words.some((word) => word.startsWith(part)));
}

/**
 * @param {{
 *   input: HTMLInputElement,   the text box (role=combobox in index.html)
 *   list: HTMLElement,         the popup (role=listbox)
 *   field?: HTMLInputElement,  a hidden form field that holds the picked value
 *   allowAny?: boolean,        whether "Any" (value '') is offered first
 *   onPick: (value: string) => void,
 * }} options
 */
export function createMetricPicker({ input, list, field, allowAny = false, onPick }) {
  /** @type {{ value: string, label: string, english: string | null, count: number }[]} */
  let options = [];
  let value = '';
  let shown = [];
  let active = -1;

  const labelOf = (v) => options.find((o) => o.value === v)?.label ?? v;

  function setExpanded(open) {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
    }
  }

  function optionNode(option, index) {
    const any = option.value === '' && allowAny;
    return h(
      'div',
      {
        id: `${list.id}-${index}`,
        role: 'option',
        class: 'picker-option',
        'data-value': option.value,
        'aria-selected': String(option.value === value),
        on: {
          // Keep focus in the text box (the pattern's single tab stop) while a pointer picks.
          pointerdown: (event) => event.preventDefault(),
          click: () => pick(option.value),
        },
      },
      any
        ? h('span', { class: 'picker-zh', text: t('any') })
        : h('span', { class: 'picker-zh', lang: 'zh-CN', text: option.label }),
      option.english ? h('span', { class: 'picker-en', lang: 'en', text: option.english }) : null,
      any ? null : h('span', { class: 'picker-count', text: `(${option.count})` }),
    );
  }

  function draw() {
    const query = input.value;
    // The picked metric's own text shows the whole list, so that opening the list is not a dead end.
    const filtering = query.trim() !== '' && query !== labelOf(value);
    const matching = options.filter((o) => !filtering || optionMatches(o, query));
    const all =
      allowAny && !filtering ? [{ value: '', label: '', english: null, count: 0 }, ...matching] : matching;
    shown = all.slice(0, MAX_SHOWN);
    clear(list);
    shown.forEach((option, i) => {
      list.append(optionNode(option, i));
    });
    if (matching.length === 0) {
      list.append(
        h('div', {
          class: 'picker-note',
          text: t('metricNoMatch', { q: query.trim() }),
        }),
      );
    } else if (all.length > shown.length) {
      list.append(
        h('div', {
          class: 'picker-note',
          text: t('metricMore', { n: all.length - shown.length }),
        }),
      );
    }
    setActive(Math.min(active, shown.length - 1));
  }

  function setActive(index) {
    active = index;
    for (const node of list.querySelectorAll('[role="option"]')) node.classList.remove('active');
    const node = index >= 0 ? list.querySelector(`#${CSS.escape(`${list.id}-${index}`)}`) : null;
    if (node) {
      node.classList.add('active');
      input.setAttribute('aria-activedescendant', node.id);
      node.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function open() {
    draw();
    setExpanded(true);
  }

  function show(v) {
    value = v;
    if (field) field.value = v;
    input.value = v ? labelOf(v) : '';
  }

  function pick(v) {
    setExpanded(false);
    const changed = v !== value;
    show(v);
    if (changed) onPick(v);
  }

  input.addEventListener('input', () => {
    active = -1;
    open();
    // The first match is the one Enter picks, as in a browser's address bar.
    if (shown.length > 0 && input.value.trim() !== '') setActive(0);
  });
  input.addEventListener('click', () => {
    if (list.hidden) open();
  });
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (list.hidden) open();
      setActive(Math.min(active + 1, shown.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (list.hidden) open();
      setActive(active <= 0 ? shown.length - 1 : active - 1);
    } else if (event.key === 'Enter') {
      if (list.hidden) {
        // Enter in a closed box keeps the form's own meaning (submit), but never with half-typed text.
        if (input.value !== labelOf(value)) event.preventDefault();
        return;
      }
      event.preventDefault();
      const option = shown[active];
      if (option) pick(option.value);
      else if (allowAny && input.value.trim() === '') pick('');
    } else if (event.key === 'Escape' && !list.hidden) {
      // Handled here so that the page's Escape (closing the document panel) is not triggered too.
      event.preventDefault();
      event.stopPropagation();
      setExpanded(false);
      show(value);
    }
  });
  input.addEventListener('blur', () => {
    setExpanded(false);
    // Typed text that was not picked is put back; an emptied box means "any" where that is offered.
    if (allowAny && input.value.trim() === '' && value !== '') pick('');
    else show(value);
  });

  return {
    /** @param {{ value: string, label: string, english: string | null, count: number }[]} next */
    setOptions(next) {
      options = next;
      show(value);
      if (!list.hidden) draw();
    },
    /** Shows a value picked elsewhere (from the URL) without calling onPick. */
    setValue(v) {
      show(v ?? '');
    },
    get value() {
      return value;
    },
  };
}
