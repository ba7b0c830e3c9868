import { resolve } from 'node:path';
import { removeDevState, writeDevState } from '../../shared/dev-state.js';
import { LOCAL_COSMOS_KEY, type LocalCosmos } from './local-cosmos.js';

// What outlives a moment of `atakora dev`: the state file `atakora migrate --local` finds the local server by
// (shared/dev-state.ts), and the local data kept across restarts with --data-dir (data.ts).

/**
 * Write the dev state file for the session's local Cosmos DB server; the returned function removes it (at stop).
 *
 * @example
 * ```ts
 * const forget = recordDevState(process.cwd(), { entry: 'main.ts', environment: undefined, cosmos, ca: tls.cert });
 * ```
 */
export function recordDevState(
  dir: string,
  {
    entry,
    environment,
    cosmos,
    ca,
    user,
  }: {
    readonly entry: string;
    readonly environment: string | undefined;
    readonly cosmos: Pick<LocalCosmos, 'endpoint'>;
    readonly ca: string;
    readonly user?: { readonly oid: string; readonly tid: string } | undefined;
  },
): () => void {
  const file = writeDevState(dir, {
    version: 1,
    pid: process.pid,
    entry: resolve(entry),
    ...(environment === undefined ? {} : { environment }),
    ...(user === undefined ? {} : { user: { oid: user.oid, tid: user.tid } }),
    cosmos: { endpoint: cosmos.endpoint, key: LOCAL_COSMOS_KEY, ca },
  });
  return () => {
    removeDevState(file);
  };
}

/**
 * Load the local data from `dataDir` into the server, then save it every five seconds (a killed session loses
 * little); the returned function stops saving and saves once more (at stop, before the server stops).
 *
 * @example
 * ```ts
 * const saveAndStop = await keepLocalData(cosmos, '.atakora/data', progress, log);
 * ```
 */
export async function keepLocalData(
  cosmos: LocalCosmos,
  dataDir: string,
  progress: (step: string) => void,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  progress(`Loading the local data from ${dataDir}`);
  await cosmos.load(dataDir);
  const saver = setInterval(() => {
    cosmos.save(dataDir).catch((e: unknown) => {
      log(`atakora dev: saving the local data failed: ${String(e)}`);
    });
  }, 5000);
  saver.unref();
  return async () => {
    clearInterval(saver);
    await cosmos.save(dataDir);
  };
}
