/**
 * The control API's virtual-key shapes, for the server and the renderer alike. Budgets and spend
 * are integer nano-dollars (`...Nanos`), rate limits integers per minute, times epoch milliseconds.
 * The server validates request bodies with proxy/keys/key-schema.ts, which these types mirror
 * (server/control/keys-route.ts checks at compile time that they agree).
 */

/** One key as the API shows it: never its secret, never the secret's hash. */
export interface VirtualKeyInfo {
  id: string;
  name: string;
  project: string | null;
  /** First 7 and last 4 characters of the secret, e.g. `sk-apex...x9Qz`. */
  hint: string;
  createdAt: number;
  revokedAt: number | null;
  /** Null: no budget. */
  budgetDailyNanos: number | null;
  budgetMonthlyNanos: number | null;
  /** Requests per minute; null: no limit. */
  rpm: number | null;
  /** Tokens per minute; null: no limit. */
  tpm: number | null;
  /** Allowed requested-model globs (`*` wildcard); empty allows every model. */
  models: string[];
  /** Spend so far in the current UTC day and month. */
  spendTodayNanos: number;
  spendMonthNanos: number;
}

/** GET /api/keys: every key, revoked ones included, oldest first. */
export interface KeysResponse {
  keys: VirtualKeyInfo[];
}

/** PATCH /api/keys/{id} and POST /api/keys/{id}/revoke. */
export interface KeyResponse {
  key: VirtualKeyInfo;
}

/** POST /api/keys (201): the only answer that ever contains the secret. */
export interface CreatedKeyResponse {
  key: VirtualKeyInfo;
  /** `sk-apex-` + 32 characters; Apex keeps only its hash. */
  secret: string;
}

/** POST /api/keys body: only the name is required; what is left out is unlimited. */
export interface KeyCreateRequest {
  name: string;
  project?: string | null;
  budgetDailyNanos?: number | null;
  budgetMonthlyNanos?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  models?: string[];
}

/** PATCH /api/keys/{id} body: any subset of the fields; null clears a budget, limit or project. */
export interface KeyPatchRequest {
  name?: string;
  project?: string | null;
  budgetDailyNanos?: number | null;
  budgetMonthlyNanos?: number | null;
  rpm?: number | null;
  tpm?: number | null;
  models?: string[];
}
