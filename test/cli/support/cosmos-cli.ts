import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loopbackCertificate } from '../../../src/cli/dev/loopback/loopback-certificate.js';
import { main } from '../../../src/cli/main.js';
import { startTlsCosmos, type TlsCosmos } from '../../support/tls-cosmos.js';
import { capturedIo } from '../../support/captured-io.js';

/** One CLI run's exit code and what it printed. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * The CLI run as a deployed environment's command, its Cosmos DB data plane the test's loopback server: the endpoint
 * (read at each run: the server starts in `beforeAll`), its CA file, and a token the stand-in takes. `command` comes
 * first on every run (`'tenant'`, or `'usage', entry`).
 *
 * @example
 * ```ts
 * const run = cliOnStandIn(() => local.endpoint, tls.certFile, 'tenant');
 * const r = await run('list', entry, '--environment', 'dev');
 * ```
 */
export function cliOnStandIn(
  endpoint: () => string,
  caFile: string,
  ...command: string[]
): (...args: string[]) => Promise<CliRun> {
  return async (...args) => {
    process.env['ATAKORA_COSMOS_ENDPOINT'] = endpoint();
    process.env['ATAKORA_COSMOS_CA'] = caFile;
    process.env['ATAKORA_ARM_TOKEN'] = 'not-a-jwt';
    const io = capturedIo();
    const code = await main([...command, ...args], io.io);
    return { code, out: io.out, err: io.err };
  };
}

/**
 * A test file's loopback Cosmos DB stand-in over verified TLS, started before its tests and stopped after them
 * (its certificate folder, `dir`, removed), the CLI's stand-in variables restored after each test; `run` is
 * {@link cliOnStandIn} on it.
 *
 * @example
 * ```ts
 * const standIn = tlsStandInFile('atakora-list-', 'tenant');
 * const tenants = await standIn.local().container('atakora', 'tenants', '/id');
 * ```
 */
export function tlsStandInFile(
  prefix: string,
  ...command: string[]
): {
  /** The folder of its certificate, removed after the tests: a place for the files they write. */
  readonly dir: string;
  readonly local: () => TlsCosmos;
  readonly run: (...args: string[]) => Promise<CliRun>;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tls = loopbackCertificate(dir);
  let local: TlsCosmos | undefined;
  const saved = { ...process.env };
  const started = () => {
    if (!local) throw new Error('the stand-in starts in beforeAll');
    return local;
  };
  beforeAll(async () => {
    local = await startTlsCosmos(tls);
  });
  afterEach(() => {
    for (const k of ['ATAKORA_COSMOS_ENDPOINT', 'ATAKORA_COSMOS_CA', 'ATAKORA_ARM_TOKEN'])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
  });
  afterAll(async () => {
    await local?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    local: started,
    run: cliOnStandIn(() => started().endpoint, tls.certFile, ...command),
  };
}
