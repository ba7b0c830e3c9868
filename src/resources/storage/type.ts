import type { PlannedDeploy } from '../../model/plan.js';
import type { StorageRequirementConfig } from '../../model/requirements.js';
import { storageFacts } from './facts.js';
import { defineResourceType, type TypedRequirement } from '../../kit/pure/resource-type.js';
import { compare, listContributions, union } from '../../kit/pure/merge-strategies.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import { storageMonthlyUsd } from '../../kit/pure/prices.js';

/** The merged `storage` config in the plan. */
export interface MergedStorageConfig {
  tier: 'Standard' | 'Premium';
  replication: string;
  containers: string[];
  queues: string[];
}

const cfg = (r: TypedRequirement<StorageRequirementConfig>): StorageRequirementConfig => r.requirement.config;

/** Storage accounts: shared by performance tier and replication. */
export const storageType = defineResourceType<StorageRequirementConfig, MergedStorageConfig>()({
  type: 'storage',
  namePrefix: 'st',
  facts: storageFacts,
  attributes: { name: (n) => n, blobEndpoint: (n) => `https://${n}.blob.core.windows.net/`, queueEndpoint: (n) => `https://${n}.queue.core.windows.net/` },
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
      containers: union(listContributions(reqs, (r) => cfg(r).containers)).value,
      queues: union(listContributions(reqs, (r) => cfg(r).queues)).value,
    };
    return { config: merged, issues: [] };
  },
  deploys(group, ctx) {
    const c = group.config;
    const base = tfName(ctx.backendId, group.key);
    return [
      { terraformType: 'azurerm_storage_account', name: base },
      ...c.containers.map((n): PlannedDeploy => ({ terraformType: 'azurerm_storage_container', name: tfName(base, 'container', n) })),
      ...c.queues.map((n): PlannedDeploy => ({ terraformType: 'azurerm_storage_queue', name: tfName(base, 'queue', n) })),
    ].sort((a, b) => compare(a.terraformType, b.terraformType) || compare(a.name, b.name));
  },
  monthlyUsd(config) {
    // The assumed 10 GB of Hot capacity at this account's redundancy (plan/prices.ts): $0.18 at LRS, the seeds' minimum.
    const c = config;
    return storageMonthlyUsd(c.tier, c.replication);
  },
  // Tier and replication are the group's compatibility key: every consumer's own copy costs the same.
  standaloneMonthlyUsd(_own, shared) {
    return this.monthlyUsd(shared);
  },
});
