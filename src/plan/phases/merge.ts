import type { NormalizedConfig } from '../../model/config.js';
import type { JsonValue, PlanIssue, PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { groupOf, type ResourceKey } from '../../kit/pure/names/resource-key.js';
import type { AnyResourceType, MergedGroup } from '../../kit/pure/resources/resource-type.js';
import type { RequirementGroup } from './group.js';
import { resolveReferences, type ResolvedTexts } from './references.js';
import { at, atKey } from '../../model/at.js';

type Usage = ReadonlyMap<string, Readonly<Record<string, ResourceKey>>>;

/**
 * Phase 4: references resolved to planned values, then each type merges its group (the strategies are in
 * `kit/pure/resources/merge-strategies.ts`), completes what depends on the other groups, lists its `deploys` and prices
 * it. Also what each group's consumers would pay with a copy each, for the summary.
 */
export function merge(
  groups: readonly RequirementGroup[],
  names: ReadonlyMap<ResourceKey, string>,
  usage: Usage,
  types: ReadonlyMap<string, AnyResourceType>,
  config: NormalizedConfig,
): { resources: PlannedResource[]; standaloneUsd: Map<string, number>; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const standaloneUsd = new Map<string, number>();
  const merged: (MergedGroup<object> & { type: string; name: string; kind: AnyResourceType })[] =
    [];
  const texts: ResolvedTexts = new Map();
  for (const g of groups) {
    const reqs = g.reqs
      .map((r) => resolveReferences(r, usage.get(r.componentId) ?? {}, names, types, texts))
      .sort((a, b) => compare(a.componentId, b.componentId) || a.index - b.index);
    const name = names.get(g.key) ?? '';
    const m = g.type.merge(reqs, config, name);
    issues.push(...m.issues);
    const consumers = componentIdsOf(reqs);
    merged.push({
      key: g.key,
      type: g.type.type,
      compatibility: g.compatibility,
      suffix: g.isDefault ? undefined : groupOf(g.key),
      config: m.config,
      consumers,
      kind: g.type,
      name,
    });
    standaloneUsd.set(
      g.key,
      consumers.length <= 1
        ? g.type.monthlyUsd(m.config)
        : standaloneCost(g.type, reqs, m.config, config),
    );
  }
  const resources = merged.map((g): PlannedResource => {
    const completed = { ...g, config: g.kind.complete?.(g, { usage }) ?? g.config };
    return {
      key: g.key,
      type: g.type,
      name: g.name,
      compatibility: g.compatibility,
      // Merged configs are JSON by contract (the planner freezes them in place as plain data at the end).
      config: completed.config as { [k: string]: JsonValue },
      consumers: g.consumers,
      deploys: sortDeploys(
        g.kind.deploys(completed, { backendId: config.backendId, config, usage }),
      ),
      estimatedMonthlyUsd: g.kind.monthlyUsd(completed.config),
    };
  });
  return { resources, standaloneUsd, issues };
}

/**
 * Deploys in one order everywhere: by Terraform type, then logical name (ties keep their order). Bucketed by
 * type first: a type lists each kind of resource in name order already, so each bucket's sort is one pass,
 * where one sort of the interleaved list (30,000 deploys of a Cosmos account at 10,000 CrudApis) is not.
 */
export function sortDeploys(deploys: readonly PlannedDeploy[]): PlannedDeploy[] {
  // A type that lists its deploys in this order already (Cosmos DB's, 40,000 at 10,000 CrudApis) costs one pass.
  if (inOrder(deploys)) return deploys.slice();
  // Indexed loops over the long lists: a for…of allocates an iterator result per item until the JIT optimises
  // the loop, which a fresh process's first plan (what `atakora plan` runs) mostly does not reach.
  const byType = new Map<string, PlannedDeploy[]>();
  for (let i = 0; i < deploys.length; i++) {
    const d = at(deploys, i);
    const list = byType.get(d.terraformType);
    if (list) list.push(d);
    else byType.set(d.terraformType, [d]);
  }
  const out: PlannedDeploy[] = [];
  for (const type of [...byType.keys()].sort(compare)) {
    const list = atKey(byType, type).sort(byName);
    for (let i = 0; i < list.length; i++) out.push(at(list, i));
  }
  return out;
}

const byName = (a: PlannedDeploy, b: PlannedDeploy) => compare(a.name, b.name);

function inOrder(deploys: readonly PlannedDeploy[]): boolean {
  for (let i = 1; i < deploys.length; i++) {
    const a = at(deploys, i - 1);
    const b = at(deploys, i);
    if (
      a.terraformType > b.terraformType ||
      (a.terraformType === b.terraformType && a.name > b.name)
    )
      return false;
  }
  return true;
}

// Both below read `reqs` sorted by component id (merge sorts them): one component's requirements are
// consecutive, so runs stand in for a Map or Set keyed by id (10,000 entries per group at 10,000 CrudApis).

/** The distinct component ids, in order. */
function componentIdsOf(reqs: readonly SourcedRequirement[]): string[] {
  const ids: string[] = [];
  for (const r of reqs)
    if (ids.length === 0 || ids[ids.length - 1] !== r.componentId) ids.push(r.componentId);
  return ids;
}

/** What the consumers of one group would pay with a copy each: each one's requirements merged alone. */
function standaloneCost(
  type: AnyResourceType,
  reqs: readonly SourcedRequirement[],
  shared: object,
  config: NormalizedConfig,
): number {
  let sum = 0;
  for (let start = 0; start < reqs.length; ) {
    let end = start + 1;
    while (end < reqs.length && at(reqs, end).componentId === at(reqs, start).componentId) end++;
    const own = reqs.slice(start, end);
    sum += type.standaloneMonthlyUsd
      ? type.standaloneMonthlyUsd(own, shared, config)
      : type.monthlyUsd(type.merge(own, config).config);
    start = end;
  }
  return sum;
}
