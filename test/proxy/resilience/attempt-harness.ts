import { seededRandom } from '../../../common/seeded-random.ts';
import type { Schedule } from '../../../proxy/resilience/deadline.ts';
import {
  runAttempts,
  type AttemptResponse,
  type RunOptions,
} from '../../../proxy/resilience/run-attempts.ts';

export interface Reply extends AttemptResponse {
  body: string;
}

/** What a deployment answers, attempt after attempt: a status (with headers), an error, or a function. */
export type Step =
  | number
  | { status: number; headers?: Record<string, string>; started?: boolean }
  | Error
  | ((signal: AbortSignal) => Promise<Reply>);

export const coded = (code: string) => Object.assign(new Error(code), { code });

export function harness(script: Record<string, Step[]>) {
  let time = 1_000_000;
  const calls: string[] = [];
  const slept: number[] = [];
  const discarded: number[] = [];
  const timers: (() => void)[] = [];
  const now = () => time;
  const send = async (deployment: string, attempt: number, signal: AbortSignal): Promise<Reply> => {
    calls.push(`${deployment}#${attempt}`);
    const step = script[deployment]?.shift();
    if (step === undefined) throw new Error(`no reply scripted for ${deployment}`);
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(signal);
    const { status, headers = {}, started = false } = typeof step === 'number' ? { status: step } : step;
    return { kind: 'response', status, headers, started, body: `${deployment} ${status}` };
  };
  const schedule: Schedule = (fire) => {
    timers.push(fire);
    return () => {};
  };
  const base: Omit<RunOptions<Reply>, 'candidates'> = {
    send,
    now,
    schedule,
    delay: { random: seededRandom(1) },
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    discard: (response) => discarded.push(response.status),
  };
  return {
    calls,
    slept,
    discarded,
    timers,
    now,
    advance: (ms: number) => (time += ms),
    run: (options: Partial<RunOptions<Reply>> & Pick<RunOptions<Reply>, 'candidates'>) =>
      runAttempts<Reply>({ ...base, ...options }),
  };
}

export const single = (...names: string[]) => names.map((name) => ({ name }));
