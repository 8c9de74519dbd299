import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { importSub } from '../src/domain/import/import-sub.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

describe('subs of imported users', () => {
  it('are version-4 UUIDs that begin with the import time, so later imports sort after earlier ones', () => {
    const t = Date.UTC(2026, 11, 6, 6, 0, 0);
    const a = importSub(t, randomUUID());
    const b = importSub(t + 1, randomUUID());
    assert.match(a, UUID_V4);
    assert.match(b, UUID_V4);
    assert.equal(a.slice(0, 13).replace('-', ''), t.toString(16).padStart(12, '0'));
    assert.ok(a < b);
  });

  it('keep the random part, so subs made in the same millisecond differ', () => {
    const t = 1_700_000_000_000;
    const subs = new Set(Array.from({ length: 1000 }, () => importSub(t, randomUUID())));
    assert.equal(subs.size, 1000);
  });
});
