import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const IDS_PER_FILL = 256;
const pool = Buffer.alloc(16 * IDS_PER_FILL);
let offset = pool.length;
let lastMs = 0;
let sequence = 0;

/**
 * A time-ordered (RFC 9562 v7) id, so the store's primary key grows at its
 * end, and that sort in creation order. Random bytes come from a pool refilled every 256 ids: uuid's own
 * source asks Web Crypto for 16 bytes per id, which showed up in the hot
 * path's profile at a few microseconds a request.
 */
export function newRequestId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  // RFC 9562 §6.2 counter: ids made within one millisecond still sort in order,
  // and a clock stepping backwards never makes an id sort before an older one.
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    sequence++;
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence });
}
