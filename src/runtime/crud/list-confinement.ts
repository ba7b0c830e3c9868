import type { SqlParameter } from '@azure/cosmos';
import type { HttpRequest } from '@azure/functions';
import type { CrudRequest } from './context.js';
import { explicitPartitionValue, type PartitionValue } from '../values/partition.js';
import { ownerCondition } from '../access/owner-condition.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import type { ListWithin } from '../relations/list-hooks.js';
import { isParent } from '../relations/list-hooks.js';
import { NOT_DELETING } from '../relations/deleting.js';

/**
 * What confines every query of one list request, as WHERE conditions and their parameters: the caller's tenant
 * (isolated entities), one partition when the client names it (`?pk=`/`x-partition-key`; for `/tenantId` the tenant
 * is the partition), the owner rule, a parent's children, parents being deleted. Lists and aggregates share it.
 *
 * @example
 * ```ts
 * const { where, parameters, partition } = listConfinement(ctx, request, ctx.tenant, ctx.within);
 * ```
 */
export function listConfinement(
  ctx: CrudRequest,
  request: HttpRequest,
  tenant: Tenant | undefined,
  within?: ListWithin,
): { where: string[]; parameters: SqlParameter[]; partition: PartitionValue | undefined } {
  const byTenantKey = ctx.pkField === TENANT_FIELD && tenant !== undefined;
  const partition = byTenantKey
    ? tenant.id
    : ctx.pkField === 'id'
      ? undefined
      : explicitPartitionValue(ctx.entity, request);
  // The WHERE clause, not only the partitionKey option, confines the query: isolation must not depend on
  // every server honouring the option (the local test server, for one, ignores it).
  const where: string[] = [];
  const parameters: SqlParameter[] = [];
  if (partition !== undefined) {
    where.push(`c["${ctx.pkField}"] = @pk`);
    parameters.push({ name: '@pk', value: partition });
  }
  if (tenant !== undefined && !byTenantKey) {
    where.push(`c["${TENANT_FIELD}"] = @tenant`);
    parameters.push({ name: '@tenant', value: tenant.id });
  }
  ownerCondition(ctx, where, parameters);
  // A parent whose delete is under way is gone from lists at once (relations/deleting.ts).
  if (isParent(ctx.entity)) where.push(NOT_DELETING);
  // A parent's children (runtime/relations/children.ts): the relation's field, checked against the manifest.
  if (within) {
    where.push(`c["${within.field}"] = @parent`);
    parameters.push({ name: '@parent', value: within.value });
  }
  return { where, parameters, partition };
}
