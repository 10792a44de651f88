/**
 * Validation of a batch's JSONL input file, line by line, the way OpenAI
 * checks it while the batch is `validating`: any problem fails the whole
 * batch, with each problem reported against its (1-based) line.
 */
import { isRecord } from './prompt.ts';

export interface BatchError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export interface InputLine {
  custom_id: string;
  body: Record<string, unknown>;
}

interface Seen {
  ids: Set<string>;
  model?: string;
}

function lineError(line: number, code: string, message: string, param: string | null = null): BatchError {
  return { code, message, param, line };
}

function missing(line: number, param: string): BatchError {
  return lineError(line, 'missing_required_parameter', `Missing required parameter: '${param}'.`, param);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function checkShape(value: unknown, line: number, endpoint: string): BatchError | InputLine {
  if (!isRecord(value))
    return lineError(line, 'invalid_json_line', 'This line is not parseable as valid JSON.');
  if (typeof value.custom_id !== 'string' || value.custom_id === '') return missing(line, 'custom_id');
  if (value.method === undefined) return missing(line, 'method');
  if (value.method !== 'POST') {
    const message = `Invalid value for 'method': '${String(value.method)}'. Only 'POST' is supported.`;
    return lineError(line, 'invalid_value', message, 'method');
  }
  if (value.url === undefined) return missing(line, 'url');
  if (value.url !== endpoint) {
    const message = `The URL provided for this request does not match the batch endpoint '${endpoint}'.`;
    return lineError(line, 'invalid_url', message, 'url');
  }
  if (!isRecord(value.body)) return missing(line, 'body');
  if (typeof value.body.model !== 'string' || value.body.model === '') return missing(line, 'body.model');
  return { custom_id: value.custom_id, body: value.body };
}

function checkLine(text: string, line: number, endpoint: string, seen: Seen): BatchError | InputLine {
  const checked = checkShape(parseJson(text), line, endpoint);
  if ('code' in checked) return checked;
  if (seen.ids.has(checked.custom_id)) {
    const message =
      'The custom_id for this request is a duplicate of another request. ' +
      'The custom_id parameter must be unique for each request in a batch.';
    return lineError(line, 'duplicate_custom_id', message, 'custom_id');
  }
  seen.ids.add(checked.custom_id);
  const model = String(checked.body.model);
  seen.model ??= model;
  if (model !== seen.model) {
    const message =
      `The provided model '${model}' does not match the model '${seen.model}' of the other requests. ` +
      'All requests in a batch must use the same model.';
    return lineError(line, 'mismatched_model', message, 'body.model');
  }
  return checked;
}

export function parseBatchInput(
  content: Buffer,
  endpoint: string,
): { lines: InputLine[]; errors: BatchError[] } {
  const lines: InputLine[] = [];
  const errors: BatchError[] = [];
  const seen: Seen = { ids: new Set() };
  content
    .toString('utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const checked = checkLine(text, index + 1, endpoint, seen);
      if ('code' in checked) errors.push(checked);
      else lines.push(checked);
    });
  if (lines.length === 0 && errors.length === 0)
    errors.push({ code: 'empty_file', message: 'The batch input file is empty.', param: null, line: null });
  return { lines, errors };
}
