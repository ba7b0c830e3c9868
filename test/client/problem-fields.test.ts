/**
 * The typed client's ProblemError keeps what a front end acts on: `retryAfter` from `Retry-After` (seconds or an
 * HTTP-date), the rate limit's `policy`, and every extension member of the problem document, narrowed per code by
 * `is(code)`. Driven through `createClient` with a fetch stand-in answering as the runtime does.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
  }),
});

/** A client whose every call is answered with `status`, `body` (problem+json) and `headers`. */
function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  return createClient<typeof backend>({
    baseUrls: { notes: 'https://app.test/api/notes' },
    getToken: () => undefined,
    fetch: (() =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/problem+json', ...headers },
        }),
      )) as typeof fetch,
  });
}

const refused = async (client: ReturnType<typeof answering>): Promise<ProblemError> => {
  const e = await client.notes.get('n1').catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ProblemError);
  return e as ProblemError;
};

describe('ProblemError keeps the problem', () => {
  it('a rate-limited 429: retryAfter in seconds, the policy, the extension members', async () => {
    const e = await refused(
      answering(
        429,
        {
          type: 'urn:atakora:problem:rate-limited',
          title: 'Rate limited',
          status: 429,
          detail: 'You made your 120 requests this minute: retry after 12 s.',
          policy: 'user',
        },
        {
          'retry-after': '12',
          'ratelimit-policy': '"user";q=120;w=60',
          ratelimit: '"user";r=0;t=12',
        },
      ),
    );
    expect(e).toMatchObject({
      status: 429,
      code: 'rate-limited',
      title: 'Rate limited',
      retryAfter: 12,
      policy: 'user',
      extensions: { policy: 'user' },
    });
    expect(e.is('rate-limited')).toBe(true);
    expect(e.is('quota-exceeded')).toBe(false);
    if (e.is('rate-limited')) expect(e.extensions.policy).toBe('user');
  });

  it('an HTTP-date Retry-After counts from now; none or garbage is undefined', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const later = await refused(
      answering(503, { type: 'urn:atakora:problem:unavailable' }, { 'retry-after': at }),
    );
    expect(later.retryAfter).toBeGreaterThanOrEqual(88);
    expect(later.retryAfter).toBeLessThanOrEqual(90);
    const past = await refused(
      answering(503, {}, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }),
    );
    expect(past.retryAfter).toBe(0);
    expect((await refused(answering(404, {}))).retryAfter).toBeUndefined();
    expect(
      (await refused(answering(429, {}, { 'retry-after': 'soon' }))).retryAfter,
    ).toBeUndefined();
  });

  it('too-many-connections and access-denied carry their members; the standard ones are not extensions', async () => {
    const e = await refused(
      answering(429, {
        type: 'urn:atakora:problem:too-many-connections',
        title: 'Too many connections',
        status: 429,
        detail: 'Your tenant has 20 live realtime connections.',
        scope: 'tenant',
        limit: 20,
      }),
    );
    expect(e.extensions).toEqual({ scope: 'tenant', limit: 20 });
    expect(e.policy).toBeUndefined();
    if (e.is('too-many-connections'))
      expect([e.extensions.scope, e.extensions.limit]).toEqual(['tenant', 20]);
    const denied = await refused(
      answering(403, {
        type: 'urn:atakora:problem:access-denied',
        status: 403,
        detail: 'You may not delete Note items.',
        operation: 'delete',
        rules: ['role NoteAdmin'],
        errors: [],
      }),
    );
    expect(denied.extensions).toEqual({ operation: 'delete', rules: ['role NoteAdmin'] });
  });

  it('an answer without a problem document still has a status, no extension and no retryAfter', async () => {
    const client = createClient<typeof backend>({
      baseUrls: { notes: 'https://app.test/api/notes' },
      getToken: () => undefined,
      fetch: (() => Promise.resolve(new Response('Bad gateway', { status: 502 }))) as typeof fetch,
    });
    const e = await refused(client);
    expect(e).toMatchObject({ status: 502, type: 'about:blank', code: undefined, extensions: {} });
    expect(e.retryAfter).toBeUndefined();
  });
});
