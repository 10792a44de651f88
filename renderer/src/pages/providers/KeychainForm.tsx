import { useId, useState, type FormEvent } from 'react';
import { useKeychainHints, useRemoveKey, useStoreKey } from '../../api/keychain.ts';
import { errorMessage } from '../../api/client.ts';

function StoredHint({ hint, busy, onRemove }: { hint: string; busy: boolean; onRemove: () => void }) {
  return (
    <>
      <span data-testid="keychain-hint">
        Stored in the keychain: <code>{hint}</code>
      </span>
      <button
        type="button"
        className="btn btn--sm btn--danger"
        onClick={onRemove}
        disabled={busy}
        data-testid="keychain-remove"
      >
        Remove
      </button>
    </>
  );
}

/**
 * Desktop only: hands a key to the OS keychain through the preload. The key lives in this form's
 * state only until submit; afterwards only the hint the keychain returns is ever shown.
 */
export function KeychainForm({ provider }: { provider: string }) {
  const inputId = useId();
  const [key, setKey] = useState('');
  const hints = useKeychainHints();
  const store = useStoreKey(provider);
  const remove = useRemoveKey(provider);
  const stored = store.hint ?? hints.data?.get(provider);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const value = key.trim();
    setKey('');
    if (value) void store.store(value);
  };

  return (
    <div className="stack" style={{ gap: 8 }} data-testid="keychain">
      <form className="keychain-form" onSubmit={onSubmit} data-testid="keychain-form">
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor={inputId}>API key for {provider}</label>
          <input
            id={inputId}
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="keychain-input"
          />
        </div>
        <button
          type="submit"
          className="btn btn--primary"
          disabled={!key.trim() || store.pending}
          data-testid="keychain-store"
        >
          {store.pending ? 'Storing…' : 'Store in OS keychain'}
        </button>
      </form>
      <div role="status" className="row" style={{ gap: 8 }}>
        {stored ? (
          <StoredHint
            hint={stored}
            busy={remove.isPending}
            onRemove={() => {
              store.reset();
              remove.mutate();
            }}
          />
        ) : null}
        {store.error ? <span className="upload-error">{errorMessage(store.error)}</span> : null}
        {remove.isError ? <span className="upload-error">{errorMessage(remove.error)}</span> : null}
      </div>
    </div>
  );
}
