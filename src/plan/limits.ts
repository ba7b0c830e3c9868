import type { NormalizedConfig } from '../model/config.js';
import type { LimitViolation, PlannedResource } from '../model/plan.js';

const SPLIT = 'Split components across multiple backends';
const QUOTA = 'Request Azure quota increase';

/** Azure's own ceilings, applied even when the user sets none. */
export const AZURE_LIMITS = {
  // The seeds' "Total functions < 200" sharing rule for one Function App.
  functionsPerApp: 200,
  // The seeds' practical limit of 500 containers per storage account.
  containersPerStorage: 500,
  // Cosmos DB: 1,000,000 RU/s per database by default (learn.microsoft.com/azure/cosmos-db/concepts-limits).
  throughputPerDatabase: 1_000_000,
} as const;

interface Rule {
  limit: keyof NormalizedConfig['limits'];
  what: string;
  type: string;
  measure(resources: readonly PlannedResource[]): { requested: number; where?: string }[];
  azure?: number;
}

const count = (type: string) => (rs: readonly PlannedResource[]) => [{ requested: rs.filter((r) => r.type === type).length }];
const per = (type: string, f: (r: PlannedResource) => number) => (rs: readonly PlannedResource[]) =>
  rs.filter((r) => r.type === type).map((r) => ({ requested: f(r), where: r.name }));

const RULES: readonly Rule[] = [
  { limit: 'maxCosmosAccounts', what: 'Cosmos DB accounts', type: 'cosmos', measure: count('cosmos') },
  { limit: 'maxFunctionApps', what: 'Function Apps', type: 'functions', measure: count('functions') },
  { limit: 'maxStorageAccounts', what: 'Storage Accounts', type: 'storage', measure: count('storage') },
  { limit: 'maxFunctionsPerApp', what: 'functions per Function App', type: 'functions', azure: AZURE_LIMITS.functionsPerApp,
    measure: per('functions', (r) => Number(r.config['functionCount'] ?? 0)) },
  { limit: 'maxContainersPerStorage', what: 'containers per Storage Account', type: 'storage', azure: AZURE_LIMITS.containersPerStorage,
    measure: per('storage', (r) => ((r.config['containers'] as unknown[]) ?? []).length + ((r.config['queues'] as unknown[]) ?? []).length) },
  { limit: 'maxThroughputPerDatabase', what: 'throughput per database (RU/s)', type: 'cosmos', azure: AZURE_LIMITS.throughputPerDatabase,
    measure: (rs) => rs.filter((r) => r.type === 'cosmos').flatMap((r) =>
      ((r.config['databases'] as { name: string; throughput?: number; containers: { throughput?: number }[] }[]) ?? []).map((d) => ({
        requested: (d.throughput ?? 0) + d.containers.reduce((s, c) => s + (c.throughput ?? 0), 0), where: `${r.name}/${d.name}`,
      }))) },
];

/**
 * Phase 5: configured limits and Azure's own, as data. `apply` turns them into a ResourceLimitError whose
 * message has the seeds' shape (what, Limit, Requested, numbered solutions).
 */
export function checkLimits(resources: readonly PlannedResource[], config: NormalizedConfig): LimitViolation[] {
  const out: LimitViolation[] = [];
  for (const rule of RULES) {
    const configured = config.limits[rule.limit];
    const allowed = configured ?? rule.azure;
    if (allowed === undefined) continue;
    for (const m of rule.measure(resources)) {
      if (m.requested <= allowed) continue;
      out.push({
        limit: rule.limit, allowed, requested: m.requested, resourceType: rule.type,
        message: `Maximum ${rule.what} exceeded${m.where ? ` (${m.where})` : ''}`,
        solutions: configured !== undefined ? [`Increase ${rule.limit} in backend config`, SPLIT, QUOTA] : [SPLIT, QUOTA],
      });
    }
  }
  return out;
}
