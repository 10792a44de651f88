/**
 * The demo's tool-using agent: multi-step tasks where each step resends the
 * task plus every earlier tool call and result, through the Responses API
 * (reasoning models) or the Anthropic Messages API (cached system prompt and
 * tools). Tool results are made up locally; only the traffic shape matters.
 */
import type { Rng } from './random.ts';
import { phrase } from './text.ts';
import { AGENT_TASKS, agentSystemPrompt, RESPONSES_TOOLS } from './traffic-corpus.ts';
import type { DemoRequest } from './traffic-apps.ts';

interface ToolStep {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
  output: string;
}

interface Task {
  api: 'responses' | 'anthropic';
  model: string;
  task: string;
  steps: ToolStep[];
  stepsLeft: number;
}

const APP = 'ops-agent';
const MAX_TASKS = 4;

export class AgentApp {
  private readonly rng: Rng;
  private readonly systemPrompt: string;
  private readonly anthropicTools: unknown[];
  private readonly tasks: Task[] = [];

  constructor(rng: Rng, anthropicTools: unknown[]) {
    this.rng = rng;
    this.systemPrompt = agentSystemPrompt(rng);
    this.anthropicTools = anthropicTools;
  }

  step(): DemoRequest {
    const task = this.task();
    const request = task.api === 'responses' ? this.responsesRequest(task) : this.anthropicRequest(task);
    task.stepsLeft -= 1;
    task.steps.push(this.madeUpToolStep());
    return request;
  }

  private task(): Task {
    const live = this.tasks.filter((task) => task.stepsLeft > 0);
    this.tasks.splice(0, this.tasks.length, ...live);
    if (live.length > 0 && (live.length >= MAX_TASKS || this.rng.chance(0.75))) return this.rng.pick(live);
    const viaResponses = this.rng.chance(0.6);
    const task: Task = {
      api: viaResponses ? 'responses' : 'anthropic',
      model: viaResponses ? this.rng.pick(['gpt-5-mini', 'o4-mini', 'gpt-5']) : 'claude-sonnet-4-5',
      task: this.rng.pick(AGENT_TASKS),
      steps: [],
      stepsLeft: this.rng.int(1, 4),
    };
    this.tasks.push(task);
    return task;
  }

  private madeUpToolStep(): ToolStep {
    const name = this.rng.pick(RESPONSES_TOOLS).name;
    const output = JSON.stringify({ ok: true, note: phrase(this.rng), records: this.rng.int(0, 12) });
    return { callId: `call_${this.rng.id(24)}`, name, arguments: { query: phrase(this.rng) }, output };
  }

  private responsesRequest(task: Task): DemoRequest {
    const input: unknown[] = [{ role: 'user', content: task.task }];
    for (const step of task.steps) {
      input.push({
        type: 'function_call',
        call_id: step.callId,
        name: step.name,
        arguments: JSON.stringify(step.arguments),
      });
      input.push({ type: 'function_call_output', call_id: step.callId, output: step.output });
    }
    const stream = this.rng.chance(0.5);
    const body = {
      model: task.model,
      instructions: this.systemPrompt,
      input,
      tools: RESPONSES_TOOLS,
      reasoning: { effort: this.rng.pick(['low', 'medium', 'medium', 'high']) },
      max_output_tokens: 4000,
      store: false,
      stream,
    };
    return {
      app: APP,
      api: 'openai',
      endpoint: 'responses',
      path: '/v1/responses',
      model: task.model,
      streamed: stream,
      body,
    };
  }

  private anthropicRequest(task: Task): DemoRequest {
    const messages: unknown[] = [{ role: 'user', content: task.task }];
    for (const step of task.steps) {
      const toolUse = {
        type: 'tool_use',
        id: step.callId.replace('call_', 'toolu_01'),
        name: step.name,
        input: step.arguments,
      };
      messages.push({ role: 'assistant', content: [{ type: 'text', text: 'Let me check that.' }, toolUse] });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: step.output }],
      });
    }
    const stream = this.rng.chance(0.5);
    const system = [{ type: 'text', text: this.systemPrompt, cache_control: { type: 'ephemeral' } }];
    const body = {
      model: task.model,
      system,
      tools: this.anthropicTools,
      messages,
      max_tokens: 1024,
      stream,
    };
    return {
      app: APP,
      api: 'anthropic',
      endpoint: 'messages',
      path: '/v1/messages',
      model: task.model,
      streamed: stream,
      body,
    };
  }
}
