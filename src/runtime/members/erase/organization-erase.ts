import { organizationLifeOf, organizationNext } from '../../../model/lives/organization-life.js';
import type { Container } from '@azure/cosmos';
import type { RuntimeEntity } from '../../../model/runtime-manifest.js';
import { type AuditLog, recordAudit } from '../../audit/record-audit.js';
import type { RegistryAdminStore } from '../../tenants/registry-admin-store.js';
import type { TenantRecord, TenantTombstone } from '../../../contract/tenants.js';
import {
  cancelOnErase,
  type OrganizationSubscriptions,
} from '../../billing/organization-subscription.js';
import { TENANT_FIELD } from '../../values/tenancy.js';
import { CREATOR_TENANT_FIELD } from '../../values/system-fields.js';
import { eraseStoredBytes } from '../../usage/stored-erase.js';
import { eraseMembersPartition } from './members-partition-erase.js';

/** Where an erase deletes: the registry's stores and containers, and each CrudApi's container. */
export interface EraseTargets {
  readonly admin: RegistryAdminStore;
  /** The registry's container (`/id`): the record becomes a tombstone there, last. */
  readonly registry: Container;
  /** The `members` container (`/tenant`): memberships, invitations, domains, joins of the organization. */
  readonly members?: Container;
  readonly entities: readonly { readonly entity: RuntimeEntity; readonly container: Container }[];
  /**
   * Each FileStore's erase of an organization's blobs, through the blob client its routes use
   * (files/organization-files-erase.ts): how many it deleted.
   */
  readonly files?: readonly {
    readonly componentId: string;
    erase(tenant: string): Promise<number>;
  }[];
  /**
   * The usage ledger (`/tenant`): the organization's stored bytes are brought to 0 there, its hour lines kept
   * (usage/stored-erase.ts), so one re-created with the same id starts at 0 under its plan's storage quota.
   */
  readonly usage?: Container;
  readonly audit?: AuditLog;
  /** With subscriptions: a subscription that still lives is canceled at once (billing/organization-subscription.ts). */
  readonly billing?: OrganizationSubscriptions;
}

/**
 * What one run did: the organizations erased, with the items each CrudApi and the blobs each FileStore lost, and the
 * stored bytes taken off the usage ledger.
 */
export interface EraseRun {
  readonly erased: readonly {
    readonly tenant: string;
    readonly items: Record<string, number>;
    readonly storedBytes: number;
    /** Its Stripe subscription: `canceled` here, `none` live, or `left` to end as scheduled (Stripe unreachable). */
    readonly subscription: 'canceled' | 'none' | 'left';
  }[];
}

/** The actor an erase is audited as: the runtime's own timer, no person. */
const TIMER_ACTOR = { id: 'organization-erase', via: 'handler' } as const;
const PAGE = 100;

/**
 * True for a record an Owner deleted (`DELETE api/tenant`: suspended with a `deleteOn`) whose `deleteOn` is at or
 * before `now`. An undeleted organization is active with no `deleteOn`; an operator's suspension has none either.
 *
 * @example
 * ```ts
 * isDue({ status: 'suspended', deleteOn: '2026-01-01T00:00:00Z' }, new Date('2026-02-01')); // true
 * ```
 */
export function isDue(
  record: { readonly status?: string; readonly deleteOn?: string },
  now: Date,
): boolean {
  // The life table's `erase-due` (model/lives/organization-life.ts): only a deleted one, from its `deleteOn` on.
  const at = typeof record.deleteOn === 'string' ? Date.parse(record.deleteOn) : undefined;
  const life = organizationLifeOf(record);
  return organizationNext({ life, deleteOn: at }, 'erase-due', now.getTime()).ok;
}

/**
 * Erase every organization whose deletion is due ({@link isDue}): its items in each CrudApi (an isolated one's by
 * `tenantId`, a shared one's its users created), its files in each FileStore, its `members` partition and claims, its stored bytes in the usage ledger, then — after `tenant.erased` is audited —
 * its registry record, last. Idempotent: the record goes only when the rest is gone, so a run that fails halfway
 * leaves the organization due and the next run finishes it; every delete treats 404 as done. The record is read
 * again before each erase, so one undeleted since the page was read is kept.
 *
 * @example
 * ```ts
 * const run = await eraseDueOrganizations(targets, new Date()); // { erased: [{ tenant: 'acme', items: { NoteApi: 3 } }] }
 * ```
 */
export async function eraseDueOrganizations(targets: EraseTargets, now: Date): Promise<EraseRun> {
  const erased: EraseRun['erased'][number][] = [];
  let token: string | undefined;
  do {
    const page = await targets.admin.list(PAGE, token);
    for (const r of page.records) {
      if (!isDue(r, now)) continue;
      const fresh = await targets.admin.read(r.id);
      if (!fresh || !isDue(fresh.record, now)) continue;
      erased.push({ tenant: r.id, ...(await eraseOrganization(targets, fresh.record, now)) });
    }
    token = page.next;
  } while (token !== undefined);
  return { erased };
}

/**
 * Everything of one organization, its registry record last: its items, its members data and the domains and
 * directory it claims (members-partition-erase.ts), its stored bytes in the ledger — once the data they counted is
 * gone —, the `tenant.erased` line in its audit log (kept to its retention as the operator's evidence, never deleted:
 * the tombstone admits no one, so no one reads it through an API again); then the record becomes a tombstone `{ id,
 * status: 'erased', erasedOn }` — nothing else kept, the id refused to any later create (409) and admitting no one —
 * and last a subscription that still lives is canceled (its events then find no organization).
 */
async function eraseOrganization(
  targets: EraseTargets,
  record: TenantRecord,
  now: Date,
): Promise<{
  items: Record<string, number>;
  storedBytes: number;
  subscription: 'canceled' | 'none' | 'left';
}> {
  const tenant = record.id;
  const items: Record<string, number> = {};
  for (const { entity, container } of targets.entities)
    items[entity.componentId] = await eraseEntityItems(entity, container, tenant);
  for (const store of targets.files ?? []) items[store.componentId] = await store.erase(tenant);
  if (targets.members) await eraseMembersPartition(targets.members, tenant);
  const storedBytes = targets.usage ? await eraseStoredBytes(targets.usage, tenant, now) : 0;
  await recordAudit(targets, {
    tenant,
    actor: TIMER_ACTOR,
    action: 'tenant.erased',
    target: tenant,
    changes: { ...items },
  });
  const tombstone: TenantTombstone = { id: tenant, status: 'erased', erasedOn: now.toISOString() };
  await targets.registry.items.upsert({ ...tombstone });
  // After the tombstone: the cancel's own webhook event then finds no organization and changes nothing.
  const subscription = await cancelOnErase(targets.billing, record);
  return { items, storedBytes, subscription };
}

const at = (tenant: string) => ({ parameters: [{ name: '@t', value: tenant }] });

/** An isolated CrudApi's items stamped with the organization; a shared one's its users created. */
function eraseEntityItems(entity: RuntimeEntity, container: Container, tenant: string) {
  const key = entity.partitionKey.slice(1);
  const field = entity.tenancy === 'shared' ? CREATOR_TENANT_FIELD : TENANT_FIELD;
  return deleteAll(
    container,
    { query: `SELECT c.id, c["${key}"] AS k FROM c WHERE c["${field}"] = @t`, ...at(tenant) },
    (item) => item.k,
  );
}

/** Delete every item the query finds (404 counts as deleted: another run got there first); how many were found. */
async function deleteAll(
  container: Container,
  query: { query: string; parameters: { name: string; value: string }[] },
  keyOf: (item: {
    id: string;
    k?: string | number | boolean;
  }) => string | number | boolean | undefined,
): Promise<number> {
  const { resources } = await container.items
    .query<{ id: string; k?: string | number | boolean }>(query)
    .fetchAll();
  for (const item of resources)
    try {
      await container.item(item.id, keyOf(item)).delete();
    } catch (e) {
      if ((e as { code?: unknown }).code !== 404) throw e;
    }
  return resources.length;
}
