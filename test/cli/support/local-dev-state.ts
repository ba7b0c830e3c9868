import { writeDevState } from '../../../src/cli/shared/dev-state.js';

/**
 * A running `atakora dev` as the `--local` commands find it: its state file in the working directory, naming `entry`
 * (environment `test`) and the test's local Cosmos DB server (its TLS certificate as the trusted CA). Returns the
 * file, for `removeDevState` when the test is done.
 *
 * @example
 * ```ts
 * const file = localDevState(entry, local.endpoint, tls.cert);
 * ```
 */
export function localDevState(entry: string, endpoint: string, ca: string): string {
  return writeDevState(process.cwd(), {
    version: 1,
    pid: process.pid,
    entry,
    environment: 'test',
    cosmos: { endpoint, key: 'dGVzdA==', ca },
  });
}
