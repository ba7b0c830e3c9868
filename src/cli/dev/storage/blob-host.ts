import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackCertificate } from '../loopback/loopback-certificate.js';
import { devIdentityToken } from '../sign-in/identity.js';
import { azuriteParts, type BlobHost, spawnAzurite, stopAzurite } from './azurite.js';

export type { BlobAccount, BlobHost } from './azurite.js';

/**
 * A {@link BlobHost} of `accounts` accounts (`atakora1`…). Nothing starts until the first `lend`: a host for stacks
 * without FileStores costs a certificate.
 *
 * @example
 * ```ts
 * const host = blobHost();
 * const dev = await startDev('backend.ts', { blobHost: host });
 * await dev.stop();
 * await host.stop();
 * ```
 */
export function blobHost(accounts = 8): BlobHost {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-blob-host-'));
  const tls = loopbackCertificate(join(dir, 'tls'));
  const names = Array.from({ length: accounts }, (_, i) => `atakora${String(i + 1)}`);
  const free = [...names];
  let running: { child: ChildProcess; port: number; cwd: string } | undefined;
  let starting: Promise<{ child: ChildProcess; port: number; cwd: string }> | undefined;
  const start = () =>
    (starting ??= (async () => {
      const { main, certDir } = azuriteParts('blob', 'FileStores', tls);
      // The keys sign nothing here (OAuth and user delegation SAS only), but Azurite wants one per account.
      const key = randomBytes(32).toString('base64');
      const accountsVariable = names.map((n) => `${n}:${key}`).join(';');
      running = await spawnAzurite(main, certDir, 'blob', accountsVariable);
      return running;
    })().catch((e: unknown) => {
      // A start that failed is tried again by the next lend.
      starting = undefined;
      throw e;
    }));
  return {
    tls,
    async lend() {
      const name = free.shift();
      if (name === undefined) return undefined;
      let port: number;
      try {
        ({ port } = await start());
      } catch (e) {
        free.unshift(name);
        throw e;
      }
      const endpoint = `https://127.0.0.1:${String(port)}/${name}/`;
      return {
        endpoint,
        async release() {
          const { localBlobService } = await import('../../azure/local-storage.js');
          await localBlobService(endpoint, devIdentityToken, tls.cert).empty();
          // Only an emptied account is lent again; one that could not be emptied stays out.
          free.push(name);
        },
      };
    },
    async stop() {
      const was = running;
      running = undefined;
      if (was) await stopAzurite(was.child, was.cwd);
      rmSync(dir, { recursive: true, force: true });
    },
    kill() {
      if (running) {
        running.child.kill('SIGKILL');
        rmSync(running.cwd, { recursive: true, force: true });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
