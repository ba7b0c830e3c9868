/**
 * `prism proxy --errors` (Stoplight Prism, which checks each request and response against the document) in front of
 * `atakora dev` serving the tools fixture, driven with the examples' traffic — create, list, get, put back what GET
 * returned, patch, delete, `$select`, children, files, negotiate, handlers with and without their optional segment,
 * the documented errors: no violation. A request the document refuses is refused by Prism (it does check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type PrismProxy, startPrismProxy } from './support/prism-proxy.js';

let proxy: PrismProxy | undefined;
let base = '';
const violations: string[] = [];

beforeAll(async () => {
  proxy = await startPrismProxy('test/contract/fixtures/tools/backend.ts');
  base = proxy.base;
});

afterAll(async () => proxy?.stop());

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const answer = await proxy!.call(method, path, body, headers);
  violations.push(...proxy!.violations.splice(0));
  return answer;
}

describe('prism proxy --errors in front of atakora dev', () => {
  it("drives the examples' traffic through the document without a violation", async () => {
    const created = await call('POST', '/api/boards', {
      name: 'Roadmap',
      address: { city: 'Oslo', floor: 3 },
      tags: ['a'],
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const read = await call('GET', `/api/boards/${id}`);
    expect(read.status).toBe(200);
    // The GET body put back as it came (ownerId and tenantId included).
    expect((await call('PUT', `/api/boards/${id}`, read.body)).status).toBe(200);
    expect(
      (
        await call(
          'PATCH',
          `/api/boards/${id}`,
          { address: null },
          {
            'content-type': 'application/merge-patch+json',
          },
        )
      ).status,
    ).toBe(200);
    expect((await call('GET', '/api/boards?$select=name')).status).toBe(200);
    expect((await call('GET', '/api/boards?$first=1&$count=true')).status).toBe(200);
    const card = await call('POST', '/api/cards', { boardId: id, title: 'first' });
    expect(card.status).toBe(201);
    expect((await call('GET', `/api/boards/${id}/cards`)).status).toBe(200);
    // A children page with a next page: its token in the body and in x-ms-continuation.
    expect((await call('POST', '/api/cards', { boardId: id, title: 'second' })).status).toBe(201);
    const page = await call('GET', `/api/boards/${id}/cards?$first=1`);
    expect((page.body as { continuationToken: unknown }).continuationToken).toEqual(
      expect.any(String),
    );
    expect((await call('GET', `/api/cards?$expand=board`)).status).toBe(200);
    expect((await call('POST', '/api/realtime/negotiate')).status).toBe(200);
    expect((await call('GET', '/api/whoami')).body).toEqual({ tag: null });
    expect((await call('GET', '/api/whoami/x')).body).toEqual({ tag: 'x' });
    expect((await call('GET', '/api/health')).status).toBe(200);
    expect((await call('GET', '/api/openapi.json')).status).toBe(200);
    expect((await call('GET', '/api/attachments?limit=5')).status).toBe(200);
    const upload = await call('POST', '/api/attachments', {
      name: 'a.txt',
      contentType: 'text/plain',
      size: 3,
    });
    expect(upload.status).toBe(201);
    // The documented errors: a bad token, a garbage and a stale If-Match, a missing item, another dev user.
    expect((await call('GET', '/api/boards?$after=garbage')).status).toBe(400);
    expect(
      (await call('PUT', `/api/boards/${id}`, { name: 'x' }, { 'if-match': 'garbage' })).status,
    ).toBe(400);
    expect(
      (await call('PUT', `/api/boards/${id}`, { name: 'x' }, { 'if-match': '"stale"' })).status,
    ).toBe(412);
    expect((await call('GET', '/api/boards/nope')).status).toBe(404);
    expect(
      (await call('GET', `/api/boards/${id}`, undefined, { 'x-atakora-dev-user': 'bob@local-dev' }))
        .status,
    ).toBe(404);
    expect((await call('GET', `/api/attachments/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call('DELETE', `/api/boards/${id}`)).status).toBe(204);
    expect(violations).toEqual([]);
    // Every header the runtime sent is declared for that answer (Prism checks only declared ones).
    expect(proxy!.undeclared).toEqual([]);
  });

  it('Prism does check: a body the document refuses is its own 422, before the runtime', async () => {
    const r = await fetch(`${base}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42 }),
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { type: string }).type).toContain('stoplight.io/prism');
  });
});
