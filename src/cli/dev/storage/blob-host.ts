import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackCertificate, type LoopbackCertificate } from '../loopback/loopback-certificate.js';
import { devIdentityToken } from '../sign-in/identity.js';
import { azuriteParts, spawnAzurite, stopAzurite } from './azurite.js';

/** An account of a {@link BlobHost}, lent to one `atakora dev` session. */
export interface BlobAccount {
  /** `https://127.0.0.1:<port>/<account>/`: the blob endpoint the session's FileStores get. */
  readonly endpoint: string;
  /** Empty the account (every container, the CORS rules) and give it back to the host. */
  release(): Promise<void>;
}

/**
 * One Azurite blob service for the `atakora dev` sessions of one process — `atakora verify`'s proof stacks: the
 * committed proof's and the per-plan one, and a test worker's files — each session on a storage account of its own.
 * An Azurite start is a Node process loading Azurite (~2 CPU-s, more on a loaded machine); a proof stack with a
 * FileStore started one each. The accounts are Azurite's `AZURITE_ACCOUNTS` (its README, "Customized Storage
 * Accounts & Keys"): containers, blobs and service properties (CORS) are kept per account, so a session sees
 * nothing of another's; a released account is emptied before it is lent again. The sessions serve their loopback
 * services with the host's certificate ({@link BlobHost.tls}), which Azurite presents, so their workers trust it.
 */
export interface BlobHost {
  /** The certificate Azurite serves with: a session lent an account uses it as its loopback certificate. */
  readonly tls: LoopbackCertificate;
  /** An empty account of its own (Azurite started on the first), or undefined when every account is lent. */
  lend(): Promise<BlobAccount | undefined>;
  /** Stop Azurite (waiting for its exit) and remove the host's folder. */
  stop(): Promise<void>;
  /** The same at once, for a process that is exiting: Azurite killed, the folder removed. */
  kill(): void;
}

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
