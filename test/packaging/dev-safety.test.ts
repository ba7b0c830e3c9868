/**
 * `atakora dev` is safe by default and behaves as Azure does — loopback Host headers only, no
 * cross-site function invocation, no dev user for other origins (nor under corsOrigins '*'), 400 for malformed
 * input, 401 for anonymous callers on every route but health, routes tried in function-name order.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import {
  adminAllowed,
  checkHost,
  decodePath,
  originTrusted,
} from '../../src/cli/dev/loopback/guard.js';
import { devBanner } from '../../src/cli/dev/session/banner.js';
import { devSafetyLines } from '../../src/cli/dev/session/safety-banner.js';
import { corsHeadersFor } from '../../src/cli/dev/sign-in/sign-in.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
const logs: string[] = [];
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/safety-backend.ts', { log: (l) => logs.push(l) });
});
afterAll(async () => {
  await dev?.stop();
});

const port = () => Number(new URL(dev.apps[0]!.url).port);
const url = (path: string) => `${dev.apps[0]!.url}${path}`;
/** A raw HTTP/1.1 request, so the Host header (which fetch sets itself) can be anything. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: port(), method, path, headers, setHost: false },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const jobRuns = () => logs.filter((l) => l.includes('job-ran')).length;

describe('atakora dev answers only loopback Host headers (DNS rebinding)', () => {
  it('localhost, 127.0.0.1 and [::1] with the port are answered; another name or port is 421; no host at all 400', async () => {
    for (const host of [
      `localhost:${String(port())}`,
      `127.0.0.1:${String(port())}`,
      `[::1]:${String(port())}`,
      `LOCALHOST:${String(port())}`,
    ]) {
      expect((await raw('GET', '/api/health', { host })).status).toBe(200);
    }
    const rebound = await raw('GET', '/api/notes', { host: `attacker.example:${String(port())}` });
    expect(rebound.status).toBe(421);
    expect(rebound.headers['content-type']).toMatch(/application\/problem\+json/);
    // The one problem shape of the contract (problemDocument), with 421's title.
    expect(JSON.parse(rebound.text)).toMatchObject({
      type: expect.stringMatching(/^urn:atakora:problem:/),
      title: 'Misdirected Request',
      status: 421,
    });
    expect((await raw('GET', '/api/notes', { host: 'localhost:1' })).status).toBe(421);
    expect(
      (
        await raw(
          'POST',
          '/api/notes',
          { host: 'attacker.example', 'content-type': 'application/json' },
          '{"id":"x","title":"t"}',
        )
      ).status,
    ).toBe(421);
    expect((await raw('GET', '/api/health', { host: '[' })).status).toBe(400);
  });

  it('malformed percent-encoding and invalid JSON on the admin route are 400, never 500', async () => {
    const host = `127.0.0.1:${String(port())}`;
    expect((await raw('GET', '/api/notes/%E0%A4%A', { host })).status).toBe(400);
    expect((await raw('GET', '/api/pages/%zz', { host })).status).toBe(400);
    const bad = await raw(
      'POST',
      '/admin/functions/Ab-jobs',
      { host, 'x-functions-key': dev.adminKey, 'content-type': 'application/json' },
      '{not json',
    );
    expect([bad.status, bad.headers['content-type']]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
    ]);
    expect(
      (
        await raw(
          'POST',
          '/admin/functions/Ab-jobs',
          { host, 'x-functions-key': dev.adminKey },
          '[1]',
        )
      ).status,
    ).toBe(400);
  });
});

describe('the admin API runs handlers only for the developer', () => {
  it("a simple cross-site text/plain POST never runs a handler; the run's key or a JSON request from a trusted origin does", async () => {
    const before = jobRuns();
    const simple = await fetch(url('/admin/functions/Ab-jobs'), {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '{"input":"pwned"}',
    });
    expect(simple.status).toBe(403);
    const noKey = await fetch(url('/admin/functions/Ab-jobs'), {
      method: 'POST',
      body: '{"input":"no key"}',
    });
    expect(noKey.status).toBe(403);
    const jsonCrossSite = await fetch(url('/admin/functions/Ab-jobs'), {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"input":"x"}',
    });
    expect(jsonCrossSite.status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    expect(jobRuns()).toBe(before);
    expect(
      (
        await fetch(url('/admin/functions/Ab-jobs'), {
          method: 'POST',
          headers: { 'x-functions-key': dev.adminKey },
          body: '{"input":"mine"}',
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await fetch(url('/admin/functions/Ab-nightly'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(202);
    // Accepted (202) runs finish on their own time: wait for both rather than a fixed 200 ms.
    await vi.waitFor(
      () => {
        expect(jobRuns()).toBe(before + 2);
      },
      { ...EVENTUALLY, interval: 10 },
    );
    expect(dev.adminKey).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('callers as App Service authentication sees them', () => {
  it('anonymous callers get 401 on user handlers and CRUD routes, and reach only health', async () => {
    const anonymous = { 'x-atakora-dev-user': 'anonymous' };
    const page = await fetch(url('/api/pages/special'), { headers: anonymous });
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toMatch(/problem\+json/);
    expect(
      (await fetch(url('/api/pages/special'), { method: 'POST', headers: anonymous })).status,
    ).toBe(401);
    expect((await fetch(url('/api/notes'), { headers: anonymous })).status).toBe(401);
    expect((await fetch(url('/api/nothing-here'), { headers: anonymous })).status).toBe(401);
    expect((await fetch(url('/api/health'), { headers: anonymous })).status).toBe(200);
    expect((await fetch(url('/api/pages/special'))).status).toBe(200);
  });

  it('another origin is anonymous even under corsOrigins ["*"]: no dev user, no reflected origin, no dev-user header allowed', async () => {
    const evil = await fetch(url('/api/pages/special'), {
      headers: { origin: 'https://evil.example', 'x-atakora-dev-user': 'alice@contoso' },
    });
    expect(evil.status).toBe(401);
    expect(evil.headers.get('access-control-allow-origin')).toBe('*');
    const write = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '{"id":"csrf","title":"t"}',
    });
    expect(write.status).toBe(401);
    const preflight = await fetch(url('/api/notes'), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-atakora-dev-user',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    // The listed dev origin is the developer's own page: signed in, origin reflected.
    const mine = await fetch(url('/api/pages/special'), {
      headers: { origin: 'http://localhost:5173' },
    });
    expect([mine.status, mine.headers.get('access-control-allow-origin')]).toEqual([
      200,
      'http://localhost:5173',
    ]);
  });

  it('routes are tried in function-name order, as the host does (aa-any before Ab-special), not registration order', async () => {
    const answered = (await (await fetch(url('/api/pages/special'))).json()) as {
      fn: string;
      params: Record<string, string>;
    };
    expect(answered).toEqual({ fn: 'aa-any', params: { name: 'special' } });
    // POST: aa-any serves GET only, so the next route in order answers.
    expect(
      (
        (await (await fetch(url('/api/pages/special'), { method: 'POST' })).json()) as {
          fn: string;
        }
      ).fn,
    ).toBe('Ab-special');
  });
});

describe('dev-guard helpers', () => {
  it('checkHost, originTrusted, adminAllowed, decodePath', () => {
    expect(checkHost('localhost', 7071)).toBeUndefined();
    expect(checkHost('[::1]:7071', 7071)).toBeUndefined();
    expect(checkHost('127.0.0.1.nip.io:7071', 7071)).toMatchObject({ status: 421 });
    expect(checkHost(undefined, 7071)).toMatchObject({ status: 400 });
    expect(checkHost('a b', 7071)).toMatchObject({ status: 400 });
    expect(originTrusted(undefined, [], 'localhost:1')).toBe(true);
    expect(originTrusted('http://localhost:1', [], 'localhost:1')).toBe(true);
    expect(originTrusted('https://evil.example', ['*'], 'localhost:1')).toBe(false);
    expect(
      adminAllowed({ key: undefined, contentType: 'text/plain;charset=UTF-8' }, 'k', true),
    ).toBe(false);
    expect(
      adminAllowed(
        { key: undefined, contentType: 'application/json', secFetchSite: 'cross-site' },
        'k',
        true,
      ),
    ).toBe(false);
    expect(adminAllowed({ key: '', contentType: undefined }, '', true)).toBe(false);
    expect(decodePath('/a/%41')).toEqual(['a', 'A']);
    expect(decodePath('/%')).toBeUndefined();
    expect(
      corsHeadersFor('https://x.example', ['*'])!['access-control-allow-headers'],
    ).not.toContain('x-atakora-dev-user');
  });
});

describe('the banner and what is watched', () => {
  it('every trigger line carries its admin URL (timer included); the banner gives the key, the data policy and the watched files', () => {
    const app = dev.apps[0]!;
    const lines = devBanner(dev.apps);
    expect(lines.find((l) => l.includes('Ab-nightly'))).toContain(
      `timer 0 0 2 * * * (POST ${app.url}/admin/functions/Ab-nightly)`,
    );
    expect(lines.find((l) => l.includes('Ab-jobs'))).toContain(
      `(POST ${app.url}/admin/functions/Ab-jobs)`,
    );
    const safety = devSafetyLines(dev);
    expect(safety[0]).toBe(
      `Admin key (x-functions-key on POST /admin/functions/<name>): ${dev.adminKey}`,
    );
    expect(safety.join('\n')).toContain('Local data is NOT kept');
    expect(dev.watched).toContain(resolve('test/packaging/fixtures/safety-flags.json'));
    expect(safety.join('\n')).toContain(
      'Also watched (read by the entry): test/packaging/fixtures/safety-flags.json',
    );
  });
});

describe('--data-dir keeps local data across restarts; stop removes the packages the session built', () => {
  it('an item written in one session is read in the next, and its quoted ETag is accepted back as sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atakora-data-'));
    try {
      let session = await startDev('test/packaging/fixtures/safety-backend.ts', {
        dataDir: dir,
        log: () => undefined,
      });
      const built = session.packages;
      try {
        expect(session.dataDir).toBe(dir);
        expect(devSafetyLines(session).join('\n')).toContain('Local data is kept in');
        const created = await fetch(`${session.apps[0]!.url}/api/notes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'kept', title: 'survives' }),
        });
        expect(created.status).toBe(201);
        expect(built.length).toBeGreaterThan(0);
        for (const f of built) expect(existsSync(f)).toBe(true);
      } finally {
        await session.stop();
      }
      expect(existsSync(join(dir, 'cosmos-data.json'))).toBe(true);
      for (const f of built) expect(existsSync(f)).toBe(false);
      session = await startDev('test/packaging/fixtures/safety-backend.ts', {
        dataDir: dir,
        log: () => undefined,
      });
      try {
        const read = await fetch(`${session.apps[0]!.url}/api/notes/kept`);
        expect([read.status, ((await read.json()) as { title?: string }).title]).toEqual([
          200,
          'survives',
        ]);
        // RFC form on the way out, and accepted back as sent.
        const etag = read.headers.get('etag')!;
        expect(etag).toMatch(/^"[^"]+"$/);
        const put = await fetch(`${session.apps[0]!.url}/api/notes/kept`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'if-match': etag },
          body: JSON.stringify({ title: 'changed' }),
        });
        expect(put.status).toBe(200);
      } finally {
        await session.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
