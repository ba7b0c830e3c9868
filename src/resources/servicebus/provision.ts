import type { ServicebusNamespace } from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { consumerApps, grantToApps } from '../../kit/cdktf/app-role-grants.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { SERVICEBUS_DATA_ROLES, serviceBusGrants, type MergedServiceBusConfig } from './type.js';

/**
 * The Service Bus namespace with its queues and topics, identity only and written out for scanners:
 * `local_auth_enabled = false` (azurerm v4.55.0 `servicebus_namespace_resource.go` defaults it to true, and
 * sends `DisableLocalAuth = !local_auth_enabled`), TLS 1.2, public network access off in isolated mode (the
 * network type adds the Premium namespace's private endpoint). Premium gets one messaging unit and one
 * partition: the same file refuses Premium with `capacity` 0 ("only supports `capacity` of 1, 2, 4, 8 or 16")
 * or `premium_messaging_partitions` 0, and any other tier with either above 0.
 *
 * @example
 * ```ts
 * const ns = provisionServiceBus(ctx, plan.resources.find((r) => r.key === 'servicebus:shared')!);
 * ```
 */
export function provisionServiceBus(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedServiceBusConfig>,
): ServicebusNamespace {
  const { ServicebusNamespace } = azurerm('servicebus-namespace');
  const { ServicebusQueue } = azurerm('servicebus-queue');
  const { ServicebusTopic } = azurerm('servicebus-topic');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const premium = c.sku === 'Premium';
  const namespace = named(
    new ServicebusNamespace(ctx.scope, base, {
      ...regional(ctx, resource.name),
      sku: c.sku,
      capacity: c.capacity,
      premiumMessagingPartitions: premium ? 1 : 0,
      localAuthEnabled: false,
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: ctx.config.networking.mode !== 'isolated',
    }),
    base,
  );
  // Queues and topics: one entity each, in the namespace, at its size.
  const entity = (kind: 'queue' | 'topic', e: { name: string; maxSizeInMegabytes: number }) => {
    const id = tfName(base, kind, e.name);
    const config = {
      name: e.name,
      namespaceId: namespace.id,
      maxSizeInMegabytes: e.maxSizeInMegabytes,
    };
    named(
      kind === 'queue'
        ? new ServicebusQueue(ctx.scope, id, config)
        : new ServicebusTopic(ctx.scope, id, config),
      id,
    );
  };
  for (const q of c.queues) entity('queue', q);
  for (const t of c.topics) entity('topic', t);
  return namespace;
}

/**
 * Each consumer's Function App identity gets Azure Service Bus Data Sender and/or Receiver on the namespace,
 * one assignment per app and role, as the plan lists. As for Key Vault: Premium/Dedicated apps through their
 * host identity (which exists before the app, so the app waits for the role), Flex apps their system identity.
 *
 * @example
 * ```ts
 * grantServiceBusAccess(ctx, resource, functionAppOf);
 * ```
 */
export function grantServiceBusAccess(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedServiceBusConfig>,
  functionAppOf: FunctionAppOf,
): void {
  const base = tfName(ctx.config.backendId, resource.key);
  const namespace = ctx.constructs.get(resource.key) as ServicebusNamespace;
  const { functionsKeyOf, appOfKey } = consumerApps(
    ctx,
    Object.keys(resource.config.access),
    functionAppOf,
  );
  const grants = serviceBusGrants(base, resource.config.access, functionsKeyOf).map((g) => ({
    ...g,
    roleDefinitionName: SERVICEBUS_DATA_ROLES[g.role],
  }));
  grantToApps(ctx, namespace.id, grants, appOfKey);
}
