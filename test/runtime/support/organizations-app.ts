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

/** The registry's containers with the usage ledger's and the notes'. */
export type OrganizationsStore = OrganizationsContainers & {
  readonly usage: Container;
  readonly notes: Container;
};

/**
 * The containers an organizations backend runs on, created on `cosmos` (or got, when they are there): the registry's
 * (members, tenants, audit), the usage ledger's, and the notes' under `notesId` (the notes CrudApi's by default).
 *
 * @example
 * ```ts
 * const { members, tenants, audit, notes } = await organizationsStore(cosmos);
 * ```
 */
export async function organizationsStore(
  cosmos: LocalCosmos,
  notesId: string = noteEntity.componentId,
): Promise<OrganizationsStore> {
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const audit = await cosmos.container('audit', '/tenant');
  const usage = await cosmos.container('usage', '/tenant');
  const notes = await cosmos.container(notesId, '/tenantId');
  return { members, tenants, audit, usage, notes };
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
  const { members, tenants, audit, notes } = await organizationsStore(cosmos);
  registerNotesApp(
    fns,
    policy,
    notes,
    {
      audit: { store: cosmosAuditStore(audit) },
      ...deps,
    },
    { backendId: 'orgs', ...(timers ? { timers } : {}) },
  );
  return { members, tenants, audit };
}
