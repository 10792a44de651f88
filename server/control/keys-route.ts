/**
 * /api/keys: virtual keys for the dashboard and scripts. Budgets and spend are integer nano-dollars
 * on the wire, so the API is exact and the UI alone converts from the dollars people type. A key's
 * secret appears in exactly one answer, the 201 that creates it; no answer carries its hash.
 */
import type {
  CreatedKeyResponse,
  KeyCreateRequest,
  KeyPatchRequest,
  KeyResponse,
  KeysResponse,
  VirtualKeyInfo,
} from '../../contracts/virtual-keys.ts';
import type { KeyAccess } from '../../proxy/keys/access.ts';
import {
  virtualKeyCreateSchema,
  virtualKeyPatchSchema,
  type VirtualKey,
  type VirtualKeyCreateInput,
  type VirtualKeyPatch,
} from '../../proxy/keys/key-schema.ts';
import type { VirtualKeyStore } from '../../proxy/keys/key-store.ts';
import { parse, readJson } from './request-body.ts';
import { ControlError, sendJson } from './respond.ts';
import type { RouteContext } from './routes.ts';

export interface KeyDeps {
  store: VirtualKeyStore;
  access: KeyAccess;
}

// Compile-time only: the contract's request types must stay what the schemas accept.
type Assignable<A extends B, B> = A;
export type CreateRequestMatchesSchema = Assignable<KeyCreateRequest, VirtualKeyCreateInput>;
export type PatchRequestMatchesSchema = Assignable<KeyPatchRequest, VirtualKeyPatch>;

/** The key as the API shows it, field by field so nothing added to VirtualKey leaks by default. */
export function keyInfo(key: VirtualKey, access: KeyAccess, now: number): VirtualKeyInfo {
  const spend = access.ledger.spent(key.id, now);
  return {
    id: key.id,
    name: key.name,
    project: key.project,
    hint: key.hint,
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
    budgetDailyNanos: key.budgetDailyNanos,
    budgetMonthlyNanos: key.budgetMonthlyNanos,
    rpm: key.rpm,
    tpm: key.tpm,
    models: [...key.models],
    spendTodayNanos: spend.dayNanos,
    spendMonthNanos: spend.monthNanos,
  };
}

export function listKeys({ res, deps }: RouteContext): void {
  const keys = keyDeps(deps);
  const now = Date.now();
  const body: KeysResponse = { keys: keys.store.list().map((key) => keyInfo(key, keys.access, now)) };
  sendJson(res, 200, body);
}

export async function createKey({ req, res, deps }: RouteContext): Promise<void> {
  const keys = keyDeps(deps);
  const fields = parse(virtualKeyCreateSchema, await readJson(req));
  const { key, secret } = keys.store.create(fields);
  const body: CreatedKeyResponse = { key: keyInfo(key, keys.access, Date.now()), secret };
  sendJson(res, 201, body);
}

export async function updateKey({ req, res, deps, params }: RouteContext): Promise<void> {
  const keys = keyDeps(deps);
  const id = existingKeyId(keys, params);
  const patch = parse(virtualKeyPatchSchema, await readJson(req));
  const key = keys.store.update(id, patch) ?? notFound(id);
  sendJson(res, 200, { key: keyInfo(key, keys.access, Date.now()) } satisfies KeyResponse);
}

/** Idempotent: revoking a revoked key answers the same key with its first revocation time. */
export function revokeKey({ res, deps, params }: RouteContext): void {
  const keys = keyDeps(deps);
  const id = existingKeyId(keys, params);
  const key = keys.store.revoke(id) ?? notFound(id);
  // A revoked key is refused before the limiter, so its buckets would only sit in memory.
  keys.access.limiter.forget(id);
  sendJson(res, 200, { key: keyInfo(key, keys.access, Date.now()) } satisfies KeyResponse);
}

function keyDeps(deps: RouteContext['deps']): KeyDeps {
  if (deps.keys) return deps.keys;
  throw new ControlError(503, 'keys_unavailable', 'virtual keys need the proxy; start apex serve');
}

/** The {id} of the path when such a key exists; checked before the body, so 404 wins over 400. */
function existingKeyId(keys: KeyDeps, params: RouteContext['params']): string {
  const id = params['id'] ?? '';
  if (!keys.store.get(id)) notFound(id);
  return id;
}

function notFound(id: string): never {
  throw new ControlError(404, 'not_found', `no virtual key with id "${id}"`);
}
