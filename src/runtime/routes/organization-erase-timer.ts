import type { TimerFunctionOptions } from '@azure/functions';
import {
  ORGANIZATION_ERASE_FUNCTION,
  ORGANIZATION_ERASE_SCHEDULE,
} from '../../contract/members.js';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { nowOf } from '../members/members-api.js';
import { eraseDueOrganizations, type EraseTargets } from '../members/erase/organization-erase.js';
import { eraseOrganizationFiles } from '../files/organization-files-erase.js';
import { type AppServices, registryContainer } from './app-services.js';
import type { RegisterDeps } from './register-deps.js';

/**
 * The erase's targets on this app: the registry's and members' containers beside the registry (through the
 * identity that reads it) and each CrudApi's container; undefined without tenants by membership.
 *
 * @example
 * ```ts
 * const targets = eraseTargetsOf(manifest, deps, made); // { admin, registry, members, usage, entities, audit }
 * ```
 */
export function eraseTargetsOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  made: Pick<AppServices, 'members'>,
): EraseTargets | undefined {
  const api = made.members;
  const reg = deps.caller?.registry;
  if (!api || !reg?.membership) return undefined;
  const registry = registryContainer(manifest, deps, reg.container);
  if (!registry) return undefined;
  const members = registryContainer(manifest, deps, reg.membership.container);
  const usage = reg.usage ? registryContainer(manifest, deps, reg.usage) : undefined;
  const { blobsFor } = deps;
  const fileStores = manifest.fileStores ?? [];
  return {
    admin: api.admin,
    registry,
    ...(members ? { members } : {}),
    ...(usage ? { usage } : {}),
    entities: manifest.entities.map((entity) => ({ entity, container: deps.containerFor(entity) })),
    // Through each FileStore's own blob client, as its routes reach it (the app's identity's rights on the store).
    ...(blobsFor && fileStores.length > 0
      ? {
          files: fileStores.map((store) => {
            const blobs = blobsFor(store);
            return {
              componentId: store.componentId,
              erase: (tenant: string) => eraseOrganizationFiles(store, blobs, tenant),
            };
          }),
        }
      : {}),
    ...(api.audit ? { audit: api.audit } : {}),
    ...(api.billing ? { billing: api.billing } : {}),
  };
}

/**
 * Register the daily erase of the organizations their Owners deleted whose `deleteOn` has passed (DESIGN §2,
 * `tenants.deleteAfterDays`) as a timer function, on apps with tenants by membership whose host takes timers. One
 * run's outcome is one log line (`operation: 'organization-erase'`, the organizations erased); a failed run is
 * logged, and the next day's finishes what it left (an organization stays due until its record is deleted, last).
 *
 * @example
 * ```ts
 * registerOrganizationErase(app, manifest, deps, made); // true when registered
 * ```
 */
export function registerOrganizationErase(
  app: { timer?(name: string, options: TimerFunctionOptions): void },
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  made: Pick<AppServices, 'members' | 'log'>,
): boolean {
  const targets = eraseTargetsOf(manifest, deps, made);
  const api = made.members;
  if (!targets || !api || !app.timer) return false;
  app.timer(ORGANIZATION_ERASE_FUNCTION, {
    schedule: ORGANIZATION_ERASE_SCHEDULE,
    runOnStartup: false,
    useMonitor: true,
    handler: async (_timer, context) => {
      const line = { component: 'runtime', operation: 'organization-erase' } as const;
      try {
        const run = await eraseDueOrganizations(targets, nowOf(api));
        made.log({ ...line, outcome: 'done', erased: run.erased }, context);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        made.log({ ...line, outcome: 'failed', message }, context);
      }
    },
  });
  return true;
}
