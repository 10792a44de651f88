import { useEffect, useRef, type ReactNode } from 'react';

export type Step = 'welcome' | 'choose' | 'sdk';

const STEPS: ReadonlyArray<{ id: Step; label: string }> = [
  { id: 'welcome', label: 'Welcome' },
  { id: 'choose', label: 'Choose a path' },
  { id: 'sdk', label: 'Connect' },
];

export function StepIndicator({ current }: { current: Step }) {
  const index = STEPS.findIndex((s) => s.id === current);
  return (
    <ol className="steps" aria-label="Setup progress">
      {STEPS.map((step, i) => (
        <li
          key={step.id}
          className={i < index ? 'step step--done' : i === index ? 'step step--current' : 'step'}
          aria-current={i === index ? 'step' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {i + 1}
          </span>
          {step.label}
        </li>
      ))}
    </ol>
  );
}

/** One onboarding step; its heading takes focus when the step appears so readers start at the top. */
export function StepPanel({ step, title, children }: { step: Step; title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [step]);
  return (
    <section
      className="card onboarding-card"
      aria-labelledby={`step-${step}-title`}
      data-testid={`onboarding-step-${step}`}
    >
      <h1 id={`step-${step}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
