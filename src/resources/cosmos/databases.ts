import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { JsonValue, PlanIssue } from '../../model/plan.js';
import type { ContainerRequirement, CosmosRequirementConfig } from './requirement.js';
import type { TypedRequirement } from '../../kit/pure/resources/resource-type.js';
import { compare, priority, type Contribution } from '../../kit/pure/resources/merge-strategies.js';
import { ByName } from './by-name.js';
import { at } from '../../model/at.js';
import type { ContainerSearch } from './search-policy.js';
import { mergeSearch } from './search-merge.js';

/** A container after merging, with the components that use it and how. */
export interface MergedContainer {
  name: string;
  partitionKey: string;
  ttl?: number;
  uniqueKeys: string[];
  throughput?: number;
  autoscaleMaxThroughput?: number;
  indexingPolicy?: { [k: string]: JsonValue };
  /** componentId → 'read' | 'readwrite' */
  access: { [componentId: string]: 'read' | 'readwrite' };
  /** A change feed trigger's lease container (see `ContainerRequirement.lease`). */
  lease?: true;
  /** Full-text and vector policies and indexes (./search-policy.ts): one declaration per container. */
  search?: ContainerSearch;
  /**
   * Who creates the container: `'atakora deploy'` (through Resource Manager, after Terraform) for a search
   * container, whose policies azurerm cannot declare; absent → Terraform.
   */
  deployedBy?: 'atakora deploy';
}

export interface MergedDatabase {
  name: string;
  throughput?: number;
  autoscaleMaxThroughput?: number;
  containers: MergedContainer[];
}

type CosmosRequirement = TypedRequirement<CosmosRequirementConfig>;

/** One requirement's mention of a container. */
interface Source {
  readonly r: CosmosRequirement;
  readonly c: ContainerRequirement;
}

/**
 * Every mention of one container. The first is kept inline and later ones in `more`: almost every container
 * has exactly one (10,000 CrudApis, 10,000 containers), and this runs once per group and once per consumer
 * when the planner prices its own copy.
 */
interface ContainerState {
  readonly name: string;
  /** Its partition key is the container's. */
  readonly first: Source;
  /** Later mentions, conflicting partition keys included (their throughput still counts). */
  more: Source[] | undefined;
}

interface DatabaseState {
  readonly name: string;
  /** Name and throughput; `containers` is filled by the caller. */
  readonly db: MergedDatabase;
  readonly containers: ByName<ContainerState>;
}

/** What the price of an account reads of one database (`cosmosMonthlyUsd`). */
export interface DatabaseThroughput {
  readonly throughput?: number;
  readonly autoscaleMaxThroughput?: number;
  readonly containers: readonly {
    readonly throughput?: number;
    readonly autoscaleMaxThroughput?: number;
  }[];
}

const prio = (r: CosmosRequirement) => r.requirement.priority ?? 10;
const accessOf = (r: CosmosRequirement) => r.requirement.config.access ?? 'readwrite';
const ttlOf = (c: ContainerRequirement) => c.ttl;
const policyOf = (c: ContainerRequirement) =>
  c.indexingPolicy ? JSON.stringify(c.indexingPolicy) : undefined;
const byName = (a: { readonly name: string }, b: { readonly name: string }) =>
  compare(a.name, b.name);

/** Cosmos autoscale maximums are multiples of 1,000 RU/s, at least 1,000 (default 4,000). */
function autoscaleMax(requested: number | undefined): number {
  return Math.max(1000, Math.ceil((requested ?? 4000) / 1000) * 1000);
}

/**
 * The databases and containers of one Cosmos account merged from its requirements (sorted by component id):
 * containers unioned by database and name, unique keys unioned, throughput the highest, `ttl` and
 * `indexingPolicy` by priority, the backend's `autoScale` for containers with no throughput of their own.
 * Databases and their containers sorted by name.
 *
 * @example
 * ```ts
 * const issues: PlanIssue[] = [];
 * mergeDatabases(reqs, true, config, issues); // [{ name: 'user-db', containers: [{ name: 'user', partitionKey: '/id', uniqueKeys: [], access: { UserApi: 'readwrite' } }] }]
 * ```
 */
export function mergeDatabases(
  reqs: readonly CosmosRequirement[],
  serverless: boolean,
  config: NormalizedConfig,
  issues: PlanIssue[],
): MergedDatabase[] {
  const dbs = collect(reqs, serverless, issues);
  const out: MergedDatabase[] = [];
  // Issues of shared containers' scalars come in first-mention order, before the sort.
  for (const { db, containers } of dbs) {
    for (const s of containers.items)
      db.containers.push(mergeContainer(db, s, serverless, config, issues));
    if (db.containers.length > 1) db.containers.sort(byName);
    out.push(db);
  }
  return out.sort(byName);
}

/**
 * What `cosmosMonthlyUsd` reads of the databases {@link mergeDatabases} would give for the same requirements
 * (same order, same throughput), without what the price does not read (access, keys, ttl, indexing) and
 * without issues: the planner asks it for each consumer's own copy of a shared account.
 *
 * @example
 * ```ts
 * cosmosMonthlyUsd({ serverless: false, databases: databaseThroughputs(reqs, false, config) });
 * ```
 */
export function databaseThroughputs(
  reqs: readonly CosmosRequirement[],
  serverless: boolean,
  config: NormalizedConfig,
): DatabaseThroughput[] {
  const dbs = collect(reqs, serverless, undefined);
  if (dbs.length > 1) dbs.sort(byName);
  return dbs.map(({ db, containers: { items } }) => {
    const states = items.length > 1 ? [...items].sort(byName) : items;
    return {
      throughput: db.throughput,
      autoscaleMaxThroughput: db.autoscaleMaxThroughput,
      containers: states.map((s) => {
        const t = {};
        if (!serverless) setThroughput(t, db, s, config);
        return t;
      }),
    };
  });
}

/**
 * Pass one: every container mention by database and name, in requirement order; database throughput (the
 * highest); partition key conflicts, reported in the same order.
 */
function collect(
  reqs: readonly CosmosRequirement[],
  serverless: boolean,
  issues: PlanIssue[] | undefined,
): DatabaseState[] {
  const dbs = new ByName<DatabaseState>();
  for (const r of reqs) {
    const databases = r.requirement.config.databases;
    if (!databases) continue;
    for (let di = 0; di < databases.length; di++) {
      const d = at(databases, di);
      let state = dbs.get(d.name);
      if (!state) {
        state = { name: d.name, db: { name: d.name, containers: [] }, containers: new ByName() };
        dbs.add(state);
      }
      const db = state.db;
      if (!serverless) {
        if (d.throughput !== undefined) db.throughput = Math.max(db.throughput ?? 0, d.throughput);
        if (d.autoscaleMaxThroughput !== undefined)
          db.autoscaleMaxThroughput = Math.max(
            db.autoscaleMaxThroughput ?? 0,
            d.autoscaleMaxThroughput,
          );
      }
      const containers = d.containers;
      if (!containers) continue;
      for (let ci = 0; ci < containers.length; ci++) {
        const c = at(containers, ci);
        const existing = state.containers.get(c.name);
        if (!existing) {
          state.containers.add({ name: c.name, first: { r, c }, more: undefined });
          continue;
        }
        (existing.more ??= []).push({ r, c });
        const first = existing.first;
        if (issues && first.c.partitionKey !== c.partitionKey) {
          issues.push({
            severity: 'error',
            code: 'PARTITION_KEY_CONFLICT',
            components: [first.r.componentId, r.componentId].sort(compare),
            path: requirementPath(r, 'databases', di, 'containers', ci, 'partitionKey'),
            message:
              `Container "${d.name}/${c.name}" is used by ${first.r.componentId} with partition key ` +
              `${first.c.partitionKey} and by ${r.componentId} with partition key ${c.partitionKey}; a ` +
              `container has exactly one partition key.`,
          });
        }
      }
    }
  }
  return dbs.items;
}

/** Pass two: one merged container from its mentions. */
function mergeContainer(
  db: MergedDatabase,
  s: ContainerState,
  serverless: boolean,
  config: NormalizedConfig,
  issues: PlanIssue[],
): MergedContainer {
  const { r, c } = s.first;
  const access: MergedContainer['access'] = {};
  access[r.componentId] = c.access ?? accessOf(r);
  let uniqueKeys = sortedCopy(c.uniqueKeys);
  // Mentions with another partition key are conflicts (reported): they add no keys and no access.
  for (const m of s.more ?? []) {
    if (m.c.partitionKey !== c.partitionKey) continue;
    uniqueKeys = [...new Set([...uniqueKeys, ...(m.c.uniqueKeys ?? [])])].sort(compare);
    access[m.r.componentId] =
      access[m.r.componentId] === 'readwrite' ? 'readwrite' : (m.c.access ?? accessOf(m.r));
  }
  const cont: MergedContainer = { name: s.name, partitionKey: c.partitionKey, uniqueKeys, access };
  if (isLease(s)) cont.lease = true;
  // Scalars of shared containers: higher priority wins, ties with different values are errors.
  const ttl = scalar(db, s, ttlOf, 'ttl', issues);
  if (ttl !== undefined) cont.ttl = ttl;
  const policy = scalar(db, s, policyOf, 'indexing policy', issues);
  if (policy !== undefined) cont.indexingPolicy = JSON.parse(policy) as { [k: string]: JsonValue };
  if (!serverless) setThroughput(cont, db, s, config);
  const search = mergeSearch(db, s.first, s.more ?? [], cont, issues);
  if (search) {
    cont.search = search;
    cont.deployedBy = 'atakora deploy';
  }
  return cont;
}

/**
 * A provisioned container's throughput: the highest of its mentions, else the backend's autoScale
 * unless the database has shared throughput.
 */
function setThroughput(
  target: { throughput?: number; autoscaleMaxThroughput?: number },
  db: MergedDatabase,
  s: ContainerState,
  config: NormalizedConfig,
): void {
  let tp = Math.max(0, s.first.c.throughput ?? 0);
  let auto = Math.max(0, s.first.c.autoscaleMaxThroughput ?? 0);
  for (const m of s.more ?? []) {
    tp = Math.max(tp, m.c.throughput ?? 0);
    auto = Math.max(auto, m.c.autoscaleMaxThroughput ?? 0);
  }
  if (tp > 0) target.throughput = tp;
  if (auto > 0) target.autoscaleMaxThroughput = auto;
  if (tp > 0 || auto > 0 || db.throughput !== undefined || db.autoscaleMaxThroughput !== undefined)
    return;
  // A lease container holds one small document per partition of the watched container, checkpointed every few
  // seconds: Azure's smallest throughput in the account's mode (Learn, "Azure Cosmos DB service quotas",
  // "Minimum throughput limits": 400 RU/s manual; "autoscale": a maximum of at least 1,000 RU/s, billed from 10%
  // of it; https://learn.microsoft.com/azure/cosmos-db/concepts-limits#minimum-throughput-limits,
  // https://learn.microsoft.com/azure/cosmos-db/provision-throughput-autoscale), never the backend's maximum.
  if (isLease(s)) {
    if (config.autoScale?.enabled) target.autoscaleMaxThroughput = AUTOSCALE_MIN_MAX_RU_S;
    else target.throughput = MANUAL_MIN_RU_S;
    return;
  }
  // The backend's autoScale covers containers that set no throughput of their own.
  if (config.autoScale?.enabled)
    target.autoscaleMaxThroughput = autoscaleMax(config.autoScale.maxThroughput);
}

/** Azure's smallest manual throughput of a container (concepts-limits, "Minimum throughput limits"). */
export const MANUAL_MIN_RU_S = 400;
/** Azure's smallest autoscale maximum of a container (provision-throughput-autoscale). */
export const AUTOSCALE_MIN_MAX_RU_S = 1000;

/** Every mention of the container marks it a lease container (a user's own container of that name is not one). */
function isLease(s: ContainerState): boolean {
  return s.first.c.lease === true && (s.more ?? []).every((m) => m.c.lease === true);
}

/** A container scalar by priority over its mentions; a single mention is its own value (no conflict to report). */
function scalar<T extends string | number>(
  db: MergedDatabase,
  s: ContainerState,
  pick: (c: ContainerRequirement) => T | undefined,
  what: string,
  issues: PlanIssue[],
): T | undefined {
  if (!s.more) return pick(s.first.c);
  const items: Contribution<T>[] = [];
  for (const m of [s.first, ...s.more]) {
    const value = pick(m.c);
    if (value !== undefined)
      items.push({ componentId: m.r.componentId, priority: prio(m.r), value });
  }
  const merged = priority(items, `${what} of container ${db.name}/${s.name}`);
  for (const i of merged.issues) issues.push(i);
  return merged.value;
}

/** Unique keys of a container's first mention: sorted, duplicates kept as given (a second mention dedupes them). */
// Most containers have no unique keys: one frozen empty list, which the plan keeps as it is (kit/pure/plain-data.ts)
// instead of freezing 10,000 of them at 10,000 CrudApis. Never changed: a merge replaces the list, never pushes.
const NO_KEYS: string[] = frozenPlainData([]);

function sortedCopy(keys: readonly string[] | undefined): string[] {
  if (!keys || keys.length === 0) return NO_KEYS;
  return keys.length === 1 ? keys.slice() : [...keys].sort(compare);
}
