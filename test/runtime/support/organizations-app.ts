// The runtime of an organizations backend over the local Cosmos DB, as the organization tests register it: the
// registry's containers created (members, tenants, audit, usage), one CrudApi of notes, the audit log on.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { RuntimeAuth } from '../../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../../src/runtime/audit/audit-store.js';
import { noteEntity } from './entities.js';
import type { LocalCosmos } from './local-cosmos.js';
import { type RegisterDeps, registerNotesApp } from './notes-app.js';

/** The registry's containers the app was registered over. */
export interface OrganizationsContainers {
  readonly members: Container;
  readonly tenants: Container;
  readonly audit: Container;
}

/**
 * Register the app into `fns` under `policy`, with `deps` beside the containers and the audit store (the members'
 * DNS resolver, …); its timers into `timers` when given.
 *
 * @example
 * ```ts
 * const { members, tenants } = await registerOrganizationsApp(cosmos, fns, policy);
 * ```
 */
export async function registerOrganizationsApp(
  cosmos: LocalCosmos,
  fns: Map<string, HttpFunctionOptions>,
  policy: RuntimeAuth,
  deps: Partial<RegisterDeps> = {},
  timers?: Map<string, TimerFunctionOptions>,
): Promise<OrganizationsContainers> {
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  const container = await cosmos.container(noteEntity.componentId, '/tenantId');
  registerNotesApp(
    fns,
    policy,
    container,
    {
      audit: { store: cosmosAuditStore(audit) },
      ...deps,
    },
    { backendId: 'orgs', ...(timers ? { timers } : {}) },
  );
  return { members, tenants, audit };
}
