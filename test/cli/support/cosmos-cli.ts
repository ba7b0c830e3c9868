import { main } from '../../../src/cli/main.js';
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
