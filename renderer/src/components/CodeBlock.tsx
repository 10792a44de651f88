import { useEffect, useState } from 'react';

interface Props {
  code: string;
  label: string;
  testId?: string;
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard) return navigator.clipboard.writeText(text);
  // Plain-http origins other than localhost have no Clipboard API; the textarea trick still works.
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const onClick = () => {
    copyText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  const shown = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
  // The accessible name starts with the visible text, so voice control and axe's label-in-name agree.
  return (
    <button
      type="button"
      className="btn btn--sm copy-btn"
      onClick={onClick}
      aria-label={`${shown}: ${label}`}
      data-testid="copy-button"
    >
      <span aria-live="polite">{shown}</span>
    </button>
  );
}

/** A snippet with a copy button; the pre is focusable so a keyboard user can scroll long lines. */
export function CodeBlock({ code, label, testId }: Props) {
  return (
    <div className="code" data-testid={testId}>
      <pre tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={label} />
    </div>
  );
}
