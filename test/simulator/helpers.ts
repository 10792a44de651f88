import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RunningSimulator } from '../../proxy/simulator/server.ts';

/** Fast enough for tests, slow enough that pacing code paths still run. */
export const TEST_SPEED = 2000;

export function openaiClient(simulator: RunningSimulator, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${simulator.url}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

export function anthropicClient(
  simulator: RunningSimulator,
  headers: Record<string, string> = {},
): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: simulator.url,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

/** About `tokens` tokens of varied text (4 characters a token), stable across calls. */
export function longText(tokens: number, salt = ''): string {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  let text = salt;
  for (let i = 0; text.length < tokens * 4; i++) text += ` ${words[i % words.length]}${i % 97}`;
  return text;
}
