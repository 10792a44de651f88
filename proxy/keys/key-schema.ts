import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Shapes and secret handling of virtual keys, shared by the store and (later) the control API,
 * which validates its request bodies with the same schemas.
 */

export const SECRET_PREFIX = 'sk-apex-';
const SECRET_BODY_LENGTH = 32;
const ID_BODY_LENGTH = 12;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_PATTERN = new RegExp(`^${SECRET_PREFIX}[0-9A-Za-z]{${SECRET_BODY_LENGTH}}$`);

/** Upper bound on rpm/tpm so the limiter's scaled integer arithmetic stays below 2^53. */
export const MAX_RATE_LIMIT = 1_000_000_000;

export interface VirtualKey {
  id: string;
  name: string;
  project: string | null;
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  secretHash: string;
  /** First 7 and last 4 characters of the secret, for telling keys apart in a list. */
  hint: string;
  createdAt: number;
  revokedAt: number | null;
  budgetDailyNanos: number | null;
  budgetMonthlyNanos: number | null;
  rpm: number | null;
  tpm: number | null;
  /** Allowed requested-model globs (`*` wildcard); empty allows every model. */
  models: readonly string[];
}

const nanos = z.int().nonnegative().nullable();
const rate = z.int().positive().max(MAX_RATE_LIMIT).nullable();
const label = z.string().trim().min(1).max(200);

const keyFields = {
  name: label,
  project: label.nullable(),
  budgetDailyNanos: nanos,
  budgetMonthlyNanos: nanos,
  rpm: rate,
  tpm: rate,
  models: z.array(z.string().trim().min(1).max(200)).max(100),
};

/** Body of "create a key": only the name is required; everything else defaults to unlimited. */
export const virtualKeyCreateSchema = z.strictObject({
  name: keyFields.name,
  project: keyFields.project.default(null),
  budgetDailyNanos: keyFields.budgetDailyNanos.default(null),
  budgetMonthlyNanos: keyFields.budgetMonthlyNanos.default(null),
  rpm: keyFields.rpm.default(null),
  tpm: keyFields.tpm.default(null),
  models: keyFields.models.default([]),
});

/** Body of "change a key": any subset; null clears a budget or limit. Id and secret never change. */
export const virtualKeyPatchSchema = z.strictObject(keyFields).partial();

export type VirtualKeyCreateInput = z.input<typeof virtualKeyCreateSchema>;
export type VirtualKeyCreate = z.output<typeof virtualKeyCreateSchema>;
export type VirtualKeyPatch = z.output<typeof virtualKeyPatchSchema>;

/** `sk-apex-` + 32 base62 characters (~190 bits), drawn without modulo bias. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBase62(SECRET_BODY_LENGTH);
}

export function generateKeyId(): string {
  return `vk_${randomBase62(ID_BODY_LENGTH)}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretHint(secret: string): string {
  return `${secret.slice(0, 7)}...${secret.slice(-4)}`;
}

/** Cheap shape check, so a foreign credential never costs a hash or a lookup. */
export function looksLikeSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would make the first characters more likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
