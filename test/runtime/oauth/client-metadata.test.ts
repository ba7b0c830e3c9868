/**
 * Client ID Metadata Documents (DESIGN.md §2; draft-ietf-oauth-client-id-metadata-document), fetched from a
 * loopback HTTPS stand-in of a client's host with a real certificate (dev's loopback certificate, trusted as
 * `atakora dev` trusts it): the document names itself, its redirect URIs are kept exactly, no redirect is
 * followed, the size and time bounds hold, Cache-Control is honoured up to 24 hours, and loopback, private,
 * link-local and metadata addresses are refused outside dev.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedAddress } from '../../../src/runtime/mcp/oauth/address-guard.js';
import {
  CLIENT_METADATA_MAX_AGE_MS,
  ClientMetadataCache,
} from '../../../src/runtime/mcp/oauth/client-metadata.js';
import { clientIdUrl } from '../../../src/runtime/mcp/oauth/client-id-url.js';
import { testCertificate } from '../../support/test-certificate.js';

const tls = testCertificate();
/** What each path answers: status, headers, body (a function of the document's URL), or never answers. */
type Answer =
  | { status?: number; headers?: Record<string, string>; body: (self: string) => string }
  | 'hang';
const answers = new Map<string, Answer>();
const hits = new Map<string, number>();
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const a = answers.get(path);
    if (a === 'hang') return; // never answers
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body(`${origin}${path}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://localhost:${String((server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const doc =
  (extra: Record<string, unknown> = {}) =>
  (self: string) =>
    JSON.stringify({
      client_id: self,
      client_name: 'Claude',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'http://localhost:6274/callback'],
      token_endpoint_auth_method: 'none',
      ...extra,
    });

const serve = (path: string, answer: Answer) => {
  answers.set(path, answer);
  hits.delete(path);
  return `${origin}${path}`;
};

const dev = (now?: () => number) =>
  new ClientMetadataCache({ allowLocal: true, ca: tls.cert, ...(now ? { now } : {}) });

describe('a client metadata document', () => {
  it('is the client: its name, its host, its redirect URIs exactly', async () => {
    const id = serve('/claude.json', { body: doc() });
    const found = await dev().lookup(id);
    expect(found).toEqual({
      ok: true,
      client: {
        clientId: id,
        name: 'Claude',
        host: new URL(origin).host,
        redirectUris: ['https://claude.ai/api/mcp/auth_callback', 'http://localhost:6274/callback'],
      },
    });
  });

  it('is fetched over verified TLS: a certificate not trusted is a refusal', async () => {
    const untrusting = new ClientMetadataCache({ allowLocal: true });
    const found = await untrusting.lookup(serve('/trusted.json', { body: doc() }));
    expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/certificate/) });
  });

  it('must name itself as its client_id', async () => {
    const id = serve('/impostor.json', {
      body: doc({ client_id: 'https://claude.ai/oauth/mcp-client.json' }),
    });
    const found = await dev().lookup(id);
    expect(found).toMatchObject({ ok: false, error: 'invalid_client' });
  });

  it('refuses a secret, another auth method, and missing or bad redirect URIs', async () => {
    for (const [path, extra] of [
      ['/secret.json', { client_secret: 's' }],
      ['/jwt.json', { token_endpoint_auth_method: 'private_key_jwt' }],
      ['/none.json', { redirect_uris: [] }],
      ['/js.json', { redirect_uris: ['javascript:alert(1)'] }],
      ['/frag.json', { redirect_uris: ['https://a.example/cb#x'] }],
    ] as const) {
      const found = await dev().lookup(serve(path, { body: doc(extra) }));
      expect(found, path).toMatchObject({ ok: false, error: 'invalid_client' });
    }
  });

  it('follows no redirect', async () => {
    serve('/target.json', { body: doc() });
    const id = serve('/moved.json', {
      status: 302,
      headers: { location: `${origin}/target.json` },
      body: () => '',
    });
    const found = await dev().lookup(id);
    expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/redirect/) });
    expect(hits.get('/target.json')).toBeUndefined();
  });

  it('is at most 5 KB: a longer one is refused, whether declared or streamed', async () => {
    const padded = doc({ client_name: 'x'.repeat(5 * 1024) });
    const found = await dev().lookup(serve('/big.json', { body: padded }));
    expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/larger/) });
    const chunked = await dev().lookup(
      serve('/chunked.json', { headers: { 'transfer-encoding': 'chunked' }, body: padded }),
    );
    expect(chunked).toMatchObject({ ok: false, description: expect.stringMatching(/larger/) });
  });

  it('is read within 3 s, else refused', async () => {
    const found = await dev().lookup(serve('/slow.json', 'hang'));
    expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/within 3 s/) });
  });

  it('is not JSON, or a 404: refused', async () => {
    expect(await dev().lookup(serve('/text.json', { body: () => '<html>' }))).toMatchObject({
      ok: false,
    });
    expect(await dev().lookup(`${origin}/missing.json`)).toMatchObject({ ok: false });
  });

  it('is kept as its Cache-Control says, at most 24 hours', async () => {
    let now = 1_000_000;
    const clients = dev(() => now);
    const kept = serve('/kept.json', { headers: { 'cache-control': 'max-age=60' }, body: doc() });
    await clients.lookup(kept);
    now += 59_000;
    await clients.lookup(kept);
    expect(hits.get('/kept.json')).toBe(1);
    now += 2_000;
    await clients.lookup(kept);
    expect(hits.get('/kept.json')).toBe(2);

    const year = serve('/year.json', {
      headers: { 'cache-control': 'public, max-age=31536000' },
      body: doc(),
    });
    await clients.lookup(year);
    now += CLIENT_METADATA_MAX_AGE_MS - 1;
    await clients.lookup(year);
    expect(hits.get('/year.json')).toBe(1);
    now += 2;
    await clients.lookup(year);
    expect(hits.get('/year.json')).toBe(2);

    const never = serve('/never.json', { headers: { 'cache-control': 'no-store' }, body: doc() });
    await clients.lookup(never);
    await clients.lookup(never);
    expect(hits.get('/never.json')).toBe(2);
  });

  it('is never fetched from loopback outside atakora dev', async () => {
    const id = serve('/claude.json', { body: doc() });
    const deployed = new ClientMetadataCache({ allowLocal: false, ca: tls.cert });
    const found = await deployed.lookup(id);
    expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/loopback/) });
    expect(hits.get('/claude.json')).toBeUndefined();
    for (const literal of [
      'https://127.0.0.1/c.json',
      'https://10.0.0.7/c.json',
      'https://[::1]/c.json',
      'https://[::ffff:192.168.1.1]/c.json',
      'https://169.254.169.254/metadata/identity',
    ])
      expect(await deployed.lookup(literal), literal).toMatchObject({ ok: false });
  });
});

describe('the addresses refused', () => {
  it('loopback, private, link-local and reserved outside dev; metadata always; public never', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.0.1',
      '192.168.0.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd12::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::ffff:a00:1',
    ])
      expect(refusedAddress(a, false), a).toBe('local');
    for (const a of ['169.254.169.254', '168.63.129.16', '::ffff:169.254.169.254'])
      expect(refusedAddress(a, true), a).toBe('metadata');
    for (const a of ['20.42.0.1', '8.8.8.8', '2603:1030::1', '172.32.0.1'])
      expect(refusedAddress(a, false), a).toBe(undefined);
    expect(refusedAddress('127.0.0.1', true)).toBe(undefined);
  });

  it('every IPv4 of 10/8 and 169.254/16 is refused outside dev, in either form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (b, c, d) => {
          for (const a of [
            `10.${String(b)}.${String(c)}.${String(d)}`,
            `169.254.${String(c)}.${String(d)}`,
          ]) {
            expect(refusedAddress(a, false)).not.toBe(undefined);
            expect(refusedAddress(`::ffff:${a}`, false)).not.toBe(undefined);
          }
        },
      ),
    );
  });
});

describe('a client_id URL', () => {
  it('is https, with a path, no fragment, no credentials, no dot segments', () => {
    expect(clientIdUrl('https://claude.ai/oauth/mcp-client.json').ok).toBe(true);
    for (const bad of [
      'http://claude.ai/c.json',
      'https://claude.ai/',
      'https://claude.ai',
      'https://u:p@claude.ai/c.json',
      'https://claude.ai/c.json#x',
      'https://claude.ai/a/../c.json',
      'https://claude.ai/a/%2e%2e/c.json',
      'claude',
      '',
    ])
      expect(clientIdUrl(bad).ok, bad).toBe(false);
  });
});
