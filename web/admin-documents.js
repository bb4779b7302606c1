/**
 * "Add or remove documents" in the Documents view, for administrators: files are uploaded one after
 * another to POST /api/admin/documents (each is stored under a safe name and indexed while the server keeps
 * answering), and a document can be taken out with DELETE /api/admin/documents/:docId. The token is kept
 * in sessionStorage only (gone when the tab closes) and sent in the Authorization header, never in a URL.
 */
import { ApiError, forgetDocuments, listDocuments } from './api.js';
import { append, byId, clear, h } from './dom.js';
import { errorMessage, t } from './i18n.js';

const TOKEN_KEY = 'zhengce.adminToken';

const form = byId('upload-form');
const tokenInput = byId('admin-token');
const filesInput = byId('upload-files');
const status = byId('upload-status');
const removeForm = byId('remove-form');
const removeSelect = byId('remove-doc');

async function adminCall(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${tokenInput.value.trim()}`,
        Accept: 'application/json',
        ...(body ? { 'Content-Type': 'application/octet-stream' } : {}),
      },
      ...(body ? { body } : {}),
    });
  } catch (err) {
    throw new ApiError('network_error', String(err), 0);
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // Reported by status below.
  }
  if (response.ok) return json;
  throw new ApiError(
    json?.error?.code ?? 'http_error',
    json?.error?.message ?? `HTTP ${response.status}`,
    response.status,
  );
}

function line(text, kind) {
  const item = h('li', { class: kind ? `status ${kind}` : 'status', text });
  status.append(item);
  return item;
}

async function upload(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
  const files = [...filesInput.files];
  if (files.length === 0) return;
  clear(status);
  for (const file of files) {
    const item = line(t('uploading', { name: file.name }));
    try {
      const result = await adminCall(
        'POST',
        `/api/admin/documents?name=${encodeURIComponent(file.name)}`,
        await file.arrayBuffer(),
      );
      const titles = result.documents.map((d) => d.title).join('; ');
      item.textContent = t('uploaded', { name: file.name, titles });
      item.className = 'status ok';
    } catch (err) {
      item.textContent = t('uploadFailed', { name: file.name, message: errorMessage(err) });
      item.className = 'status error';
    }
  }
  filesInput.value = '';
  await refresh();
}

async function remove(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
  const docId = removeSelect.value;
  if (!docId) return;
  clear(status);
  const item = line(t('removing'));
  try {
    await adminCall('DELETE', `/api/admin/documents/${encodeURIComponent(docId)}`);
    item.textContent = t('removed');
    item.className = 'status ok';
  } catch (err) {
    item.textContent = t('removeFailed', { message: errorMessage(err) });
    item.className = 'status error';
  }
  await refresh();
}

/** Redraws the document list and the remove choices after a change. */
let onChange = async () => {};

async function refresh() {
  forgetDocuments();
  await onChange();
  await fillRemoveChoices();
}

async function fillRemoveChoices() {
  clear(removeSelect);
  try {
    const documents = await listDocuments();
    append(
      removeSelect,
      ...documents.map((d) => h('option', { value: d.docId, text: `${d.title} (${d.docId})` })),
    );
  } catch {
    // The list itself shows the error.
  }
}

/** @param {{ onChange: () => Promise<void> }} options */
export function initAdminDocuments(options) {
  onChange = options.onChange;
  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  form.addEventListener('submit', upload);
  removeForm.addEventListener('submit', remove);
  byId('admin-documents').addEventListener('toggle', (event) => {
    if (event.currentTarget.open) fillRemoveChoices();
  });
}
