import type { JsonValue, PlannedDeploy } from '../../model/plan.js';
import type { SourcedRequirement, StorageRequirementConfig } from '../../model/requirements.js';
import type { ResourceKind } from '../../plan/resource-kind.js';
import { compare, union } from '../../plan/merge-strategies.js';
import { tfName } from '../../plan/terraform-names.js';
import { storageMonthlyUsd } from '../../plan/prices.js';

/** The merged `storage` config in the plan. */
export interface MergedStorageConfig {
  tier: 'Standard' | 'Premium';
  replication: string;
  containers: string[];
  queues: string[];
}

const cfg = (r: SourcedRequirement) => r.requirement.config as StorageRequirementConfig;
const prio = (r: SourcedRequirement) => r.requirement.priority ?? 10;

/** Storage accounts: shared by performance tier and replication. */
export const storageKind: ResourceKind = {
  type: 'storage',
  namePrefix: 'st',
  compatibility(req) {
    const tier = cfg(req).tier ?? 'Standard';
    const replication = cfg(req).replication ?? 'LRS';
    return { key: `${tier.toLowerCase()}|${replication.toLowerCase()}`, isDefault: tier === 'Standard' && replication === 'LRS' };
  },
  merge(reqs) {
    const c0 = cfg(reqs[0]!);
    const merged: MergedStorageConfig = {
      tier: c0.tier ?? 'Standard',
      replication: c0.replication ?? 'LRS',
      containers: union(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).containers ?? [] }))).value,
      queues: union(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).queues ?? [] }))).value,
    };
    return { config: merged as unknown as { [k: string]: JsonValue }, issues: [] };
  },
  deploys(group, ctx) {
    const c = group.config as unknown as MergedStorageConfig;
    const base = tfName(ctx.backendId, group.key);
    return [
      { terraformType: 'azurerm_storage_account', name: base },
      ...c.containers.map((n): PlannedDeploy => ({ terraformType: 'azurerm_storage_container', name: tfName(base, 'container', n) })),
      ...c.queues.map((n): PlannedDeploy => ({ terraformType: 'azurerm_storage_queue', name: tfName(base, 'queue', n) })),
    ].sort((a, b) => compare(a.terraformType, b.terraformType) || compare(a.name, b.name));
  },
  monthlyUsd(config) {
    // The assumed 10 GB of Hot capacity at this account's redundancy (plan/prices.ts): $0.18 at LRS, the seeds' minimum.
    const c = config as unknown as MergedStorageConfig;
    return storageMonthlyUsd(c.tier, c.replication);
  },
  // Tier and replication are the group's compatibility key: every consumer's own copy costs the same.
  standaloneMonthlyUsd(_own, shared) {
    return this.monthlyUsd(shared);
  },
};
