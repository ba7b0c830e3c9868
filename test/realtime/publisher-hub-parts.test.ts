import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Publisher } from '../../src/runtime/realtime/publisher.js';
import type { RealtimeService } from '../../src/runtime/realtime/service.js';
import { compileFilter } from '../../src/cli/dev/realtime/hub-filter.js';
import { verifyHs256 } from '../../src/cli/dev/realtime/hub-jwt.js';

function slowService(log: string[], fail?: (group: string) => boolean): RealtimeService {
  return {
    async send(group, data) {
      // Later sends finish first, unless the publisher keeps them apart.
      const n = (data as { n: number }).n;
      await new Promise((r) => setTimeout(r, 20 - n * 3));
      if (fail?.(group)) throw new Error('service said 429');
      log.push(`${group}:${String(n)}`);
    },
    clientUrl: () => Promise.resolve('ws://x'),
  };
}

describe('Publisher', () => {
  it('keeps each group’s sends in order while groups go in parallel, and never blocks the caller', async () => {
    const log: string[] = [];
    const p = new Publisher(slowService(log));
    for (let n = 0; n < 5; n++)
      p.enqueue([
        { group: 'a', data: { n } },
        { group: 'b', data: { n } },
      ]);
    // enqueue returned without waiting for any send.
    expect(log).toEqual([]);
    expect(p.pending).toBe(10);
    await p.idle();
    expect(p.pending).toBe(0);
    expect(log.filter((l) => l.startsWith('a:'))).toEqual(['a:0', 'a:1', 'a:2', 'a:3', 'a:4']);
    expect(log.filter((l) => l.startsWith('b:'))).toEqual(['b:0', 'b:1', 'b:2', 'b:3', 'b:4']);
  });

  it('starts no send before the write’s answer has gone: nothing in the microtasks after enqueue', async () => {
    const started: string[] = [];
    const p = new Publisher({
      send(group) {
        started.push(group);
        return Promise.resolve();
      },
      clientUrl: () => Promise.resolve('ws://x'),
    });
    // A handler enqueues, then its answer travels through promise continuations to the host: none of them may
    // carry the send's work (it would be counted in the request's time).
    p.enqueue([{ group: 'a', data: { n: 0 } }]);
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(started).toEqual([]);
    await new Promise((r) => setImmediate(r));
    await p.idle();
    expect(started).toEqual(['a']);
  });

  it('drops (and logs) what is over its bound, and logs a failed send without throwing', async () => {
    const log: string[] = [];
    const lines: string[] = [];
    const p = new Publisher(
      slowService(log, (g) => g === 'bad'),
      (l) => lines.push(l),
      {
        maxQueued: 2,
        maxInFlight: 1,
      },
    );
    p.enqueue([
      { group: 'bad', data: { n: 0 } },
      { group: 'ok', data: { n: 1 } },
      { group: 'over', data: { n: 2 } },
    ]);
    await p.idle();
    expect(log).toEqual(['ok:1']);
    expect(lines.map((l) => (JSON.parse(l) as { outcome: string }).outcome).sort()).toEqual([
      'dropped',
      'send_failed',
    ]);
  });
});

describe('the loopback hub’s filter and token checks', () => {
  const subject = { userId: 'U1', connectionId: 'c-1', groups: new Set(['g1', 'x.o.ab']) };

  it.each([
    ["'g1' in groups", true],
    ["'G1' in groups", true],
    ["not('x.o.ab' in groups)", false],
    ["userId eq 'u1'", true],
    ["userId ne 'u1' or 'g1' in groups", true],
    ["(userId ne 'u1') and not('g2' in groups)", false],
    ["connectionId eq 'c-1' and true", true],
    ["userId eq 'it''s'", false],
    ['userId eq null', false],
  ])('%s → %s', (filter, expected) => {
    expect(compileFilter(filter)(subject)).toBe(expected);
  });

  it.each([
    'length(userId) gt 3',
    "'g1' in roles",
    "userId eq 'x",
    "userId eq 'x' extra",
    'userId gt 1',
  ])('refuses what it does not understand: %s', (filter) => {
    expect(() => compileFilter(filter)).toThrow();
  });

  it('accepts an HS256 token signed with the key only, and not after it expires', () => {
    const sign = (payload: object, key: string, alg = 'HS256') => {
      const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      const b = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${h}.${b}.${createHmac('sha256', key).update(`${h}.${b}`).digest('base64url')}`;
    };
    const now = 1_000_000;
    expect(verifyHs256(sign({ exp: now + 60, sub: 'u' }, 'k'), 'k', now)).toEqual({
      ok: true,
      claims: { exp: now + 60, sub: 'u' },
    });
    expect(verifyHs256(sign({ exp: now + 60 }, 'other'), 'k', now)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(verifyHs256(sign({ exp: now }, 'k'), 'k', now)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyHs256(sign({}, 'k'), 'k', now)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyHs256(sign({ exp: now + 60 }, 'k', 'none'), 'k', now).ok).toBe(false);
    expect(verifyHs256('a.b', 'k', now).ok).toBe(false);
  });
});
