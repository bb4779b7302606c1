/**
 * Saving something the page made (a chart image, a CSV) as a file: a temporary object URL clicked through
 * a link with `download`, so nothing leaves the browser and the strict CSP needs no exception.
 */

/** Characters no file system accepts in a name, and controls. */
const UNSAFE_IN_NAME = /[\\/:*?"<>|\u0000-\u001f]+/g;

/** A file name from a title (Chinese kept), at most 80 characters. */
export function fileName(title, extension) {
  const base = String(title).replace(UNSAFE_IN_NAME, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${base || 'zhengce'}.${extension}`;
}

/** @param {Blob} blob @param {string} name */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
