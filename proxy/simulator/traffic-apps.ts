/**
 * The demo's simulated customer apps, each with its own traffic shape:
 * a support chatbot (multi-turn, long cached system prompt, streamed), a
 * summarizer (long documents, some repeated), a classifier (short prompts
 * sent to a premium model, the classic overspend), an embeddings indexer and
 * a tool-using agent. Each call to next() yields one request to send.
 */
import type { ApiFlavor, Endpoint } from '../../contracts/usage.ts';
import type { Rng } from './random.ts';
import { sentence } from './text.ts';
import {
  ANTHROPIC_TOOLS,
  documents,
  FOLLOW_UPS,
  SUPPORT_QUESTIONS,
  supportSystemPrompt,
  TICKETS,
} from './traffic-corpus.ts';
import { AgentApp } from './traffic-agent.ts';

export interface DemoRequest {
  app: string;
  api: ApiFlavor;
  endpoint: Endpoint;
  /** Path under the proxy origin, e.g. "/v1/messages". */
  path: string;
  model: string;
  streamed: boolean;
  body: Record<string, unknown>;
  /** 'batch': the app can wait for the answer, so Apex may send it through a provider's batch API. */
  urgency?: 'batch';
}

export type AppName = 'support-bot' | 'summarizer' | 'classifier' | 'indexer' | 'ops-agent';

const APP_MIX: Record<AppName, number> = {
  'support-bot': 0.32,
  summarizer: 0.14,
  classifier: 0.26,
  indexer: 0.1,
  'ops-agent': 0.18,
};

interface Conversation {
  api: ApiFlavor;
  turnsLeft: number;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
}

const MAX_CONVERSATIONS = 6;
const DOCUMENT_COUNT = 10;

export function chatRequest(app: string, model: string, body: Record<string, unknown>): DemoRequest {
  const streamed = body.stream === true;
  return {
    app,
    api: 'openai',
    endpoint: 'chat',
    path: '/v1/chat/completions',
    model,
    streamed,
    body: { model, ...body },
  };
}

export function messagesRequest(app: string, model: string, body: Record<string, unknown>): DemoRequest {
  const streamed = body.stream === true;
  return {
    app,
    api: 'anthropic',
    endpoint: 'messages',
    path: '/v1/messages',
    model,
    streamed,
    body: { model, ...body },
  };
}

export class DemoApps {
  private readonly rng: Rng;
  private readonly supportPrompt: string;
  private readonly documents: string[];
  private readonly conversations: Conversation[] = [];
  private readonly agent: AgentApp;

  constructor(rng: Rng) {
    this.rng = rng;
    this.supportPrompt = supportSystemPrompt(rng);
    this.documents = documents(rng, DOCUMENT_COUNT);
    this.agent = new AgentApp(rng, ANTHROPIC_TOOLS);
  }

  next(): DemoRequest {
    switch (this.rng.weighted(APP_MIX)) {
      case 'support-bot':
        return this.supportTurn();
      case 'summarizer':
        return this.summarize();
      case 'classifier':
        return this.classify();
      case 'indexer':
        return this.index();
      case 'ops-agent':
        return this.agent.step();
    }
  }

  private conversation(): Conversation {
    const live = this.conversations.filter((conversation) => conversation.turnsLeft > 0);
    this.conversations.splice(0, this.conversations.length, ...live);
    if (live.length > 0 && (live.length >= MAX_CONVERSATIONS || this.rng.chance(0.7)))
      return this.rng.pick(live);
    const fresh: Conversation = {
      api: this.rng.chance(0.7) ? 'anthropic' : 'openai',
      turnsLeft: this.rng.int(2, 8),
      messages: [],
    };
    this.conversations.push(fresh);
    return fresh;
  }

  /** Sends the whole history, then records a made-up reply so the next turn grows it (and hits the cache). */
  private supportTurn(): DemoRequest {
    const conversation = this.conversation();
    const question =
      conversation.messages.length === 0 ? this.rng.pick(SUPPORT_QUESTIONS) : this.rng.pick(FOLLOW_UPS);
    conversation.messages.push({ role: 'user', content: question });
    conversation.turnsLeft -= 1;
    const history = conversation.messages.map((message) => ({ ...message }));
    conversation.messages.push({
      role: 'assistant',
      content: `${sentence(this.rng, true)} ${sentence(this.rng)}`,
    });
    const stream = this.rng.chance(0.8);
    if (conversation.api === 'openai') {
      const messages = [{ role: 'system', content: this.supportPrompt }, ...history];
      return chatRequest('support-bot', 'gpt-4o-mini', {
        messages,
        max_tokens: 600,
        stream,
        ...usageOption(stream),
      });
    }
    const system = [{ type: 'text', text: this.supportPrompt, cache_control: { type: 'ephemeral' } }];
    return messagesRequest('support-bot', 'claude-sonnet-4-5', {
      system,
      messages: withCachedTail(history),
      max_tokens: 600,
      stream,
    });
  }

  /** Popular documents come up again and again, as dashboards and weekly reports do. */
  private summarize(): DemoRequest {
    const index = Math.min(DOCUMENT_COUNT - 1, Math.floor(this.rng.exponential(2.5)));
    const document = this.documents[index] ?? '';
    const instruction = 'Summarize the following document in five bullet points for an executive audience.';
    const user = `${instruction}\n\n${document}`;
    if (this.rng.chance(0.7)) {
      const messages = [
        { role: 'system', content: 'You write crisp, accurate summaries of internal documents.' },
        { role: 'user', content: user },
      ];
      const request = chatRequest('summarizer', 'gpt-4.1-mini', { messages, max_tokens: 500 });
      // The weekly digests are not read until Monday: they can ride the half-price batch API.
      if (this.rng.chance(0.3)) request.urgency = 'batch';
      return request;
    }
    return messagesRequest('summarizer', 'claude-haiku-4-5', {
      messages: [{ role: 'user', content: user }],
      max_tokens: 500,
    });
  }

  private classify(): DemoRequest {
    const ticket = this.rng.pick(TICKETS);
    const prompt = `Classify the sentiment of this support ticket as Positive, Negative or Neutral. Reply with one word.\n\nTicket: ${ticket}`;
    if (this.rng.chance(0.6)) {
      return chatRequest('classifier', 'gpt-4.1', {
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 5,
        temperature: 0,
      });
    }
    return messagesRequest('classifier', 'claude-opus-4-5', {
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 5,
    });
  }

  /** Batches of passages cut from the documents, as an indexing job would send them. */
  private index(): DemoRequest {
    const document = this.rng.pick(this.documents);
    const passages = document.split('\n\n').filter((passage) => passage.length > 40);
    const start = this.rng.int(0, Math.max(0, passages.length - 4));
    const input = passages.slice(start, start + this.rng.int(4, 16));
    const body = { model: 'text-embedding-3-small', input, encoding_format: 'float' };
    return {
      app: 'indexer',
      api: 'openai',
      endpoint: 'embeddings',
      path: '/v1/embeddings',
      model: body.model,
      streamed: false,
      body,
    };
  }
}

function usageOption(stream: boolean): Record<string, unknown> {
  return stream ? { stream_options: { include_usage: true } } : {};
}

/** Marks the latest user turn as a cache breakpoint, the usual pattern for long chats. */
function withCachedTail(history: Array<{ role: string; content: string }>): unknown[] {
  return history.map((message, index) =>
    index === history.length - 1
      ? {
          role: message.role,
          content: [{ type: 'text', text: message.content, cache_control: { type: 'ephemeral' } }],
        }
      : message,
  );
}
