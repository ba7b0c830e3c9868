import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosmosErrorResponse,
  MAX_RETRY_AFTER_SECONDS,
} from '../../src/runtime/http/cosmos-errors.js';
import { callCosmos, CosmosUnavailableError } from '../../src/runtime/data/cosmos-policy.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { findNonFiniteNumber } from '../../src/runtime/values/json-shape.js';
import { isJsonMediaType } from '../../src/runtime/http/body.js';
import { checkContinuationToken, isWellFormed } from '../../src/runtime/values/text-checks.js';
import { isolatedUserEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

// The pieces behind the mapping, one by one (the built app is exercised in hostile-input-bundle.test.ts).

const problemOf = (r: ReturnType<typeof cosmosErrorResponse>) =>
  JSON.parse(String(r?.body)) as Record<string, unknown>;
const headersOf = (r: ReturnType<typeof cosmosErrorResponse>) =>
  r?.headers as Record<string, string>;

describe('cosmosErrorResponse: one mapping', () => {
  it('429 passes the hint on, rounded up and capped; the write was not applied', () => {
    for (const [ms, expected] of [
      [200, '1'],
      [1500, '2'],
      [60_000, '60'],
      [600_000, String(MAX_RETRY_AFTER_SECONDS)],
      [undefined, '1'],
    ] as const) {
      const r = cosmosErrorResponse({ code: 429, retryAfterInMs: ms }, 'User "1"', 5, {
        write: '1',
      });
      expect(r?.status).toBe(429);
      expect(headersOf(r)['Retry-After']).toBe(expected);
      expect(problemOf(r)).toMatchObject({ outcome: 'not-applied', id: '1' });
    }
  });

  it('408, 449 and every 5xx are 503 + Retry-After; a write says unknown unless the request never left', () => {
    for (const code of [408, 449, 500, 502, 503, 504]) {
      const r = cosmosErrorResponse({ code }, 'User "1"', 7);
      expect([r?.status, headersOf(r)['Retry-After']], String(code)).toEqual([503, '7']);
      expect(problemOf(r).outcome).toBeUndefined();
    }
    expect(
      problemOf(cosmosErrorResponse({ code: 'ECONNRESET' }, 'x', 5, { write: 'w' })),
    ).toMatchObject({ outcome: 'unknown', id: 'w' });
    expect(
      problemOf(cosmosErrorResponse({ code: 'ECONNREFUSED' }, 'x', 5, { write: 'w' })),
    ).toMatchObject({ outcome: 'not-applied' });
    expect(cosmosErrorResponse({ code: 404, substatus: 1003 }, 'x')).toBeUndefined();
  });
});

describe('callCosmos', () => {
  const policy = { timeoutMs: 1000, retryAfterSeconds: 1 };

  it('waits out a throttle whose hint fits in the deadline, and passes one that does not straight on', async () => {
    let calls = 0;
    const ok = await callCosmos(policy, async () => {
      if (++calls === 1)
        throw Object.assign(new Error('throttled'), { code: 429, retryAfterInMs: 50 });
      return 'done';
    });
    expect([ok, calls]).toEqual(['done', 2]);
    // No clock needed: had it waited out the 60 s hint, the 1 s deadline would have answered first with a
    // CosmosUnavailableError, not the 429 itself.
    await expect(
      callCosmos(policy, async () => {
        throw Object.assign(new Error('throttled'), { code: 429, retryAfterInMs: 60_000 });
      }),
    ).rejects.toMatchObject({ code: 429, retryAfterInMs: 60_000 });
  });

  it('a cut-short or garbled answer is "unavailable"; a programming error stays what it is', async () => {
    await expect(
      callCosmos(policy, async () => {
        throw new SyntaxError('Unexpected end of JSON input');
      }),
    ).rejects.toBeInstanceOf(CosmosUnavailableError);
    await expect(
      callCosmos(policy, async () => {
        throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      }),
    ).rejects.toBeInstanceOf(CosmosUnavailableError);
    await expect(
      callCosmos(policy, async () => {
        throw new TypeError('x is not a function');
      }),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(
      callCosmos(policy, async () => {
        throw Object.assign(new TypeError('Invalid character'), { code: 'ERR_INVALID_CHAR' });
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe('input checks', () => {
  it('media types: a real +json subtype, well-formed parameters, UTF-8 only', () => {
    const ok = [
      'application/json',
      'Application/JSON; charset=UTF-8',
      'application/merge-patch+json',
      'application/vnd.a.b+json; charset="utf-8"',
      'application/json;',
      'application/json; profile=x',
    ];
    const bad = [
      'application/+json',
      'application/json; charset=utf-16',
      'application/json; charset=utf8',
      'application/json; charset',
      'application/jsonx',
      'text/json',
      'application/json, text/plain',
      '',
    ];
    expect(ok.filter((t) => !isJsonMediaType(t))).toEqual([]);
    expect(bad.filter((t) => isJsonMediaType(t))).toEqual([]);
  });

  it('tokens, surrogates and numbers', () => {
    expect(
      checkContinuationToken('{"token":"+RID:~abc==#RT:1","range":{"min":"","max":"FF"}}'),
    ).toBeUndefined();
    expect(
      ['€', 'a\u0000b', 'é', 'a'.repeat(16 * 1024 + 1)].map(
        (t) => checkContinuationToken(t) !== undefined,
      ),
    ).toEqual([true, true, true, true]);
    expect([
      isWellFormed('a\ud83d\ude00'),
      isWellFormed('\ud800'),
      isWellFormed('x\udc00'),
    ]).toEqual([true, false, false]);
    expect(findNonFiniteNumber(JSON.parse('{"a":{"b":[1,-1e999]}}'))).toEqual(['a', 'b', '1']);
    expect(
      findNonFiniteNumber(JSON.parse('{"a":1.7976931348623157e308,"b":[0,-0]}')),
    ).toBeUndefined();
  });
});

describe('tenant-checked writes of an entity keyed by /id', () => {
  let cosmos: LocalCosmos;
  let users: Container;
  let api: ReturnType<typeof apiFor>;
  const A = { 'x-tenant-id': 'tenant-a' };
  const B = { 'x-tenant-id': 'tenant-b' };
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    users = await cosmos.container('tw-users', '/id');
    api = apiFor(isolatedUserEntity, createCrudHandlers(isolatedUserEntity, users));
  });
  afterAll(async () => cosmos?.stop());

  it('If-Match is honoured after the tenant check; another tenant gets 404 even with If-Match: *', async () => {
    const created = await api.create({ id: 'w1', name: 'Ann' }, { headers: A });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag')!;
    expect(
      (await api.put('w1', { name: 'Eve' }, { headers: { ...B, 'if-match': '*' } })).status,
    ).toBe(404);
    expect((await api.del('w1', { headers: { ...B, 'if-match': etag } })).status).toBe(404);
    expect(
      (await api.put('w1', { name: 'Ann2' }, { headers: { ...A, 'if-match': '"stale"' } })).status,
    ).toBe(412);
    const replaced = await api.put('w1', { name: 'Ann2' }, { headers: { ...A, 'if-match': etag } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'Ann2', tenantId: 'tenant-a' });
    expect(
      (await api.put('w1', { name: 'Ann3', tenantId: 'tenant-b' }, { headers: A })).status,
    ).toBe(403);
    expect((await api.del('w1', { headers: { ...A, 'if-match': etag } })).status).toBe(412);
    expect((await api.del('w1', { headers: { ...A, 'if-match': '*' } })).status).toBe(204);
    expect(await allItems(users)).toEqual([]);
  });
});
