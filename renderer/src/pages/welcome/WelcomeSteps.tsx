import { useState } from 'react';
import type { StatusResponse } from '../../../../contracts/control-api.ts';
import { Segmented } from '../../components/Segmented.tsx';
import { CodeIcon, LiveIcon, UploadIcon, WasteIcon } from '../../components/icons.tsx';
import { SdkSnippets } from '../../components/sdk/SdkSnippets.tsx';
import type { SdkFlavor } from '../../components/sdk/snippets.ts';
import { FirstRequest } from './FirstRequest.tsx';
import { StepPanel } from './steps.tsx';

const PROMISES = [
  { icon: <LiveIcon />, text: 'See every AI request your team makes, with its exact cost, as it happens.' },
  {
    icon: <WasteIcon />,
    text: 'Import bills from OpenAI, Anthropic, AWS, Google Cloud and Azure to find waste.',
  },
  { icon: <CodeIcon />, text: 'Change one line, the base URL. Your code and your keys stay as they are.' },
];

export function Intro({ onNext }: { onNext: () => void }) {
  return (
    <StepPanel step="welcome" title="Welcome to Netra Apex">
      <p className="lead">Apex runs on this machine and cuts what your team spends on AI.</p>
      <ul className="promises">
        {PROMISES.map((p) => (
          <li key={p.text}>
            <span className="state-icon">{p.icon}</span>
            {p.text}
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="btn btn--primary" onClick={onNext} data-testid="onboarding-start">
          Get started
        </button>
      </div>
    </StepPanel>
  );
}

interface ChooseProps {
  onSdk: () => void;
  onImport: () => void;
  onBack: () => void;
}

export function ChoosePath({ onSdk, onImport, onBack }: ChooseProps) {
  return (
    <StepPanel step="choose" title="How do you want to start?">
      <p className="lead">Pick one now; you can do the other any time.</p>
      <div className="paths">
        <button type="button" className="path" onClick={onSdk} data-testid="onboarding-path-sdk">
          <span className="state-icon">
            <CodeIcon />
          </span>
          <strong>Route your SDK through Apex</strong>
          <span className="muted">
            Copy a two-line change for Python or TypeScript, then watch the first request arrive.
          </span>
        </button>
        <button type="button" className="path" onClick={onImport} data-testid="onboarding-path-import">
          <span className="state-icon">
            <UploadIcon />
          </span>
          <strong>Import a bill</strong>
          <span className="muted">
            Drop a cost or usage export and see where money is wasted, with the rows behind it.
          </span>
        </button>
      </div>
      <div className="row">
        <button type="button" className="btn btn--ghost" onClick={onBack}>
          Back
        </button>
      </div>
    </StepPanel>
  );
}

const SDKS = [
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
] as const;

interface ConnectProps {
  status: StatusResponse;
  onDone: () => void;
  onBack: () => void;
}

export function ConnectSdk({ status, onDone, onBack }: ConnectProps) {
  const [flavor, setFlavor] = useState<SdkFlavor>('openai');
  return (
    <StepPanel step="sdk" title="Route your SDK through Apex">
      <p className="lead">
        Set the base URL to the local proxy. Requests go on to the real provider, and Apex records what each
        one cost.
      </p>
      <Segmented
        legend="SDK"
        hideLegend={false}
        options={SDKS}
        value={flavor}
        onChange={setFlavor}
        testIdPrefix="sdk"
      />
      <SdkSnippets key={flavor} flavor={flavor} proxyUrl={status.proxyUrl} />
      <p className="subtle">
        Optional: send the header <code>x-apex-project: your-app</code> to file usage under a project.
      </p>
      <FirstRequest demo={status.demo} />
      <div className="row">
        <button type="button" className="btn btn--primary" onClick={onDone} data-testid="onboarding-finish">
          Go to the dashboard
        </button>
        <button type="button" className="btn btn--ghost" onClick={onBack}>
          Back
        </button>
      </div>
    </StepPanel>
  );
}
