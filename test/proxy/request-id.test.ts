import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../proxy/forward/request-id.ts';

describe('request ids', () => {
  it('are unique version-7 UUIDs that sort by creation time, across pool refills', async () => {
    const first = Array.from({ length: 600 }, () => newRequestId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = newRequestId();
    const uuid7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const id of [...first, later]) expect(id).toMatch(uuid7);
    expect(new Set(first).size).toBe(first.length);
    expect([...first].sort()).toEqual(first);
    expect(later > first.at(-1)!).toBe(true);
  });
});
