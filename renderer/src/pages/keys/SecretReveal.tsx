import { useEffect, useRef } from 'react';
import type { CreatedKeyResponse } from '../../../../contracts/virtual-keys.ts';
import { CodeBlock } from '../../components/CodeBlock.tsx';
import { AlertIcon } from '../../components/icons.tsx';
import { keyEnvSnippet } from './usage.ts';

interface Props {
  created: CreatedKeyResponse;
  proxyUrl?: string;
  onDone: () => void;
}

/**
 * The new key's secret, shown this once: Apex stores only its hash. Focus moves here so a keyboard
 * or screen reader user lands on it, and it stays until the user says they have it.
 */
export function SecretReveal({ created, proxyUrl, onDone }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card stack key-secret" aria-labelledby="key-secret-title" data-testid="key-secret">
      <h2 id="key-secret-title" ref={heading} tabIndex={-1}>
        Key “{created.key.name}” created: copy it now
      </h2>
      <div className="key-secret-warning">
        <AlertIcon />
        <p>
          <strong>You will not see this key again.</strong> Apex keeps only a hash of it, so it cannot show it
          later. If it is lost, revoke it and create a new one.
        </p>
      </div>
      <CodeBlock code={created.secret} label="the new virtual key" testId="key-secret-value" />
      <div className="stack" style={{ gap: 8 }}>
        <h3>Use it</h3>
        <p className="muted">
          Set these where the app runs, in place of its provider key; its code does not change.
        </p>
        <CodeBlock
          code={keyEnvSnippet(created.secret, proxyUrl)}
          label="environment variables for the SDKs"
          testId="key-secret-env"
        />
      </div>
      <div className="row">
        <button type="button" className="btn btn--primary" onClick={onDone} data-testid="key-secret-done">
          I have copied it
        </button>
      </div>
    </section>
  );
}
