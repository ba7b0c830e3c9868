import { AtakoraError } from '../../../model/errors.js';
import type { PlannedResource } from '../../../model/plan.js';
import type { RuntimeEntity, RuntimeFileStore } from '../../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { startLocalBlobs, startLocalQueues, type LocalBlobs, type LocalQueues } from './azurite.js';
import type { BlobHost } from './blob-host.js';
import { devIdentityToken } from '../sign-in/identity.js';
import { startCosmos, type LocalCosmos } from '../cosmos/local-cosmos.js';
import type { LoopbackCertificate } from '../loopback/loopback-certificate.js';
import { declaredQueuesOf } from './queues.js';
import { keepLocalData, recordDevState } from '../cosmos/state.js';
import { recordDevBlobs } from '../../shared/dev-state.js';

/** A CrudApi app's entities and FileStores, as its merged config lists them. */
export const entitiesOf = (app: PlannedResource): RuntimeEntity[] =>
  mergedConfigOf('functions', app).crudEntities ?? [];
export const storesOf = (app: PlannedResource): RuntimeFileStore[] =>
  mergedConfigOf('functions', app).fileStores ?? [];

/** Options of {@link devStorage}. */
export interface DevStorageOptions {
  readonly entry: string;
  readonly environment: string | undefined;
  readonly dataDir: string | undefined;
  /** The folder whose `.atakora/` holds the state file (DevOptions.stateDir). */
  readonly stateDir: string;
  readonly tls: LoopbackCertificate;
  readonly progress: (step: string) => void;
  readonly log: (line: string) => void;
  /** The session's caller, recorded for `atakora seed --local` (its default tenant and creator). */
  readonly user?: { readonly oid: string; readonly tid: string };
  /** Where the FileStores get their blob account (DevOptions.blobHost); default an Azurite of the session's own. */
  readonly blobHost?: BlobHost;
}

/** The local stand-ins of a session's storage, each started on first need and kept across reloads. */
export interface DevStorage {
  readonly cosmos: LocalCosmos | undefined;
  readonly blobs: LocalBlobs | undefined;
  readonly queues: LocalQueues | undefined;
  /** Start what these apps need and is not running yet. */
  ensure(apps: readonly PlannedResource[]): Promise<void>;
  /** Save the data (--data-dir), forget the state file, stop every service started. */
  stop(): Promise<void>;
}

/**
 * `atakora dev`'s storage: the local Cosmos DB protocol server for the CrudApis (with the dev state file and the
 * --data-dir data), Azurite's blob service for the FileStores and its queue service for the declared queues.
 * Handler-only backends start none of them (nor need the optional peers that serve them).
 *
 * @example
 * ```ts
 * const storage = devStorage({ entry, environment, dataDir, stateDir, tls, progress, log });
 * await storage.ensure(apps);
 * ```
 */
export function devStorage(o: DevStorageOptions): DevStorage {
  let cosmos: LocalCosmos | undefined;
  let blobs: LocalBlobs | undefined;
  let queues: LocalQueues | undefined;
  let queuesMissing = false;
  /** In the order they run at stop: the data saved and the state forgotten before the server stops. */
  const stops: (() => Promise<void> | void)[] = [];
  return {
    get cosmos() {
      return cosmos;
    },
    get blobs() {
      return blobs;
    },
    get queues() {
      return queues;
    },
    async ensure(apps) {
      if (!cosmos && apps.some((a) => entitiesOf(a).length > 0)) {
        o.progress('Starting the local Cosmos DB server');
        const started = await startCosmos(o.tls);
        cosmos = started;
        // Where `atakora migrate --local` finds this server (shared/dev-state.ts); gone at stop.
        stops.push(
          recordDevState(o.stateDir, {
            entry: o.entry,
            environment: o.environment,
            cosmos: started,
            ca: o.tls.cert,
            user: o.user,
          }),
        );
        if (o.dataDir) stops.push(await keepLocalData(started, o.dataDir, o.progress, o.log));
        stops.push(() => started.stop());
      }
      if (!blobs && apps.some((a) => storesOf(a).length > 0)) {
        o.progress('Starting Azurite (blob storage for the FileStores)');
        const started = await startLocalBlobs(devIdentityToken, o.tls, o.blobHost);
        blobs = started;
        // Where `atakora tenant … --local` reaches the FileStores' files (beside the Cosmos DB server's state).
        recordDevBlobs(o.stateDir, o.entry, { endpoint: started.endpoint, ca: o.tls.cert });
        stops.push(() => started.stop());
      }
      if (
        !queues &&
        !queuesMissing &&
        apps.some((a) => Object.keys(declaredQueuesOf(a)).length > 0)
      ) {
        o.progress('Starting Azurite (queue storage for the declared queues)');
        try {
          const started = await startLocalQueues(devIdentityToken, o.tls);
          queues = started;
          stops.push(() => started.stop());
        } catch (e) {
          // Without the optional peer the rest still serves: queue functions run through the admin route only.
          if (!(e instanceof AtakoraError && e.code === 'DEV_SERVER_MISSING')) throw e;
          queuesMissing = true;
          o.log(
            `atakora dev: ${e.message} Queue triggers run only through POST /admin/functions/<name>, and ` +
              `queueClient cannot send (${e.resolution}).`,
          );
        }
      }
    },
    async stop() {
      for (const stop of stops.splice(0)) await stop();
    },
  };
}
