import { useEffect, useRef, type ReactNode } from 'react';
import { hasNavigated } from '../app/router.ts';

interface Props {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}

/**
 * The page's h1. After an in-app navigation it takes focus, so screen reader and keyboard users
 * land at the top of the new page instead of staying on the link they used.
 */
export function PageHeader({ title, description, actions }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <div className="page-header">
      <div>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}
