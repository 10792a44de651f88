import type { CompressibleEndpoint } from '../../proxy/optimizers/compression/index.ts';
import type { Conversation, Turn } from './conversations.ts';

/** Renders a neutral conversation as an OpenAI chat, Anthropic messages or OpenAI responses body. */

type Json = Record<string, unknown>;

function chatMessages(turn: Turn): Json[] {
  if (turn.kind !== 'tools') return [{ role: turn.kind, content: turn.text }];
  const toolCalls = turn.calls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
  return [
    { role: 'assistant', content: turn.text ?? null, tool_calls: toolCalls },
    ...turn.calls.map((call, i) => ({ role: 'tool', tool_call_id: call.id, content: turn.results[i] })),
  ];
}

function anthropicMessages(turn: Turn): Json[] {
  if (turn.kind !== 'tools') return [{ role: turn.kind, content: [{ type: 'text', text: turn.text }] }];
  const uses = turn.calls.map((call) => ({
    type: 'tool_use',
    id: call.id,
    name: call.name,
    input: call.args,
  }));
  return [
    { role: 'assistant', content: [...(turn.text ? [{ type: 'text', text: turn.text }] : []), ...uses] },
    {
      role: 'user',
      content: turn.calls.map((call, i) => ({
        type: 'tool_result',
        tool_use_id: call.id,
        content: turn.results[i],
      })),
    },
  ];
}

/** Anthropic clients send alternating roles, so consecutive same-role messages are merged. */
function alternate(messages: Json[]): Json[] {
  const out: Json[] = [];
  for (const message of messages) {
    const last = out.at(-1);
    if (last && last['role'] === message['role']) {
      last['content'] = [...(last['content'] as unknown[]), ...(message['content'] as unknown[])];
    } else {
      out.push({ ...message });
    }
  }
  return out;
}

function responsesItems(turn: Turn): Json[] {
  if (turn.kind !== 'tools') return [{ role: turn.kind, content: turn.text }];
  return [
    ...(turn.text ? [{ role: 'assistant', content: turn.text }] : []),
    ...turn.calls.map((call) => ({
      type: 'function_call',
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.args),
    })),
    ...turn.calls.map((call, i) => ({
      type: 'function_call_output',
      call_id: call.id,
      output: turn.results[i],
    })),
  ];
}

export function render(conversation: Conversation, endpoint: CompressibleEndpoint): Json {
  const { system, tools, turns } = conversation;
  if (endpoint === 'chat') {
    return {
      model: 'gpt-4o',
      messages: [{ role: 'system', content: system }, ...turns.flatMap(chatMessages)],
      ...(tools.length > 0
        ? {
            tools: tools.map((t) => ({
              type: 'function',
              function: { name: t.name, description: t.description, parameters: t.schema },
            })),
          }
        : {}),
    };
  }
  if (endpoint === 'messages') {
    return {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
      messages: alternate(turns.flatMap(anthropicMessages)),
      ...(tools.length > 0
        ? { tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.schema })) }
        : {}),
    };
  }
  return {
    model: 'gpt-4.1',
    instructions: system,
    input: turns.flatMap(responsesItems),
    ...(tools.length > 0
      ? {
          tools: tools.map((t) => ({
            type: 'function',
            name: t.name,
            description: t.description,
            parameters: t.schema,
          })),
        }
      : {}),
  };
}
