import type { ReactNode } from 'react';

/** A chart's data as a table behind "Show as table": the accessible reading of every chart. */
export function ChartTable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="disclosure">
      <summary>Show as table</summary>
      <div
        className="table-wrap"
        style={{ maxHeight: 320 }}
        tabIndex={0}
        role="region"
        aria-label={`${title}, table`}
      >
        <table className="table">
          <caption className="visually-hidden">{title}</caption>
          {children}
        </table>
      </div>
    </details>
  );
}
