import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFs } from '../../shared/fs-errors.js';
import { writeFunctionsCoreStandIn } from '../host/functions-core.js';
import { stopWorker } from '../host/hosts.js';
import { loopbackCertificate } from '../loopback/loopback-certificate.js';
import { EXTRA_CA_CERTS, workerTrust } from '../loopback/trust-bundle.js';
import { startIdentityEndpoint } from '../sign-in/identity.js';
import { devStorage } from '../storage/storage.js';
import type { DevRun } from './run.js';

/** What the workers are started against: the identity endpoint, the stand-in Functions core, the TLS files. */
export interface StandIns {
  readonly identity: Awaited<ReturnType<typeof startIdentityEndpoint>>;
  /** The session's working folder (packages unpacked, the stand-in core, the certificate). */
  readonly work: string;
  /** The folder to put on the workers' NODE_PATH (the stand-in `@azure/functions-core`). */
  readonly nodePath: string;
  readonly tls: ReturnType<typeof loopbackCertificate>;
  /**
   * The file the workers' `NODE_EXTRA_CA_CERTS` names: the certificates of the user's own `NODE_EXTRA_CA_CERTS`
   * and dev's loopback certificate (trust-bundle.ts).
   */
  readonly trustFile: string;
  readonly services: ReturnType<typeof devStorage>;
}

/**
 * Start what every load of the session shares — the managed-identity endpoint, a working folder, the stand-in
 * `@azure/functions-core`, the loopback certificate and the local storage (started on first need) — and add each
 * to the session's cleanup, so that the local storage stops after the workers and its data is saved with no
 * write in flight.
 *
 * @example
 * ```ts
 * const standIns = await startStandIns(run);
 * ```
 */
export async function startStandIns(run: DevRun): Promise<StandIns> {
  const { cleanup } = run;
  const identity = await startIdentityEndpoint();
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        identity.server.close(() => {
          r();
        });
      }),
  );
  const work = withFs(
    { what: 'the working folder of atakora dev', at: ['dev'], temporary: true },
    tmpdir(),
    () => mkdtempSync(join(tmpdir(), 'atakora-dev-')),
  );
  cleanup.push(() => {
    rmSync(work, { recursive: true, force: true });
  });
  cleanup.push(() => {
    for (const f of run.builtPackages) rmSync(f, { force: true });
  });
  const nodePath = writeFunctionsCoreStandIn(join(work, 'core'));
  // The loopback services' certificate, trusted by the workers with checks on (loopback-certificate.ts): the blob
  // host's when the session borrows its blob account there, since that Azurite presents the host's.
  const tls = run.blobHost?.tls ?? loopbackCertificate(join(work, 'tls'));
  // With the user's own NODE_EXTRA_CA_CERTS, its certificates beside dev's: Node reads one file (trust-bundle.ts).
  // The bundle is the session's own, in its folder (made here when the certificate is the blob host's).
  mkdirSync(join(work, 'tls'), { recursive: true, mode: 0o700 });
  const trust = workerTrust(
    join(work, 'tls'),
    tls.cert,
    tls.certFile,
    run.env[EXTRA_CA_CERTS] ?? process.env[EXTRA_CA_CERTS],
  );
  if (trust.warning) run.log(trust.warning);
  const services = devStorage({
    entry: run.entry,
    environment: run.environment,
    dataDir: run.dataDir,
    stateDir: run.stateDir,
    tls,
    progress: run.progress,
    log: run.log,
    user: run.user,
    ...(run.blobHost ? { blobHost: run.blobHost } : {}),
  });
  run.storage = services;
  // Stopped after the workers (cleanup runs backwards): no write is in flight when the data is saved.
  cleanup.beforeFirst(() => services.stop());
  cleanup.push(async () => {
    for (const w of run.workers) await stopWorker(w);
  });
  return { identity, work, nodePath, tls, trustFile: trust.file, services };
}
