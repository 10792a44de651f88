import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Arm } from '../../contracts/optimization.ts';
import type { ProofConfig } from '../config/optimizers-schema.ts';

/** Which proof-of-value arm a request belongs to, and the unit it was drawn for. */
export interface Assignment {
  arm: Arm;
  /** A hash of the unit; the raw user id or key never reaches the store. */
  unitId: string;
  experiment: { name: string; side: 'a' | 'b' } | null;
}

/**
 * Draws the arm from a hash of the unit, so one user stays in one arm for as long as the salt and
 * shares stay the same: a control group that changed membership per request would let optimized
 * and unoptimized traffic of the same user mix, and the comparison would prove nothing.
 */
export function assignArm(
  proof: ProofConfig,
  headers: IncomingHttpHeaders,
  body: Record<string, unknown>,
  keyId: string | null,
): Assignment {
  const unit = proof.splitBy === 'user' ? (userOf(headers, body) ?? keyId) : keyId;
  const unitKey = unit ?? 'anonymous';
  const unitId = `u_${digest(`${proof.salt}\u001funit\u001f${unitKey}`).toString('base64url').slice(0, 16)}`;
  if (uniform(proof.salt, 'control', unitKey) < proof.controlShare) {
    return { arm: 'control', unitId, experiment: null };
  }
  for (const experiment of proof.experiments) {
    if (uniform(proof.salt, `exp:${experiment.name}`, unitKey) >= experiment.share) continue;
    const side = uniform(proof.salt, `side:${experiment.name}`, unitKey) < 0.5 ? 'a' : 'b';
    return { arm: `exp:${experiment.name}:${side}`, unitId, experiment: { name: experiment.name, side } };
  }
  return { arm: 'treatment', unitId, experiment: null };
}

/** The end user as the SDKs name it: OpenAI's user / safety_identifier, Anthropic's metadata.user_id. */
function userOf(headers: IncomingHttpHeaders, body: Record<string, unknown>): string | null {
  const header = headers['x-apex-user'];
  if (typeof header === 'string' && header !== '') return header;
  for (const candidate of [body['user'], body['safety_identifier'], metadataUser(body['metadata'])]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}

function metadataUser(metadata: unknown): unknown {
  return metadata !== null && typeof metadata === 'object'
    ? (metadata as Record<string, unknown>)['user_id']
    : null;
}

/** A uniform draw in [0, 1) from 48 bits of SHA-256; independent per purpose for the same unit. */
function uniform(salt: string, purpose: string, unit: string): number {
  return digest(`${salt}\u001f${purpose}\u001f${unit}`).readUIntBE(0, 6) / 2 ** 48;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
