import { errorMessage } from '../../api/client.ts';
import { useCreateKey } from '../../api/keys.ts';
import { KeyFields, useKeyEditor } from './KeyFields.tsx';
import { EMPTY_FORM } from './key-form.ts';
import { SecretReveal } from './SecretReveal.tsx';

/** The create form, replaced by the new key's secret until the user confirms they copied it. */
export function CreateKeyCard({ proxyUrl }: { proxyUrl?: string }) {
  const create = useCreateKey();
  const editor = useKeyEditor(EMPTY_FORM);
  if (create.data) {
    return <SecretReveal created={create.data} proxyUrl={proxyUrl} onDone={() => create.reset()} />;
  }
  const onSubmit = editor.onSubmit((request) => create.mutate(request, { onSuccess: () => editor.reset() }));
  return (
    <form
      className="card stack"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="create-key-title"
      data-testid="create-key-form"
    >
      <div className="key-card-title">
        <h2 id="create-key-title">Create a key</h2>
        <p className="subtle">Only the name is required; whatever you leave empty is unlimited.</p>
      </div>
      <KeyFields editor={editor} testPrefix="create-key" />
      <div className="row">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={create.isPending}
          data-testid="create-key-submit"
        >
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
        <p role="status" aria-live="polite" className="key-form-status" data-testid="create-key-result">
          {create.isError ? errorMessage(create.error) : null}
        </p>
      </div>
    </form>
  );
}
