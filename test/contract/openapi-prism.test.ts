/**
 * `prism proxy --errors` (Stoplight Prism, which checks each request and response against the document) in front of
 * `atakora dev` serving the tools fixture, driven with the examples' traffic — create, list, get, put back what GET
 * returned, patch, delete, `$select`, children, files, negotiate, handlers with and without their optional segment,
 * the documented errors: no violation. A request the document refuses is refused by Prism (it does check).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { freePort } from '../runtime/support/free-port.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-openapi-prism-'));
let dev: DevSession | undefined;
let prism: ChildProcess | undefined;
let base = '';

beforeAll(async () => {
  dev = await startDev('test/contract/fixtures/tools/backend.ts', { log: () => undefined });
  const upstream = dev.apps[0]!.url;
  // The document as the dev server serves it (its dev sign-in, its origin).
  const doc = join(work, 'openapi.json');
  writeFileSync(doc, await (await fetch(`${upstream}/api/openapi.json`)).text());
  const port = await freePort();
  prism = spawn(
    process.execPath,
    [
      join(root, 'node_modules/@stoplight/prism-cli/dist/index.js'),
      'proxy',
      doc,
      upstream,
      '--errors',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const listening = new Promise<void>((ok, fail) => {
    const seen = (d: Buffer) => {
      out += String(d);
      if (out.includes('Prism is listening')) ok();
    };
    prism!.stdout!.on('data', seen);
    prism!.stderr!.on('data', seen);
    prism!.once('exit', (code) => fail(new Error(`prism exited (${String(code)}): ${out}`)));
  });
  await listening;
  base = `http://127.0.0.1:${String(port)}`;
}, 180_000);

afterAll(async () => {
  prism?.kill();
  await dev?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly violations: string | null;
}

const violations: string[] = [];
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const r = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  const answer = { status: r.status, body: parsed, violations: r.headers.get('sl-violations') };
  // Prism's own answers (its problem types) and its violation header are what the document failed to say.
  const type = (parsed as { type?: unknown } | undefined)?.type;
  if (answer.violations || (typeof type === 'string' && type.includes('stoplight.io/prism')))
    violations.push(`${method} ${path} → ${String(r.status)} ${answer.violations ?? text}`);
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
  }, 120_000);

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
