import { useState } from 'react';
import type { StatusResponse } from '../../../../contracts/control-api.ts';
import { useStatus } from '../../api/hooks.ts';
import { navigate, setOnboarded } from '../../app/router.ts';
import { Badge } from '../../components/Badge.tsx';
import { BrandMark } from '../../components/icons.tsx';
import { CardSkeleton } from '../../components/Skeleton.tsx';
import { ErrorState } from '../../components/States.tsx';
import { ChoosePath, ConnectSdk, Intro } from './WelcomeSteps.tsx';
import { StepIndicator, type Step } from './steps.tsx';
import '../../styles/welcome.css';

function finish(to: 'overview' | 'waste') {
  setOnboarded(true);
  navigate(to);
}

function Steps({ status }: { status: StatusResponse }) {
  const [step, setStep] = useState<Step>('welcome');
  return (
    <>
      <StepIndicator current={step} />
      {step === 'welcome' ? <Intro onNext={() => setStep('choose')} /> : null}
      {step === 'choose' ? (
        <ChoosePath
          onSdk={() => setStep('sdk')}
          onImport={() => finish('waste')}
          onBack={() => setStep('welcome')}
        />
      ) : null}
      {step === 'sdk' ? (
        <ConnectSdk status={status} onDone={() => finish('overview')} onBack={() => setStep('choose')} />
      ) : null}
    </>
  );
}

export default function WelcomePage() {
  const status = useStatus();
  return (
    <div className="standalone onboarding" data-testid="onboarding">
      <header className="onboarding-header standalone-inner">
        <span className="brand">
          <BrandMark className="brand-mark" />
          <span>
            Netra <span className="brand-name">Apex</span>
          </span>
        </span>
        {status.data?.demo ? <Badge tone="warning">Demo mode</Badge> : null}
        <span className="header-spacer" />
        <button
          type="button"
          className="btn btn--ghost"
          onClick={() => finish('overview')}
          data-testid="onboarding-skip"
        >
          Skip setup
        </button>
      </header>
      <main className="standalone-inner stack" id="main-content">
        {status.isPending ? <CardSkeleton label="Loading" height={300} /> : null}
        {status.isError ? (
          <ErrorState
            title="Could not reach Apex"
            error={status.error}
            onRetry={() => void status.refetch()}
            retrying={status.isFetching}
          />
        ) : null}
        {status.data ? <Steps status={status.data} /> : null}
      </main>
    </div>
  );
}
