import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LocalBlobService } from '../../azure/local-storage.js';
import type { LoopbackCertificate } from '../loopback/loopback-certificate.js';
import { AtakoraError } from '../../../model/errors.js';
import { startBlobProxy } from './blob-proxy.js';
import { LIFELINE_PRELOAD, LIFELINE_STDIO } from '../host/lifeline.js';
import { FILES_RETENTION } from '../../../resources/storage/type.js';

/**
 * The Storage SDK clients (@azure/storage-blob, @azure/storage-queue: ~0.3 CPU-s to load), imported only when a
 * backend declares a FileStore or a queue — a dev of a CrudApi alone never loads them (docs/performance.md).
 */
const storageClients = () => import('../../azure/local-storage.js');

/** Azurite's blob service as `atakora dev` runs it for the backend's FileStores. */
export interface LocalBlobs {
  /** `https://127.0.0.1:<port>/devstoreaccount1/`: the blob endpoint the FileStores' settings get. */
  readonly endpoint: string;
  /** `http://127.0.0.1:<port>`: the plain-HTTP door browsers reach the blobs through (cli/dev/storage/blob-proxy.ts). */
  readonly browserOrigin: string;
  /** Create a container (if missing). */
  container(name: string): Promise<void>;
  /** Let these browser origins PUT and GET blobs (the dev origins). */
  cors(origins: readonly string[]): Promise<void>;
  /**
   * What the deployed lifecycle policy does (resources/storage/provision.ts): delete staged uploads older than a
   * day and pending records older than three in every container made here. Runs hourly; returns what it deleted.
   */
  sweep(now?: number): Promise<string[]>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * Start Azurite (the optional peer `azurite`) on 127.0.0.1: blob service over HTTPS with OAuth on (`--oauth
 * basic`; Azurite takes OAuth only over HTTPS, its README "OAuth Configuration"), so the runtime gets its
 * user-delegation key as in Azure, with the identity token `atakora dev`'s identity endpoint issues (Azurite's
 * basic level checks issuer, audience and lifetime, not the signature). In memory: the files live as long as
 * the session. The certificate is the local Cosmos DB server's self-signed one (loopback only). With `host`, the
 * blobs are an account of that shared Azurite (blob-host.ts) while it has one free, `tls` then being the host's.
 *
 * @example
 * ```ts
 * const blobs = await startLocalBlobs(devToken);
 * await blobs.container('attachments');
 * ```
 */
export async function startLocalBlobs(
  token: (resource: string) => string,
  tls?: LoopbackCertificate,
  host?: BlobHost,
): Promise<LocalBlobs> {
  const account = await blobAccount(tls, host);
  const { endpoint } = account;
  const { localBlobService } = await storageClients();
  const service = localBlobService(endpoint, token, tls?.cert);
  const proxy = await startBlobProxy(new URL(endpoint), tls?.cert);
  const containers = new Set<string>();
  const sweep = (now = Date.now()) => sweepExpired(service, [...containers], now);
  const timer = setInterval(() => {
    void sweep().catch(() => undefined);
  }, 3_600_000);
  timer.unref();
  return {
    endpoint,
    browserOrigin: proxy.origin,
    async container(name) {
      await service.createContainer(name);
      containers.add(name);
    },
    sweep,
    cors: (origins) => service.allowOrigins(origins),
    async stop() {
      clearInterval(timer);
      await proxy.close();
      await account.close();
    },
  };
}

/**
 * The session's blob account: one of `host`'s (verify's proof stacks, blob-host.ts) while it has one free, else
 * Azurite's `devstoreaccount1` in a process of the session's own. `close` gives the account back or stops the process.
 */
async function blobAccount(
  tls: LoopbackCertificate | undefined,
  host: BlobHost | undefined,
): Promise<{ readonly endpoint: string; readonly close: () => Promise<void> }> {
  const lent = await host?.lend();
  if (lent) return { endpoint: lent.endpoint, close: () => lent.release() };
  const { main, certDir } = azuriteParts('blob', 'FileStores', tls);
  const { child, port, cwd } = await spawnAzurite(main, certDir);
  return {
    endpoint: `https://127.0.0.1:${String(port)}/devstoreaccount1/`,
    close: () => stopAzurite(child, cwd),
  };
}

/** An account of a {@link BlobHost}, lent to one `atakora dev` session. */
export interface BlobAccount {
  /** `https://127.0.0.1:<port>/<account>/`: the blob endpoint the session's FileStores get. */
  readonly endpoint: string;
  /** Empty the account (every container, the CORS rules) and give it back to the host. */
  release(): Promise<void>;
}

/**
 * One Azurite blob service (blob-host.ts `blobHost`) for the `atakora dev` sessions of one process — `atakora
 * verify`'s proof stacks: the committed proof's and the per-plan one, and a test worker's files — each session on a
 * storage account of its own. An Azurite start is a Node process loading Azurite (~1–1.5 CPU-s with its preload,
 * more on a loaded machine); a proof stack with a FileStore started one each. The accounts are Azurite's
 * `AZURITE_ACCOUNTS` (its README, "Customized Storage Accounts & Keys"): containers, blobs and service properties
 * (CORS) are kept per account, so a session sees nothing of another's; a released account is emptied before it is
 * lent again. The sessions serve their loopback
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
 * Preloaded into Azurite (`--require`): its `common/Telemetry.js` requires `applicationinsights` at load, whatever
 * `--disableTelemetry` says (azurite 3.37, `AzuriteTelemetryClient.appInsights = require("applicationinsights")`,
 * used only where telemetry is on), and that module graph (the Azure Monitor OpenTelemetry distro, ~2,800 modules)
 * was ~1.3 of the ~2.1 CPU-seconds an Azurite start took. Telemetry gets a stand-in that loads the real module
 * on its first use, so a start with telemetry off never loads it and one with it on behaves as before. Any other
 * `require` is untouched.
 */
const LAZY_TELEMETRY = `'use strict';
const Module = require('node:module');
const load = Module._load;
const telemetry = /[\\\\/]azurite[\\\\/]dist[\\\\/]src[\\\\/]common[\\\\/]Telemetry\\.js$/;
Module._load = function (request, parent, isMain) {
  if (request !== 'applicationinsights' || !telemetry.test((parent && parent.filename) || ''))
    return load.apply(this, arguments);
  let real;
  const target = () => (real ??= load.call(this, request, parent, isMain));
  return new Proxy({}, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
  });
};
`;

/**
 * Write Azurite's preload (LAZY_TELEMETRY) into `dir`; returns its path, for `node --require <path>`.
 *
 * @example
 * ```ts
 * spawn(process.execPath, ['--require', azuritePreload(cwd), azuriteMain, ...args]);
 * ```
 */
export function azuritePreload(dir: string): string {
  const file = join(dir, 'lazy-telemetry.cjs');
  writeFileSync(file, LAZY_TELEMETRY);
  return file;
}

/**
 * One Azurite service (blob, the default, or queue: `main` is that service's
 * `dist/src/<service>/main.js`) as a child process on 127.0.0.1 with a port of its own, over HTTPS
 * with OAuth on and
 * in memory, its working folder a fresh temporary one; resolves once it listens. `atakora dev` and the tests
 * start it this way.
 *
 * @example
 * ```ts
 * const { child, port, cwd } = await spawnAzurite(azuriteBlobMain, certDir);
 * ```
 */
export async function spawnAzurite(
  main: string,
  certDir: string,
  service: 'blob' | 'queue' = 'blob',
  accounts?: string,
): Promise<{ child: ChildProcess; port: number; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'atakora-azurite-'));
  const preload = azuritePreload(cwd);
  const lifeline = join(cwd, 'lifeline.cjs');
  writeFileSync(lifeline, LIFELINE_PRELOAD);
  // One service per process (its own main: dist/src/<service>/main.js), so a backend gets only what it uses.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      preload,
      '--require',
      lifeline,
      main,
      `--${service}Host`,
      '127.0.0.1',
      `--${service}Port`,
      '0',
      '--oauth',
      'basic',
      '--cert',
      join(certDir, 'cert.pem'),
      '--key',
      join(certDir, 'key.pem'),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    {
      cwd,
      stdio: LIFELINE_STDIO,
      // Azurite's own variable: the accounts it serves (`name:base64key;…`) instead of `devstoreaccount1` alone.
      ...(accounts === undefined ? {} : { env: { ...process.env, AZURITE_ACCOUNTS: accounts } }),
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listens on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      reject(new Error(`Azurite exited (${String(code)}) before serving: ${out.trim()}`));
    });
  });
  return { child, port, cwd };
}

/** Azurite's queue service as `atakora dev` runs it for the backend's declared queues. */
export interface LocalQueues {
  /** `https://127.0.0.1:<port>/devstoreaccount1/`: the queue service URI the connections' settings get. */
  readonly endpoint: string;
  /** Create a queue (if missing). */
  queue(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start Azurite's queue service (the optional peer `azurite`) on 127.0.0.1, as {@link startLocalBlobs} starts the
 * blob service: HTTPS with OAuth on, so `queueClient` and the queue triggers reach it with an identity token as in
 * Azure (never an account key), in memory.
 *
 * @example
 * ```ts
 * const queues = await startLocalQueues(devIdentityToken);
 * await queues.queue('orders');
 * ```
 */
export async function startLocalQueues(
  token: (resource: string) => string,
  tls?: LoopbackCertificate,
): Promise<LocalQueues> {
  const { main, certDir } = azuriteParts('queue', 'the declared queues', tls);
  const { child, port, cwd } = await spawnAzurite(main, certDir, 'queue');
  const endpoint = `https://127.0.0.1:${String(port)}/devstoreaccount1/`;
  const { localQueueService } = await storageClients();
  const service = localQueueService(endpoint, token, tls?.cert);
  return {
    endpoint,
    queue: (name) => service.createQueue(name),
    async stop() {
      await stopAzurite(child, cwd);
    },
  };
}

/** Azurite's entry for one service and the certificate folder it serves with, or DEV_SERVER_MISSING naming what for. */
export function azuriteParts(
  service: 'blob' | 'queue',
  serves: string,
  tls?: LoopbackCertificate,
): { main: string; certDir: string } {
  try {
    return {
      main: join(dirname(require.resolve('azurite/package.json')), `dist/src/${service}/main.js`),
      // The session's own loopback certificate, which the workers trust (loopback-certificate.ts).
      certDir: tls
        ? dirname(tls.certFile)
        : dirname(require.resolve('@vercel/cosmosdb-server/package.json')),
    };
  } catch {
    throw new AtakoraError(
      'DEV_SERVER_MISSING',
      `atakora dev serves ${serves} on Azurite (npm azurite) with the local Cosmos DB server's certificate; ` +
        'one of them is not installed.',
      { path: ['dev'], resolution: 'npm install --save-dev azurite @vercel/cosmosdb-server' },
    );
  }
}

/** Stop an Azurite process (waiting for its exit) and remove its working folder. */
export async function stopAzurite(child: ChildProcess, cwd: string): Promise<void> {
  if (child.exitCode === null) {
    await new Promise<void>((r) => {
      child.once('exit', () => {
        r();
      });
      child.kill('SIGTERM');
    });
  }
  rmSync(cwd, { recursive: true, force: true });
}

/**
 * Delete what the files account's lifecycle rules would (FILES_RETENTION): `~staging/` blobs and `~urls/` records
 * created more than `stagingDays`, `~pending/` records more than `pendingDays` ago. Returns the deleted names.
 *
 * @example
 * ```ts
 * await sweepExpired(service, ['attachments'], Date.now()); // ['attachments/~staging/tenant/6f1…']
 * ```
 */
export async function sweepExpired(
  service: LocalBlobService,
  containers: readonly string[],
  now: number,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of containers)
    for (const [prefix, days] of [
      ['~staging/', FILES_RETENTION.stagingDays],
      ['~urls/', FILES_RETENTION.stagingDays],
      ['~pending/', FILES_RETENTION.pendingDays],
    ] as const)
      deleted.push(...(await service.deleteOlderThan(name, prefix, days, now)));
  return deleted;
}
