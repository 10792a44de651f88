import type { VirtualKeyInfo } from '../../../../contracts/virtual-keys.ts';
import { errorMessage } from '../../api/client.ts';
import { useRevokeKey } from '../../api/keys.ts';
import { Modal } from './Modal.tsx';

/** Revoking cannot be undone, so it is asked once more; Cancel comes first, so it takes the focus. */
export function RevokeDialog({ keyInfo, onClose }: { keyInfo: VirtualKeyInfo; onClose: () => void }) {
  const revoke = useRevokeKey(keyInfo.id);
  return (
    <Modal
      labelledBy="revoke-key-title"
      describedBy="revoke-key-description"
      onClose={onClose}
      testId="revoke-dialog"
    >
      <div className="stack modal-body">
        <h2 id="revoke-key-title">Revoke “{keyInfo.name}”?</h2>
        <p id="revoke-key-description">
          Every app using <code>{keyInfo.hint}</code> is refused from its next request. This cannot be undone;
          the key stays listed with its spend, and you can create a new one at any time.
        </p>
        <div className="row modal-actions">
          <p role="status" aria-live="polite" className="key-form-status">
            {revoke.isError ? errorMessage(revoke.error) : null}
          </p>
          <button type="button" className="btn" onClick={onClose} data-testid="revoke-cancel">
            Cancel
          </button>
          <button
            type="button"
            className="btn btn--danger"
            disabled={revoke.isPending}
            onClick={() => revoke.mutate(undefined, { onSuccess: onClose })}
            data-testid="revoke-confirm"
          >
            {revoke.isPending ? 'Revoking…' : 'Revoke key'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
