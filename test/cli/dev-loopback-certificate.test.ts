/**
 * `atakora dev`'s loopback certificate vouches for its loopback names and nothing else. Every way dev's code trusts
 * it — a worker's `NODE_EXTRA_CA_CERTS`, an agent's `ca` (the Cosmos DB client, the blob door), the storage
 * pipeline's `tlsOptions` — accepts it for 127.0.0.1, ::1 and localhost, and refuses a certificate its key signs,
 * for `login.microsoftonline.com` or even for 127.0.0.1: it is a leaf, so a leaked key mints nothing.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commonName,
  extension,
  pem,
  seq,
  signCertificate,
  tlv,
} from '../../src/cli/dev/loopback/der.js';
import {
  LOOPBACK_NAMES,
  type LoopbackCertificate,
  loopbackCertificate,
} from '../../src/cli/dev/loopback/loopback-certificate.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-loopback-cert-'));
const tls: LoopbackCertificate = loopbackCertificate(join(work, 'session'));

/** A certificate for `names`, signed by the loopback key, issued under the loopback certificate's name. */
function forged(names: { dns?: string[]; ips?: number[][] }): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = signCertificate({
    subject: commonName(names.dns?.[0] ?? 'forged'),
    issuer: commonName('atakora dev loopback'),
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    signer: createPrivateKey(tls.key),
    from: new Date(Date.now() - 3_600_000),
    to: new Date(Date.now() + 86_400_000),
    extensions: [
      extension(
        '2.5.29.17',
        false,
        seq(
          ...(names.dns ?? []).map((d) => tlv(0x82, Buffer.from(d))),
          ...(names.ips ?? []).map((ip) => tlv(0x87, Buffer.from(ip))),
        ),
      ),
    ],
  });
  return {
    cert: pem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const servers: Server[] = [];
/** An HTTPS server on 127.0.0.1 with this certificate, answering 200 `ok`. */
async function serve(cert: string, key: string): Promise<number> {
  const server = createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** An agent's `ca`, as the Cosmos DB client and the blob door trust it: 'ok' or the TLS error's code. */
function viaAgent(port: number, servername: string): Promise<string> {
  return new Promise((resolve) => {
    const req = get(
      { host: '127.0.0.1', port, servername, headers: { host: servername }, ca: tls.cert },
      (res) => {
        res.resume();
        resolve('ok');
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** A worker's way: a fresh Node process trusting it through NODE_EXTRA_CA_CERTS, beside the system's roots. */
function viaWorker(port: number, servername: string): Promise<string> {
  const script =
    `require('node:https').get({ host: '127.0.0.1', port: ${String(port)}, servername: ${JSON.stringify(servername)}, ` +
    `headers: { host: ${JSON.stringify(servername)} } }, (r) => { r.resume(); console.log('ok'); })` +
    `.on('error', (e) => console.log(e.code || e.message));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: tls.certFile } },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    );
  });
}

/** The storage pipeline's `tlsOptions` (cli/dev/storage/azurite.ts `trusting`): 'ok' when TLS held, else the error. */
async function viaStoragePipeline(port: number): Promise<string> {
  const client = new BlobServiceClient(
    `https://127.0.0.1:${String(port)}/devstoreaccount1`,
    undefined,
    {
      retryOptions: { maxTries: 1 },
      tlsOptions: { ca: tls.cert },
    } as ConstructorParameters<typeof BlobServiceClient>[2],
  );
  try {
    await client.getProperties();
    return 'ok';
  } catch (e) {
    const message = String((e as Error).message);
    // The stand-in answers `ok`, no storage XML: any error past TLS is a parse error, i.e. TLS held.
    return /certificate|self.signed|verify|CERT|key usage/i.test(message) ? message : 'ok';
  }
}

let genuine = 0;
let forgedRemote = 0;
let forgedLoopback = 0;

beforeAll(async () => {
  genuine = await serve(tls.cert, tls.key);
  const remote = forged({ dns: ['login.microsoftonline.com'], ips: [[127, 0, 0, 1]] });
  forgedRemote = await serve(remote.cert, remote.key);
  const loop = forged({ dns: ['localhost'], ips: [[127, 0, 0, 1]] });
  forgedLoopback = await serve(loop.cert, loop.key);
});
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(work, { recursive: true, force: true });
});

describe("atakora dev's loopback certificate", () => {
  it('is a leaf for the loopback names only: CA:FALSE, digitalSignature, serverAuth', () => {
    const x = new X509Certificate(tls.cert);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x.subjectAltName).toBe(
      'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost',
    );
    for (const ip of LOOPBACK_NAMES.ips) expect(x.checkIP(ip), ip).toBe(ip);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkHost('login.microsoftonline.com')).toBeUndefined();
    expect(x.checkIP('10.0.0.1')).toBeUndefined();
    // Its key usage has no keyCertSign: the bit string is digitalSignature alone.
    expect(x.raw.includes(Buffer.from([0x03, 0x02, 0x07, 0x80]))).toBe(true);
  });

  it('has a serial DER encodes minimally, whatever its random bytes (OpenSSL refuses a padded one)', () => {
    // One in 256 serials was padded before: 2,000 certificates leave that a chance of about 4e-4 to go unseen.
    // One key for all: the serial is drawn afresh by each signCertificate (and the signature's integers by each
    // signing), the key pair plays no part in it — a key pair and its export per certificate were half the cost.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const refused: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const der = signCertificate({
        subject: commonName('serial'),
        issuer: commonName('serial'),
        spki,
        signer: privateKey,
        from: new Date(),
        to: new Date(Date.now() + 60_000),
        extensions: [],
      });
      try {
        new X509Certificate(der);
      } catch (e) {
        refused.push(`${der.toString('hex')}: ${String(e)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('is trusted for its own names by every way dev trusts it (the checks below can pass)', async () => {
    expect(await viaAgent(genuine, 'localhost')).toBe('ok');
    expect(await viaWorker(genuine, 'localhost')).toBe('ok');
    expect(await viaStoragePipeline(genuine)).toBe('ok');
  });

  it('refuses a certificate for login.microsoftonline.com signed by its key: agent, worker, storage pipeline', async () => {
    expect(await viaAgent(forgedRemote, 'login.microsoftonline.com')).not.toBe('ok');
    expect(await viaWorker(forgedRemote, 'login.microsoftonline.com')).not.toBe('ok');
    expect(await viaStoragePipeline(forgedRemote)).not.toBe('ok');
  });

  it('refuses even a loopback certificate signed by its key: it vouches for itself only', async () => {
    expect(await viaAgent(forgedLoopback, 'localhost')).not.toBe('ok');
    expect(await viaWorker(forgedLoopback, 'localhost')).not.toBe('ok');
    expect(await viaStoragePipeline(forgedLoopback)).not.toBe('ok');
  });

  it('the same forgery under a CA:TRUE certificate is accepted: the refusals above are the leaf’s doing', async () => {
    // What the certificate was before: an unconstrained CA, whose key vouched for any name.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const name = commonName('atakora dev loopback');
    const caDer = signCertificate({
      subject: name,
      issuer: name,
      spki: publicKey.export({ type: 'spki', format: 'der' }),
      signer: privateKey,
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 86_400_000),
      extensions: [extension('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff]))))],
    });
    const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leafDer = signCertificate({
      subject: commonName('login.microsoftonline.com'),
      issuer: name,
      spki: leaf.publicKey.export({ type: 'spki', format: 'der' }),
      signer: privateKey,
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 86_400_000),
      extensions: [
        extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from('login.microsoftonline.com')))),
      ],
    });
    const port = await serve(
      pem('CERTIFICATE', leafDer),
      leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    const accepted = await new Promise<string>((resolve) => {
      const req = get(
        {
          host: '127.0.0.1',
          port,
          servername: 'login.microsoftonline.com',
          ca: pem('CERTIFICATE', caDer),
        },
        (res) => {
          res.resume();
          resolve('ok');
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(accepted).toBe('ok');
  });
});
