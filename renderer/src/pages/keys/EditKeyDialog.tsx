import type { VirtualKeyInfo } from '../../../../contracts/virtual-keys.ts';
import { errorMessage } from '../../api/client.ts';
import { useUpdateKey } from '../../api/keys.ts';
import { KeyFields, useKeyEditor } from './KeyFields.tsx';
import { formFromKey } from './key-form.ts';
import { Modal } from './Modal.tsx';

/** Changes everything but the secret; an emptied budget or limit is sent as null, which clears it. */
export function EditKeyDialog({ keyInfo, onClose }: { keyInfo: VirtualKeyInfo; onClose: () => void }) {
  const update = useUpdateKey(keyInfo.id);
  const editor = useKeyEditor(formFromKey(keyInfo));
  const onSubmit = editor.onSubmit((request) => update.mutate(request, { onSuccess: onClose }));
  return (
    <Modal labelledBy="edit-key-title" onClose={onClose} testId="edit-dialog">
      <form className="stack modal-body" onSubmit={onSubmit} noValidate>
        <div className="key-card-title">
          <h2 id="edit-key-title">Edit “{keyInfo.name}”</h2>
          <p className="subtle">
            The secret (<code>{keyInfo.hint}</code>) stays the same; changes apply to the next request.
          </p>
        </div>
        <KeyFields editor={editor} testPrefix="edit-key" />
        <div className="row modal-actions">
          <p role="status" aria-live="polite" className="key-form-status">
            {update.isError ? errorMessage(update.error) : null}
          </p>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn--primary"
            disabled={update.isPending}
            data-testid="edit-key-submit"
          >
            {update.isPending ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
