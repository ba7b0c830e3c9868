import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { AtakoraError } from '../../model/errors.js';
import { fileRoutes } from '../../contract/files.js';
import { createFileHandlers } from '../files/handlers.js';
import type { RuntimeServices } from '../pipeline/context.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';
import type { RelationWiring } from './relation-wiring.js';

/**
 * Each FileStore's three routes (`api/<route>`, `…/{id}`, `…/{id}/complete`); its reads become the `file` relations'
 * peer.
 *
 * @example
 * ```ts
 * registerFileStores(manifest, deps, services, wiring, add);
 * ```
 */
export function registerFileStores(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  services: RuntimeServices,
  wiring: RelationWiring,
  add: AddRoute,
): void {
  for (const store of manifest.fileStores ?? []) {
    if (!deps.blobsFor)
      throw new AtakoraError(
        'RUNTIME_CONFIG_INVALID',
        `FileStore ${store.componentId} has no blob container (RegisterDeps.blobsFor).`,
      );
    const handlers = createFileHandlers(store, deps.blobsFor(store), {
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.caller ? { caller: deps.caller } : {}),
      ...(deps.cosmos ? { timeoutMs: deps.cosmos.timeoutMs } : {}),
      services,
    });
    wiring.filePeers.set(store.componentId, handlers.readFile);
    const paths = fileRoutes(store.route);
    add(`${store.componentId}-files`, paths.collection, handlers.collection);
    add(`${store.componentId}-file`, paths.item, handlers.item);
    add(`${store.componentId}-complete`, paths.complete, handlers.complete);
  }
}
