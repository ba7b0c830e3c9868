/**
 * `atakora dev` and the user's own `NODE_EXTRA_CA_CERTS` (DESIGN §2, "Agents that sign in to an organization":
 * "allowed under `atakora dev`, which also trusts `NODE_EXTRA_CA_CERTS`"): the worker trusts the certificates of
 * the user's file beside dev's loopback certificate — one bundle, as Node reads one path — so a handler's call to a
 * server of the user's CA, and the runtime's fetch of a Client ID Metadata Document served by one on loopback,
 * verify, while the local Cosmos DB server (dev's certificate) still does. A file that gives nothing is a warning
 * naming it, and dev still serves.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { workerTrust } from '../../src/cli/dev/loopback/trust-bundle.js';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { userCa } from '../support/user-ca.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-extra-ca-'));
const ca = userCa('Contoso Private Root');
const caFile = join(work, 'contoso-root.pem');
writeFileSync(caFile, ca.cert);
const dev = loopbackCertificate(join(work, 'dev'));

const servers: Server[] = [];
let userServer = 0;
let devServer = 0;
let metadataUrl = '';
const REDIRECT = 'http://127.0.0.1:9/callback';

/** An HTTPS server on 127.0.0.1: the Client ID Metadata Document at /client.json, `ok` elsewhere. */
async function serve(cert: string, key: string): Promise<number> {
  const server = createServer({ cert, key }, (req, res) => {
    if (req.url === '/client.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          client_id: metadataUrl,
          client_name: 'Contoso Agent',
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: 'none',
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const leaf = ca.issue(['127.0.0.1', 'localhost']);
  userServer = await serve(leaf.cert, leaf.key);
  metadataUrl = `https://127.0.0.1:${String(userServer)}/client.json`;
  devServer = await serve(dev.cert, dev.key);
});
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(work, { recursive: true, force: true });
});

/** A fresh Node process with only `NODE_EXTRA_CA_CERTS` set, as dev starts a worker: 'ok' or the TLS error's code. */
function fromWorker(extraCaCerts: string, port: number): Promise<string> {
  const script =
    `require('node:https').get({ host: '127.0.0.1', port: ${String(port)} }, (r) => { r.resume(); ` +
    `console.log('ok'); }).on('error', (e) => console.log(e.code || e.message));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: extraCaCerts } },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    );
  });
}

describe('the bundle a worker trusts', () => {
  it("holds the user's certificates and dev's: a worker verifies a server of each, and no other", async () => {
    const trust = workerTrust(join(work, 'dev'), dev.cert, dev.certFile, caFile);
    expect(trust.warning).toBeUndefined();
    expect(trust.file).not.toBe(dev.certFile);
    expect(await fromWorker(trust.file, userServer)).toBe('ok');
    expect(await fromWorker(trust.file, devServer)).toBe('ok');
    // Dev's certificate alone (what dev named before): the user's server is refused.
    expect(await fromWorker(dev.certFile, userServer)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // Another CA's server is still refused with the bundle.
    const stranger = userCa('Somebody Else').issue(['127.0.0.1']);
    expect(await fromWorker(trust.file, await serve(stranger.cert, stranger.key))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });

  it("keeps every certificate of the user's file and drops a block Node could not read, which would lose them all", async () => {
    const second = userCa('Contoso Issuing CA');
    const messy = join(work, 'messy.pem');
    writeFileSync(
      messy,
      [
        '# the company bundle',
        ca.cert,
        '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----',
        second.cert,
      ].join('\n'),
    );
    const trust = workerTrust(join(work, 'dev'), dev.cert, dev.certFile, messy);
    expect(trust.warning).toBeUndefined();
    const blocks = readFileSync(trust.file, 'utf8').match(/-----BEGIN CERTIFICATE-----/g) ?? [];
    expect(blocks).toHaveLength(3);
    const bundle = readFileSync(trust.file, 'utf8');
    for (const c of [ca.cert, second.cert, dev.cert])
      expect(bundle).toContain(new X509Certificate(c).toString().trim());
    expect(await fromWorker(trust.file, userServer)).toBe('ok');
    expect(await fromWorker(trust.file, devServer)).toBe('ok');
  });

  it('a missing file or one without a certificate: a warning naming it (code, path, fix); dev’s own kept', async () => {
    for (const [file, why] of [
      [join(work, 'absent.pem'), 'could not be read (ENOENT)'],
      [join(work, 'README'), 'holds no PEM certificate'],
    ] as const) {
      if (why.startsWith('holds')) writeFileSync(file, 'not a certificate\n');
      const trust = workerTrust(join(work, 'dev'), dev.cert, dev.certFile, file);
      expect(trust.warning).toContain('DEV_EXTRA_CA_CERTS_UNREADABLE');
      expect(trust.warning).toContain(`NODE_EXTRA_CA_CERTS names ${file}, which ${why}`);
      expect(trust.warning).toContain('(at NODE_EXTRA_CA_CERTS)');
      expect(trust.warning).toMatch(/Resolution: Point NODE_EXTRA_CA_CERTS at a readable file/);
      expect(await fromWorker(trust.file, devServer)).toBe('ok');
    }
  });

  it("without the variable the worker names dev's certificate alone", () => {
    expect(workerTrust(join(work, 'dev'), dev.cert, dev.certFile, undefined)).toEqual({
      file: dev.certFile,
    });
  });
});

describe('atakora dev with NODE_EXTRA_CA_CERTS', () => {
  let session: DevSession;
  const logs: string[] = [];
  beforeAll(async () => {
    session = await startDev('test/cli/fixtures/extra-ca-backend.ts', {
      env: { NODE_EXTRA_CA_CERTS: caFile },
      log: (l) => logs.push(l),
      stateDir: join(work, 'state'),
    });
  });
  afterAll(async () => {
    await session?.stop();
  });
  const url = (path: string) => `${session.apps[0]!.url}${path}`;
  const as = { 'x-atakora-dev-user': 'ada@contoso.example' };

  it("a handler reaches a server of the user's CA; the local Cosmos DB server (dev's certificate) still verifies", async () => {
    // An organization written to the local Cosmos DB server: dev's loopback certificate is trusted.
    const created = await fetch(url('/api/tenants'), {
      method: 'POST',
      headers: { ...as, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Contoso' }),
    });
    const org = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(org)).toBe(201);
    const probed = await fetch(url(`/api/probe?port=${String(userServer)}`), {
      headers: { ...as, 'x-atakora-tenant': org.id },
    });
    const seen = (await probed.json()) as { untrusted: string };
    expect(probed.status, JSON.stringify(seen)).toBe(200);
    expect(seen.untrusted).toBe('answered 200');
    expect(logs.filter((l) => l.includes('DEV_EXTRA_CA_CERTS_UNREADABLE'))).toEqual([]);
  });

  it("the runtime fetches a Client ID Metadata Document served over HTTPS by the user's CA on loopback", async () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: metadataUrl,
      redirect_uri: REDIRECT,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 's1',
    });
    const page = await fetch(url(`/api/oauth/authorize?${query.toString()}`), { headers: as });
    const text = await page.text();
    // The consent page names the client its document names: the document was fetched, its certificate verified.
    expect(text).not.toContain('could not be fetched');
    expect(page.status, text).toBe(200);
    expect(text).toContain('Contoso Agent');
  });
});
