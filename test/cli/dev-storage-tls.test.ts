/**
 * `atakora dev` sets up Azurite (containers, CORS, queues) with certificate checks on: its storage clients trust
 * the session's loopback certificate and nothing else, and never switch checks off for the process. The proof
 * is a client given another certificate than the one Azurite serves: it must fail, where a process-wide
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` would have let it through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devIdentityToken } from '../../src/cli/dev/sign-in/identity.js';
import {
  type LocalBlobs,
  type LocalQueues,
  startLocalBlobs,
  startLocalQueues,
} from '../../src/cli/dev/storage/azurite.js';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-storage-tls-'));
const served = loopbackCertificate(join(work, 'served'));
const other = loopbackCertificate(join(work, 'other'));
// Azurite serves `served` (its folder), the clients trust only `other`'s certificate.
const mismatched = { ...served, cert: other.cert };
const started: (LocalBlobs | LocalQueues)[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

describe('dev storage setup verifies TLS', () => {
  it('blob containers and CORS: the session certificate is trusted, another one is refused', async () => {
    const good = await startLocalBlobs(devIdentityToken, served);
    started.push(good);
    await expect(good.container('letters')).resolves.toBeUndefined();
    await expect(good.cors(['http://127.0.0.1:5173'])).resolves.toBeUndefined();
    expect(process.env['NODE_TLS_REJECT_UNAUTHORIZED']).toBeUndefined();

    const bad = await startLocalBlobs(devIdentityToken, mismatched);
    started.push(bad);
    await expect(bad.container('letters')).rejects.toThrow(/certificate|self.signed|verify/i);
  });

  it('queues: the session certificate is trusted, another one is refused', async () => {
    const good = await startLocalQueues(devIdentityToken, served);
    started.push(good);
    await expect(good.queue('orders')).resolves.toBeUndefined();

    const bad = await startLocalQueues(devIdentityToken, mismatched);
    started.push(bad);
    await expect(bad.queue('orders')).rejects.toThrow(/certificate|self.signed|verify/i);
  });
});
