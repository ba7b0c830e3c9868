/**
 * The loopback certificate of a test worker's TLS servers (a client-metadata host, the local Cosmos DB server, an
 * ingestion stand-in): made once per process — one P-256 key, not one per app or file — its files in
 * `$TMPDIR/atakora-test-tls-<pid>`. vitest ends its workers by a signal, which runs no exit listener, so the folders
 * of processes that have ended are removed when the next process makes its own: at most one per live worker.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loopbackCertificate,
  type LoopbackCertificate,
} from '../../src/cli/dev/loopback/loopback-certificate.js';
import { processAlive } from '../../src/kit/node/processes.js';

let shared: LoopbackCertificate | undefined;

/**
 * This process's loopback certificate (made on first use).
 *
 * @example
 * ```ts
 * const server = createServer({ cert: testCertificate().cert, key: testCertificate().key }, handler);
 * ```
 */
export function testCertificate(): LoopbackCertificate {
  if (shared) return shared;
  for (const name of readdirSync(tmpdir())) {
    const pid = /^atakora-test-tls-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !processAlive(Number(pid)))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  shared = loopbackCertificate(join(tmpdir(), `atakora-test-tls-${String(process.pid)}`));
  return shared;
}
