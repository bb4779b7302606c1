/**
 * Building DOM nodes without innerHTML: every string given as a child becomes a text node, so text from
 * questions, answers and documents can never be parsed as markup.
 */

import { langNodes, setLangText } from './text-lang.js';

/**
 * Replaces what a kept node shows (a panel's title) by `text`, with its lang as `h` gives `text`.
 * @param {HTMLElement} node
 * @param {string} text
 */
export function showText(node, text) {
  setLangText(node, text);
}

/**
 * @param {string} tag
 * @param {Record<string, unknown>} [props] attributes; `class`, `text` (with its lang, text-lang.js, unless
 *   `lang` is given, even as null), `on` (event handlers), booleans
 * @param {...(Node|string|number|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key === 'text') {
      // An explicit `lang` (even null) says the caller knows the text's language.
      if ('lang' in props) node.textContent = String(value);
      else setLangText(node, String(value));
    } else if (key === 'class') {
      node.className = String(value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, ...children);
  return node;
}

/**
 * Appends children, turning strings and numbers into text nodes (a string in another language than its
 * parent's, or a stretch of it, in a <span lang>: text-lang.js) and skipping empty values.
 */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    if (child instanceof Node) {
      parent.append(child);
      continue;
    }
    // The nearest lang above, as far as the tree is built yet (a detached node knows only its own).
    parent.append(...langNodes(String(child), parent.closest?.('[lang]')?.getAttribute('lang') ?? null));
  }
  return parent;
}

/** Removes every child of a node. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** The element with this id; throws so a missing element is found during development, not by users. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from index.html`);
  return node;
}
