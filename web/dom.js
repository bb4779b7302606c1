/**
 * Building DOM nodes without innerHTML: every string given as a child becomes a text node, so text from
 * questions, answers and documents can never be parsed as markup.
 */

/**
 * @param {string} tag
 * @param {Record<string, unknown>} [props] attributes; `class`, `text`, `on` (event handlers), booleans
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
      node.textContent = String(value);
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

/** Appends children, turning strings and numbers into text nodes and skipping empty values. */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
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
