import type { ResourcePlan } from '../../model/plan.js';
import { DEFAULT_OWNER_FIELD } from '../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../resources/types.js';
import { type PlannedCrudApi, plannedCrudApis } from '../shared/load-migrations.js';
import { registryLocation } from '../shared/registry-location.js';
import { isIsolated } from '../../runtime/values/tenancy.js';

/** One CrudApi whose items a tenant command reads or writes: where they are and how the runtime serves them. */
export interface TenantEntity extends PlannedCrudApi {
  /** The field the runtime records a create's caller in. */
  readonly ownerField: string;
  /** Isolated: confined to one tenant (`tenantId` stamped); shared: every tenant's, items owned by users. */
  readonly isolated: boolean;
}

/** One FileStore whose files a tenant command reads or writes. */
export interface TenantFileStore {
  readonly componentId: string;
  /** The storage account's name and the store's container, as the plan names them. */
  readonly account: string;
  readonly container: string;
  readonly isolated: boolean;
}

/** What a backend's tenant data is made of in one plan. */
export interface TenantLayout {
  readonly backendId: string;
  readonly environment: string;
  /** Every CrudApi, in component id order. */
  readonly entities: readonly TenantEntity[];
  /** Every FileStore, in component id order. */
  readonly fileStores: readonly TenantFileStore[];
  /** The registry's container, when the backend has one (`auth.allowedTenants: 'registry'`). */
  readonly registry?: {
    readonly endpoint: string;
    readonly database: string;
    readonly container: string;
    /** The `members` container, with tenants by membership. */
    readonly members?: string;
    /** With tenants by membership: the audit log's container beside it. */
    readonly audit?: string;
  };
}

/**
 * Every CrudApi of a plan with the names its Function App's settings give (as the runtime reads them), and the
 * tenant registry's container when there is one: what `atakora tenant export | import | delete` walk.
 *
 * @example
 * ```ts
 * tenantLayout(backend.plan()).entities.map((e) => e.componentId); // ['NoteApi', 'TaskApi']
 * ```
 */
export function tenantLayout(plan: ResourcePlan): TenantLayout {
  const found = plannedCrudApis(plan).map(
    (c): TenantEntity => ({
      ...c,
      ownerField: c.entity.ownerField ?? DEFAULT_OWNER_FIELD,
      isolated: isIsolated(c.entity),
    }),
  );
  const entities = found.sort((a, b) => (a.componentId < b.componentId ? -1 : 1));
  const stores = new Map<string, TenantFileStore>();
  for (const app of plan.resources) {
    if (app.type !== 'functions') continue;
    for (const store of mergedConfigOf('functions', app).fileStores ?? []) {
      const outputs = plan.components.find((c) => c.id === store.componentId)?.outputs ?? {};
      const text = (k: string) => (typeof outputs[k] === 'string' ? outputs[k] : '');
      stores.set(store.componentId, {
        componentId: store.componentId,
        account: text('storageAccountName'),
        container: text('containerName'),
        isolated: store.tenancy !== 'shared',
      });
    }
  }
  const fileStores = [...stores.values()].sort((a, b) => (a.componentId < b.componentId ? -1 : 1));
  const registry = registryLocation(plan);
  return {
    backendId: plan.backendId,
    environment: plan.environment,
    entities,
    fileStores,
    ...(registry ? { registry } : {}),
  };
}
