import type { PlanIssue, PlanIssueBase, PlannedDeploy } from '../../model/plan.js';
import type { StorageRequirementConfig } from './requirement.js';
import { storageFacts } from './facts.js';
import { FILES_RETENTION, type FilesRetention } from './retention.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { compare, listContributions, union } from '../../kit/pure/resources/merge-strategies.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { storageMonthlyUsd } from './prices.js';
import { FILES_PURPOSE } from '../../kit/pure/resources/data-storage.js';
import { at } from '../../model/at.js';
import { intersection } from '../../kit/pure/network-intersection.js';

/** The merged `storage` config in the plan. */
export interface MergedStorageConfig {
  tier: 'Standard' | 'Premium';
  replication: string;
  containers: string[];
  queues: string[];
  /** `'files'`: the FileStores' data account (never a Function App's host storage). */
  purpose?: 'files';
  /** The container each FileStore's identity reads and writes (component id → container), sorted by id. */
  blobAccess?: { [componentId: string]: string };
  /** The files account's retention (purpose `'files'`): what a deleted or abandoned blob leaves, and for how long. */
  retention?: FilesRetention;
  /**
   * The public IPv4 ranges the files account admits from outside Azure: the intersection of its FileStores'
   * `allowedIpRanges` (absent when none lists any; applied with isolated networking, see provision.ts).
   */
  ipRules?: string[];
}

export { FILES_RETENTION, type FilesRetention } from './retention.js';

const cfg = (r: TypedRequirement<StorageRequirementConfig>): StorageRequirementConfig =>
  r.requirement.config;

/**
 * The data roles of one FileStore's identity on the files account: Storage Blob Data Contributor on its own
 * container (read, write, delete its blobs) and Storage Blob Delegator on the account, which holds only
 * `Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey` — the key a user-delegation SAS
 * is signed with (Learn, "Create a user delegation SAS", "Assign permissions with Azure RBAC":
 * https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas#assign-permissions-with-rbac;
 * the key request is scoped to the account, so the delegator role must be too).
 */
export const FILES_DATA_ROLE = 'Storage Blob Data Contributor';
/** See {@link FILES_DATA_ROLE}. */
export const FILES_DELEGATOR_ROLE = 'Storage Blob Delegator';

/** Terraform names of one FileStore's two role assignments on the files account. */
export function blobAccessTfNames(
  base: string,
  componentId: string,
): { data: string; delegator: string } {
  return {
    data: tfName(base, 'blob', componentId),
    delegator: tfName(base, 'delegator', componentId),
  };
}

function blobAccessDeploys(
  base: string,
  access: MergedStorageConfig['blobAccess'],
): PlannedDeploy[] {
  return Object.keys(access ?? {}).flatMap((id) => {
    const n = blobAccessTfNames(base, id);
    return [
      { terraformType: 'azurerm_role_assignment', name: n.data },
      { terraformType: 'azurerm_role_assignment', name: n.delegator },
    ];
  });
}

/**
 * Isolated mode: the files account takes no public traffic, so a browser outside the VNet can neither PUT an
 * upload nor GET a download URL; the plan says so where it is decided.
 */
function filesIssues(
  reqs: readonly TypedRequirement<StorageRequirementConfig>[],
  mode: 'public' | 'isolated',
): PlanIssue[] {
  if (mode !== 'isolated') return [];
  const stores = [...new Set(reqs.map((r) => r.componentId))].sort(compare);
  return [
    {
      code: 'FILES_PRIVATE_ENDPOINT',
      ...networkingIssue(
        'warning',
        stores,
        `${stores.join(', ')}: with isolated networking the files account is reached only through its private ` +
          'endpoint: upload and download URLs work only for browsers inside the VNet (or connected to it); ' +
          'browsers on the internet cannot upload or download (docs/files.md#isolated-networking).',
      ),
    },
  ];
}

/**
 * A storage firewall cannot admit the Function App of a public backend: Learn, "Configure Azure Storage firewalls
 * and virtual networks" — requests from services in the account's region come from private Azure addresses that
 * no IP rule matches, and App Service / Functions is not among the trusted services `bypass = ["AzureServices"]`
 * admits; only a VNet (service endpoint or private endpoint) does. So ranges on a public backend's files account
 * would lock the runtime out of the SAS keys and blobs it serves: an error, never a silent outage.
 */
function isolationNeeded(
  reqs: readonly TypedRequirement<StorageRequirementConfig>[],
  ranges: readonly string[] | undefined,
  mode: 'public' | 'isolated',
): PlanIssue[] {
  if (!ranges || mode === 'isolated') return [];
  const stores = [
    ...new Set(reqs.filter((r) => cfg(r).allowedIpRanges).map((r) => r.componentId)),
  ].sort(compare);
  return [
    {
      code: 'NETWORK_RULES_NEED_ISOLATION',
      ...networkingIssue(
        'error',
        stores,
        `${stores.join(', ')}: allowedIpRanges on a files account needs networking: 'isolated'. With public ` +
          "networking the Function App reaches the account from Azure's private addresses, which no storage IP " +
          'rule admits (and Functions is no trusted service), so the firewall would lock the runtime out.',
      ),
      resolution:
        "Use networking: 'isolated' (the app reaches the files account through its private endpoint, the listed " +
        'ranges through the public one), or remove allowedIpRanges from the FileStore.',
    },
  ];
}

/** An issue of the backend's networking (`config.networking`) that names the FileStores it concerns. */
function networkingIssue(
  severity: PlanIssue['severity'],
  stores: string[],
  message: string,
): PlanIssueBase {
  return { severity, components: stores, path: ['config', 'networking'], message };
}

/** Storage accounts: shared by performance tier and replication. */
export const storageType = defineResourceType<StorageRequirementConfig, MergedStorageConfig>()({
  type: 'storage',
  namePrefix: 'st',
  facts: storageFacts,
  attributes: {
    name: (n) => n,
    blobEndpoint: (n) => `https://${n}.blob.core.windows.net/`,
    queueEndpoint: (n) => `https://${n}.queue.core.windows.net/`,
  },
  compatibility(req) {
    const tier = cfg(req).tier ?? 'Standard';
    const replication = cfg(req).replication ?? 'LRS';
    const key = `${tier.toLowerCase()}|${replication.toLowerCase()}`;
    // Application data lives apart from the host's account (its keys, its queues, its deployment container).
    // A FileStore whose allowedIpRanges are disjoint from the files account's (plan/network-groups.ts).
    const group = cfg(req).networkGroup === undefined ? '' : `|ip-${cfg(req).networkGroup}`;
    if (cfg(req).purpose === 'files')
      return { key: `${FILES_PURPOSE}|${key}${group}`, isDefault: false };
    return { key, isDefault: tier === 'Standard' && replication === 'LRS' };
  },
  merge(reqs, config) {
    const c0 = cfg(at(reqs, 0));
    const merged: MergedStorageConfig = {
      tier: c0.tier ?? 'Standard',
      replication: c0.replication ?? 'LRS',
      containers: union(listContributions(reqs, (r) => cfg(r).containers)).value,
      queues: union(listContributions(reqs, (r) => cfg(r).queues)).value,
    };
    if (c0.purpose === 'files') {
      merged.purpose = 'files';
      const access: { [componentId: string]: string } = {};
      for (const r of [...reqs].sort((a, b) => compare(a.componentId, b.componentId)))
        Object.assign(access, cfg(r).blobAccess);
      merged.blobAccess = Object.fromEntries(
        Object.entries(access).sort(([a], [b]) => compare(a, b)),
      );
      merged.retention = {
        versioning: false,
        ...FILES_RETENTION,
        stagingPrefixes: merged.containers.map((c) => `${c}/~staging/`),
        pendingPrefixes: merged.containers.map((c) => `${c}/~pending/`),
      };
      const network = intersection(
        reqs.map((r) => ({ componentId: r.componentId, ranges: cfg(r).allowedIpRanges })),
        'The files storage account',
      );
      if (network.ranges) merged.ipRules = network.ranges;
      return {
        config: merged,
        issues: [
          ...filesIssues(reqs, config.networking.mode),
          ...network.issues,
          ...isolationNeeded(reqs, network.ranges, config.networking.mode),
        ],
      };
    }
    return { config: merged, issues: [] };
  },
  deploys(group, ctx) {
    const c = group.config;
    const base = tfName(ctx.backendId, group.key);
    return [
      { terraformType: 'azurerm_storage_account', name: base },
      ...c.containers.map(
        (n): PlannedDeploy => ({
          terraformType: 'azurerm_storage_container',
          name: tfName(base, 'container', n),
        }),
      ),
      ...c.queues.map(
        (n): PlannedDeploy => ({
          terraformType: 'azurerm_storage_queue',
          name: tfName(base, 'queue', n),
        }),
      ),
      ...blobAccessDeploys(base, c.blobAccess),
      ...(c.retention
        ? [
            {
              terraformType: 'azurerm_storage_management_policy',
              name: tfName(base, 'lifecycle'),
            },
          ]
        : []),
    ].sort((a, b) => compare(a.terraformType, b.terraformType) || compare(a.name, b.name));
  },
  monthlyUsd(config) {
    // The assumed 10 GB of Hot capacity at this account's redundancy (./prices.ts): $0.18 at LRS, the seeds' minimum.
    const c = config;
    return storageMonthlyUsd(c.tier, c.replication);
  },
  // Tier and replication are the group's compatibility key: every consumer's own copy costs the same.
  standaloneMonthlyUsd(_own, shared) {
    return this.monthlyUsd(shared);
  },
});
