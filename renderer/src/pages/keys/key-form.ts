/**
 * The create/edit form as the strings people type, and its conversion to an API request: dollars to
 * exact nanos, counts to integers, models split on commas. Empty means unlimited (null).
 */
import type { KeyCreateRequest, VirtualKeyInfo } from '../../../../contracts/virtual-keys.ts';
import { dollarsInput, parseDollars } from './dollars.ts';

export interface KeyForm {
  name: string;
  project: string;
  daily: string;
  monthly: string;
  rpm: string;
  tpm: string;
  models: string;
}

export type KeyFormField = keyof KeyForm;
export type KeyFormErrors = Partial<Record<KeyFormField, string>>;

/** The request body, complete: every field present, so an edit can clear a limit with null. */
export type KeyRequest = Required<KeyCreateRequest>;
export type KeyFormResult = { ok: true; request: KeyRequest } | { ok: false; errors: KeyFormErrors };

/** The server's own bound (MAX_RATE_LIMIT), so the form refuses what the API would. */
const MAX_RATE = 1_000_000_000;
const MAX_LABEL = 200;

export const EMPTY_FORM: KeyForm = {
  name: '',
  project: '',
  daily: '',
  monthly: '',
  rpm: '',
  tpm: '',
  models: '',
};

export function formFromKey(key: VirtualKeyInfo): KeyForm {
  return {
    name: key.name,
    project: key.project ?? '',
    daily: dollarsInput(key.budgetDailyNanos),
    monthly: dollarsInput(key.budgetMonthlyNanos),
    rpm: key.rpm === null ? '' : String(key.rpm),
    tpm: key.tpm === null ? '' : String(key.tpm),
    models: key.models.join(', '),
  };
}

export function splitModels(text: string): string[] {
  return text
    .split(',')
    .map((model) => model.trim())
    .filter(Boolean);
}

type Check<T> = { ok: true; value: T } | { ok: false; message: string };

function checkLabel(text: string, required: boolean): Check<string | null> {
  const value = text.trim();
  if (value === '')
    return required ? { ok: false, message: 'Give the key a name.' } : { ok: true, value: null };
  if (value.length > MAX_LABEL) return { ok: false, message: `At most ${MAX_LABEL} characters.` };
  return { ok: true, value };
}

function checkRate(text: string, unit: string): Check<number | null> {
  const value = text.trim().replaceAll(',', '');
  if (value === '') return { ok: true, value: null };
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    return { ok: false, message: `Enter a whole number of ${unit} per minute, or leave it empty.` };
  }
  if (Number(value) > MAX_RATE) return { ok: false, message: 'At most 1,000,000,000 per minute.' };
  return { ok: true, value: Number(value) };
}

function checkDollars(text: string): Check<number | null> {
  const parsed = parseDollars(text);
  return parsed.ok ? { ok: true, value: parsed.nanos } : parsed;
}

function checkModels(text: string): Check<string[]> {
  const models = splitModels(text);
  if (models.length > 100) return { ok: false, message: 'At most 100 models.' };
  if (models.some((model) => model.length > MAX_LABEL)) {
    return { ok: false, message: `Each model at most ${MAX_LABEL} characters.` };
  }
  return { ok: true, value: models };
}

/** The request for this form, or a message for every field that is wrong. */
export function requestFromForm(form: KeyForm): KeyFormResult {
  const errors: KeyFormErrors = {};
  const take = <T>(field: KeyFormField, check: Check<T>, fallback: T): T => {
    if (check.ok) return check.value;
    errors[field] = check.message;
    return fallback;
  };
  const request: KeyRequest = {
    name: take('name', checkLabel(form.name, true), null) ?? '',
    project: take('project', checkLabel(form.project, false), null),
    budgetDailyNanos: take('daily', checkDollars(form.daily), null),
    budgetMonthlyNanos: take('monthly', checkDollars(form.monthly), null),
    rpm: take('rpm', checkRate(form.rpm, 'requests'), null),
    tpm: take('tpm', checkRate(form.tpm, 'tokens'), null),
    models: take('models', checkModels(form.models), []),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, request };
}
