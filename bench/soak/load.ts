// The soak's load generator: a fixed number of workers, each sending its next request as soon as
// the last one is finished, over keep-alive connections, with a seeded mix of APIs, models and
// streaming. It counts what each client saw, as the client would classify it.
import { Agent, request } from 'node:http';
import { seededRandom } from '../../common/seeded-random.ts';

export interface LoadPlan {
  port: number;
  total: number;
  concurrency: number;
  seed: number;
  /** Longest a client waits for a whole answer before giving up (a hang would show here). */
  clientTimeoutMs: number;
}

export interface LoadState {
  sent: number;
  completed: number;
  outcomes: Map<string, number>;
  /** Answers that took more than one upstream call (x-apex-attempts). */
  retried: number;
  /** Answers served by another provider than the model's own (x-apex-served-by). */
  fellBack: number;
}

export const newLoadState = (): LoadState => ({
  sent: 0,
  completed: 0,
  outcomes: new Map(),
  retried: 0,
  fellBack: 0,
});

const PRIMARY_PROVIDER: Record<string, string> = { 'gpt-main': 'openai/', 'claude-main': 'anthropic/' };

interface Call {
  api: 'openai' | 'anthropic';
  model: string;
  stream: boolean;
}

/** 40% OpenAI and 40% Anthropic on their own wire, 20% translated; half of all streamed. */
function nextCall(random: () => number): Call {
  const draw = random();
  const stream = random() < 0.5;
  if (draw < 0.4) return { api: 'openai', model: 'gpt-main', stream };
  if (draw < 0.8) return { api: 'anthropic', model: 'claude-main', stream };
  if (draw < 0.9) return { api: 'openai', model: 'claude-main', stream };
  return { api: 'anthropic', model: 'gpt-main', stream };
}

function requestFor(call: Call, n: number): { path: string; headers: Record<string, string>; body: string } {
  const messages = [{ role: 'user', content: `Soak request ${n}: say hello.` }];
  if (call.api === 'openai') {
    const body = JSON.stringify({ model: call.model, messages, stream: call.stream });
    const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-soak-client' };
    return { path: '/v1/chat/completions', headers, body };
  }
  const body = JSON.stringify({ model: call.model, max_tokens: 64, messages, stream: call.stream });
  const headers = {
    'content-type': 'application/json',
    'x-api-key': 'sk-ant-soak-client',
    'anthropic-version': '2023-06-01',
  };
  return { path: '/v1/messages', headers, body };
}

const NOT_AN_EVENT = /^(?!data: |event: |id: |:|$).*$|^data: (?!\{|\[DONE\]).*$/m;

/** What the client got, in a few words: the status, and for a 200 whether the answer was whole. */
export function classify(call: Call, status: number, body: string): string {
  if (status !== 200) return `${status}`;
  if (!call.stream) return body.startsWith('{') && body.endsWith('}') ? '200' : '200 unreadable JSON';
  const inBandError = call.api === 'openai' ? /^data: \{"error"/m : /^event: error$/m;
  if (inBandError.test(body)) return '200 stream, in-band error';
  if (NOT_AN_EVENT.test(body)) return '200 stream, malformed (relayed)';
  const end = call.api === 'openai' ? 'data: [DONE]' : 'event: message_stop';
  return body.includes(end) ? '200 stream' : '200 stream, ended early';
}

function noteAttempts(state: LoadState, call: Call, headers: Record<string, unknown>): void {
  if (headers['x-apex-attempts'] === undefined) return;
  state.retried++;
  const servedBy = String(headers['x-apex-served-by'] ?? '');
  if (!servedBy.startsWith(PRIMARY_PROVIDER[call.model] ?? '')) state.fellBack++;
}

function send(agent: Agent, plan: LoadPlan, call: Call, state: LoadState): Promise<string> {
  const { path, headers, body } = requestFor(call, state.sent);
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: plan.port, path, method: 'POST', agent, headers },
      (res) => {
        noteAttempts(state, call, res.headers);
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(classify(call, res.statusCode ?? 0, text)));
        res.on('error', () => resolve('client: response aborted'));
      },
    );
    req.setTimeout(plan.clientTimeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', (error: Error & { code?: string }) => resolve(`client: ${error.code ?? error.message}`));
    req.end(body);
  });
}

/** Runs the plan to completion; `state` is updated as requests finish, for progress and sampling. */
export async function runLoad(plan: LoadPlan, state: LoadState): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const random = seededRandom(plan.seed);
  const worker = async (): Promise<void> => {
    while (state.sent < plan.total) {
      state.sent++;
      const outcome = await send(agent, plan, nextCall(random), state);
      state.outcomes.set(outcome, (state.outcomes.get(outcome) ?? 0) + 1);
      state.completed++;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  // The clients hang up, so that whatever the proxy still holds afterwards is its own.
  agent.destroy();
}
