import { createServer } from 'node:net';
import { AtakoraError } from '../../../model/errors.js';

/**
 * Fail early, with the port and the fix, when `atakora dev` cannot listen on `port` (127.0.0.1): before
 * the Cosmos DB server and the package build start, and instead of the worker's unhandled 'error' event.
 * Port 0 (any free port) always passes.
 *
 * @example
 * ```ts
 * await checkPortFree(7071); // AtakoraError DEV_PORT_IN_USE when another process holds 127.0.0.1:7071
 * ```
 */
export async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AtakoraError(
      'DEV_PORT_IN_USE',
      code === 'EADDRINUSE'
        ? `Port ${String(port)} on 127.0.0.1 is in use: atakora dev cannot listen there.`
        : `atakora dev cannot listen on 127.0.0.1:${String(port)} (${code ?? (e as Error).message}).`,
      {
        path: ['dev', '--port'],
        resolution:
          `Stop the process that holds port ${String(port)}, or pass another: atakora dev <entry> --port ` +
          `${String(port === 65535 ? 7080 : port + 1)}.`,
      },
    );
  }
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}
