interface Props {
  lines?: number;
  height?: number;
  label?: string;
}

/** Grey placeholder blocks in the content's shape; announced once as busy, not per block. */
export function Skeleton({ lines = 3, height = 14, label = 'Loading' }: Props) {
  return (
    <div role="status" aria-live="polite" className="stack" style={{ gap: 10 }}>
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: lines }, (_, i) => (
        <span
          key={i}
          className="skeleton"
          aria-hidden="true"
          style={{ height, width: `${100 - ((i * 17) % 45)}%` }}
        />
      ))}
    </div>
  );
}

export function CardSkeleton({ height = 260, label }: { height?: number; label?: string }) {
  return (
    <div className="card" role="status" aria-live="polite">
      <span className="visually-hidden">{label ?? 'Loading'}…</span>
      <span className="skeleton" aria-hidden="true" style={{ width: '30%', height: 18 }} />
      <span className="skeleton" aria-hidden="true" style={{ height, marginTop: 16 }} />
    </div>
  );
}
