/**
 * One simulated realtime session: a conversation built from `conversation.item.create` and committed
 * input audio, answered on `response.create` with a paced stream of deltas and a `response.done`
 * whose usage splits text and audio the way OpenAI reports it.
 */
import type { WebSocket } from 'ws';
import { isRecord, parseObject } from '../../common/json.ts';
import type { SimulatorContext } from './context.ts';
import { estimateTokens } from './prompt.ts';
import { answerPieces, chunkPieces } from './text.ts';
import { paceChunks } from './timing.ts';
import { audioTokensOf, realtimeUsage } from './realtime-usage.ts';

export interface SimSessionSettings {
  model: string;
  /** Speak the beta's event names (`OpenAI-Beta: realtime=v1`). */
  beta: boolean;
}

interface Item {
  textTokens: number;
  audioTokens: number;
  text: string;
}

/** GA event names and their beta spelling. */
const BETA_NAMES: Record<string, string> = {
  'conversation.item.added': 'conversation.item.created',
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio.delta': 'response.audio.delta',
};
/** Spoken output: about 0.4 s a word at 20 audio tokens a second. */
const AUDIO_TOKENS_PER_WORD = 8;
const TOKENS_PER_ITEM = 4;
/** 10 ms of pcm16 silence per audio delta: the size of the payload matters, not its sound. */
const SILENCE = Buffer.alloc(480).toString('base64');

export class RealtimeSimSession {
  private readonly ws: WebSocket;
  private readonly ctx: SimulatorContext;
  private readonly settings: SimSessionSettings;
  private readonly id: string;
  private readonly items: Item[] = [];
  private instructions = 'You are a helpful assistant.';
  /** Text by default here (OpenAI defaults to audio): tests and the demo read text. */
  private modalities: string[] = ['text'];
  private audioBytes = 0;
  private counter = 0;
  private responding: AbortController | null = null;
  /** The previous response's prompt: the provider has it cached for the next one. */
  private previousPrompt = 0;

  constructor(ws: WebSocket, ctx: SimulatorContext, settings: SimSessionSettings) {
    this.ws = ws;
    this.ctx = ctx;
    this.settings = settings;
    this.id = `sess_${ctx.rng.int(1e9, 9e9).toString(36)}`;
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', () => this.responding?.abort());
    ws.on('error', () => ws.terminate());
    this.send('session.created', { session: this.sessionObject() });
  }

  /** Closes the session; a peer that does not answer the close frame is cut off after a second. */
  end(code: number, reason: string): void {
    this.responding?.abort();
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  /** Binary frames are not part of the Realtime API; the simulator echoes them so relays can be tested. */
  private receive(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.ws.send(data, { binary: true });
    const event = parseObject(data.toString('utf8'));
    if (!event || typeof event.type !== 'string') {
      return this.error('invalid_json', 'The server could not parse the event as JSON.', null);
    }
    const clientEventId = typeof event.event_id === 'string' ? event.event_id : null;
    switch (event.type) {
      case 'session.update':
        return this.updateSession(event.session);
      case 'conversation.item.create':
        return this.addItem(event.item, clientEventId);
      case 'input_audio_buffer.append':
        this.audioBytes += typeof event.audio === 'string' ? Math.floor((event.audio.length * 3) / 4) : 0;
        return;
      case 'input_audio_buffer.commit':
        return this.commitAudio(clientEventId);
      case 'input_audio_buffer.clear':
        this.audioBytes = 0;
        return this.send('input_audio_buffer.cleared', {});
      case 'response.create':
        return void this.respond(event.response, clientEventId);
      case 'response.cancel':
        if (this.responding) return this.responding.abort();
        return this.error(
          'response_cancel_not_active',
          'There is no active response to cancel.',
          clientEventId,
        );
      default:
        return this.error('invalid_value', `Invalid value: '${event.type}'.`, clientEventId);
    }
  }

  private updateSession(session: unknown): void {
    if (isRecord(session)) {
      if (typeof session.instructions === 'string') this.instructions = session.instructions;
      const modalities = session.output_modalities ?? session.modalities;
      if (Array.isArray(modalities)) this.modalities = modalities.filter((m) => typeof m === 'string');
    }
    this.send('session.updated', { session: this.sessionObject() });
  }

  private addItem(raw: unknown, clientEventId: string | null): void {
    if (!isRecord(raw) || !Array.isArray(raw.content)) {
      return this.error('invalid_value', 'The item must be a message with a content array.', clientEventId);
    }
    let text = '';
    let audioTokens = 0;
    for (const part of raw.content) {
      if (!isRecord(part)) continue;
      if (typeof part.text === 'string') text += part.text;
      if (typeof part.audio === 'string')
        audioTokens += audioTokensOf(Math.floor((part.audio.length * 3) / 4));
    }
    this.remember({ text, textTokens: estimateTokens(text) + TOKENS_PER_ITEM, audioTokens }, raw.role);
  }

  private commitAudio(clientEventId: string | null): void {
    if (this.audioBytes === 0) {
      return this.error(
        'input_audio_buffer_commit_empty',
        'Error committing input audio buffer: buffer is empty.',
        clientEventId,
      );
    }
    const audioTokens = audioTokensOf(this.audioBytes);
    this.audioBytes = 0;
    const itemId = this.nextId('item');
    this.send('input_audio_buffer.committed', { previous_item_id: null, item_id: itemId });
    this.remember({ text: '', textTokens: TOKENS_PER_ITEM, audioTokens }, 'user', itemId);
  }

  private remember(item: Item, role: unknown, itemId = this.nextId('item')): void {
    this.items.push(item);
    const content =
      item.audioTokens > 0
        ? [{ type: 'input_audio', transcript: null }]
        : [{ type: 'input_text', text: item.text }];
    const shown = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role,
      content,
    };
    this.send('conversation.item.added', { previous_item_id: null, item: shown });
    if (!this.settings.beta) this.send('conversation.item.done', { previous_item_id: null, item: shown });
  }

  private async respond(options: unknown, clientEventId: string | null): Promise<void> {
    if (this.responding) {
      const message = 'Conversation already has an active response in progress.';
      return this.error('conversation_already_has_active_response', message, clientEventId);
    }
    const abort = new AbortController();
    this.responding = abort;
    const requested = isRecord(options) ? options : {};
    const modalities = Array.isArray(requested.output_modalities)
      ? requested.output_modalities.filter((m): m is string => typeof m === 'string')
      : this.modalities;
    const audio = modalities.includes('audio');
    const ids = {
      response_id: this.nextId('resp'),
      item_id: this.nextId('item'),
      output_index: 0,
      content_index: 0,
    };
    const prompt = this.prompt();
    this.send('response.created', {
      response: this.response(ids.response_id, 'in_progress', modalities, null),
    });
    const item = { id: ids.item_id, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.send('response.output_item.added', { response_id: ids.response_id, output_index: 0, item });
    const answer = await this.stream(ids, requested.max_output_tokens, audio, abort.signal);
    this.responding = null;
    if (!audio) this.send('response.output_text.done', { ...ids, text: answer.text });
    const output = { text: answer.words, audio: audio ? answer.words * AUDIO_TOKENS_PER_WORD : 0 };
    this.items.push({
      text: answer.text,
      textTokens: answer.words + TOKENS_PER_ITEM,
      audioTokens: output.audio,
    });
    const status = answer.completed ? 'completed' : 'cancelled';
    const usage = realtimeUsage(prompt, output, this.previousPrompt);
    this.send('response.done', { response: this.response(ids.response_id, status, modalities, usage) });
    this.previousPrompt = prompt.text + prompt.audio;
  }

  /** Paced deltas of a made-up answer; stops early when the response is cancelled or the socket closes. */
  private async stream(
    ids: Record<string, string | number>,
    maxOutputTokens: unknown,
    audio: boolean,
    signal: AbortSignal,
  ): Promise<{ text: string; words: number; completed: boolean }> {
    const fingerprint = this.items.map((item) => item.text).join('\u0001');
    const rng = this.ctx.contentRng(this.settings.model, fingerprint, undefined);
    const limit = typeof maxOutputTokens === 'number' ? maxOutputTokens : Infinity;
    const chunks = chunkPieces(answerPieces(rng, rng.int(12, 40)).slice(0, limit), rng, 3);
    const { speed } = this.ctx.settings;
    const timing = { acceptedMs: 0, firstTokenMs: 300 / speed, perTokenMs: 20 / speed };
    let text = '';
    let words = 0;
    const tokenCounts = chunks.map((chunk) => chunk.tokens);
    const completed = await paceChunks(tokenCounts, timing, signal, (index) => {
      const chunk = chunks[index]!;
      text += chunk.text;
      words += chunk.tokens;
      if (!audio) return this.send('response.output_text.delta', { ...ids, delta: chunk.text });
      this.send('response.output_audio_transcript.delta', { ...ids, delta: chunk.text });
      this.send('response.output_audio.delta', { ...ids, delta: SILENCE });
    });
    return { text, words, completed };
  }

  private prompt(): { text: number; audio: number } {
    let text = estimateTokens(this.instructions);
    let audio = 0;
    for (const item of this.items) {
      text += item.textTokens;
      audio += item.audioTokens;
    }
    return { text, audio };
  }

  private response(id: string, status: string, modalities: string[], usage: unknown) {
    return {
      id,
      object: 'realtime.response',
      status,
      status_details: null,
      output: [],
      output_modalities: modalities,
      usage,
    };
  }

  private sessionObject() {
    return {
      type: 'realtime',
      object: 'realtime.session',
      id: this.id,
      model: this.settings.model,
      output_modalities: this.modalities,
      instructions: this.instructions,
    };
  }

  private error(code: string, message: string, clientEventId: string | null): void {
    this.send('error', {
      error: { type: 'invalid_request_error', code, message, param: null, event_id: clientEventId },
    });
  }

  private send(type: string, fields: Record<string, unknown>): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const name = this.settings.beta ? (BETA_NAMES[type] ?? type) : type;
    this.ws.send(JSON.stringify({ type: name, event_id: this.nextId('event'), ...fields }));
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.id.slice(5)}${this.counter.toString(36).padStart(4, '0')}`;
  }
}
