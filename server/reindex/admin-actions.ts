/**
 * The admin routes' actions on a live service: each is one re-index job (live-service.ts) whose preparing
 * step writes what the administrator sent (an uploaded file, a removal) before the build starts.
 */
import { addDocumentBytes, removeDocuments } from '../../ingest/added-documents.ts';
import type { AdminActions } from '../http/routes/admin.ts';
import type { LiveService } from '../live-service.ts';

export function adminActionsFor(live: LiveService): AdminActions {
  const ingest = () => live.current().ingest;
  return {
    async reingest() {
      return (await live.reindex('reingest')).job;
    },
    async addDocument(name, bytes) {
      const { job, prepared } = await live.reindex('add', () => addDocumentBytes(ingest(), name, bytes));
      if (!prepared) throw new Error('the upload was not stored');
      return { job, added: prepared };
    },
    async removeDocument(docId) {
      const { job, prepared } = await live.reindex('remove', () => removeDocuments(ingest(), [docId]));
      const removed = prepared?.[0];
      if (!removed) throw new Error('the removal was not recorded');
      return { job, removed };
    },
    job: () => live.job(),
  };
}
