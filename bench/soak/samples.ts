// What the soak measures every few seconds, and the verdicts drawn from it at the end.

/** Taken inside the proxy's process, right after a forced full GC. */
export interface ProxySample {
  heapUsedMb: number;
  rssMb: number;
  /** process.getActiveResourcesInfo() TCP socket handles: client and upstream connections alike. */
  tcpSockets: number;
  timers: number;
  /** The proxy server's getConnections(): clients connected to Apex. */
  serverConnections: number;
  /** Upstream agent sockets carrying a request, idle in the keep-alive pool, and requests waiting for one. */
  agentActive: number;
  agentFree: number;
  agentQueued: number;
  eventsRecorded: number;
}

export interface Sample extends ProxySample {
  seconds: number;
  /** Requests the load generator had finished when the sample was taken. */
  completed: number;
  /** Connections open on the fault upstreams. */
  upstreamOpen: number;
}

export interface Verdict {
  name: string;
  ok: boolean;
  detail: string;
}

const mb = (value: number): string => value.toFixed(1);

export function sampleRow(sample: Sample): string {
  const cells = [
    sample.seconds.toFixed(0).padStart(5),
    String(sample.completed).padStart(8),
    mb(sample.heapUsedMb).padStart(8),
    mb(sample.rssMb).padStart(7),
    String(sample.tcpSockets).padStart(6),
    String(sample.serverConnections).padStart(7),
    String(sample.agentActive).padStart(7),
    String(sample.agentFree).padStart(6),
    String(sample.upstreamOpen).padStart(9),
    String(sample.timers).padStart(7),
  ];
  return cells.join(' ');
}

export const SAMPLE_HEADER =
  '    s     done  heap MB  rss MB    tcp clients  active   free  upstream  timers';

/** Least-squares slope of heap (MB) against requests completed, per 10,000 requests. */
export function heapSlopePer10k(samples: readonly Sample[]): number {
  if (samples.length < 2) return 0;
  const xs = samples.map((s) => s.completed / 10_000);
  const ys = samples.map((s) => s.heapUsedMb);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - meanX) * (ys[i]! - meanY);
    den += (xs[i]! - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The samples taken while the given quarter (1-4) of the requests was being served. */
export function quarter(samples: readonly Sample[], which: number, total: number): Sample[] {
  const from = ((which - 1) * total) / 4;
  const to = (which * total) / 4;
  return samples.filter((s) => s.completed > from && s.completed <= to);
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Heap after GC in the last quarter within 10% or 3 MB of the second quarter. */
export function memoryVerdict(samples: readonly Sample[], total: number): Verdict {
  const second = quarter(samples, 2, total);
  const last = quarter(samples, 4, total);
  const slope = heapSlopePer10k(samples.filter((s) => s.completed > total / 4));
  if (second.length === 0 || last.length === 0) {
    return { name: 'flat memory', ok: false, detail: 'too few samples: run more requests' };
  }
  const q2 = mean(second.map((s) => s.heapUsedMb));
  const q4 = mean(last.map((s) => s.heapUsedMb));
  const growth = q4 - q2;
  const ok = growth <= Math.max(3, q2 * 0.1);
  const detail =
    `heap after GC: Q2 mean ${mb(q2)} MB, Q4 mean ${mb(q4)} MB (${growth >= 0 ? '+' : ''}${mb(growth)} MB, ` +
    `${((growth / q2) * 100).toFixed(1)}%); slope ${slopeText(slope)} MB per 10k requests`;
  return { name: 'flat memory', ok, detail };
}

function slopeText(slope: number): string {
  return `${slope >= 0 ? '+' : ''}${slope.toFixed(3)}`;
}

/**
 * Once the load has stopped and its client connections are closed, nothing may be left in
 * flight and only the upstream keep-alive pool may hold sockets, no more than its size.
 */
export function socketVerdict(baseline: Sample, final: Sample, poolSize: number): Verdict {
  const problems: string[] = [];
  if (final.serverConnections !== 0) problems.push(`${final.serverConnections} client connections left`);
  if (final.agentActive !== 0) problems.push(`${final.agentActive} upstream sockets still busy`);
  if (final.agentQueued !== 0) problems.push(`${final.agentQueued} upstream requests queued`);
  if (final.agentFree > poolSize) problems.push(`${final.agentFree} pooled sockets > pool size ${poolSize}`);
  if (final.tcpSockets > final.agentFree)
    problems.push(`${final.tcpSockets} TCP handles > ${final.agentFree} pooled`);
  if (final.upstreamOpen > final.agentFree) {
    problems.push(`upstream holds ${final.upstreamOpen} connections > ${final.agentFree} pooled`);
  }
  const detail =
    `baseline (after warm-up, clients closed): tcp ${baseline.tcpSockets}, pooled ${baseline.agentFree}, ` +
    `upstream ${baseline.upstreamOpen}; after drain: tcp ${final.tcpSockets}, clients ` +
    `${final.serverConnections}, busy ${final.agentActive}, pooled ${final.agentFree} (pool size ` +
    `${poolSize}), upstream ${final.upstreamOpen}, timers ${final.timers}` +
    (problems.length > 0 ? `: ${problems.join('; ')}` : '');
  return { name: 'no leaked sockets', ok: problems.length === 0, detail };
}

/** Every request the load generator sent left exactly one usage event. */
export function eventsVerdict(sent: number, recorded: number): Verdict {
  return {
    name: 'one usage event per request',
    ok: sent === recorded,
    detail: `${recorded} usage events for ${sent} requests`,
  };
}
