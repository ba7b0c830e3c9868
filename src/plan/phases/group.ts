import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { resourceKey, sharedKey, type ResourceKey } from '../../kit/pure/names/resource-key.js';
import type { AnyResourceType } from '../../kit/pure/resources/resource-type.js';
import { at } from '../../model/at.js';

/** Requirements that will become one planned resource. */
export interface RequirementGroup {
  readonly key: ResourceKey;
  readonly type: AnyResourceType;
  readonly compatibility: string;
  readonly isDefault: boolean;
  readonly reqs: SourcedRequirement[];
}

/**
 * Phase 2: each requirement goes to the type of its `resourceType` (none → `NO_PROVIDER`), and the type's
 * compatibility key decides the group — `<type>:shared` for the default key, `<type>:<slug of key>`
 * otherwise. Never a position, so keys (and names) are stable when components come and go. Sorted by key.
 */
export function group(
  reqs: readonly SourcedRequirement[],
  types: ReadonlyMap<string, AnyResourceType>,
  config: NormalizedConfig,
): { groups: RequirementGroup[]; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const groups = new Map<ResourceKey, RequirementGroup>();
  // Type → compatibility key → group: the group's key (a slug, two regular expressions) is made once per group.
  const byCompatibility = new Map<AnyResourceType, Map<string, RequirementGroup>>();
  for (let i = 0; i < reqs.length; i++) {
    const req = at(reqs, i);
    const type = types.get(req.requirement.resourceType);
    if (!type) {
      issues.push({
        severity: 'error',
        code: 'NO_PROVIDER',
        components: [req.componentId],
        path: requirementPath(req, 'resourceType'),
        message: `No provider can satisfy the "${req.requirement.resourceType}" requirement of ${req.componentId}.`,
      });
      continue;
    }
    const { key, isDefault } = type.compatibility(req, config);
    let ofType = byCompatibility.get(type);
    if (!ofType) byCompatibility.set(type, (ofType = new Map<string, RequirementGroup>()));
    const known = ofType.get(key);
    if (known && known.isDefault === isDefault) {
      known.reqs.push(req);
      continue;
    }
    const groupKey = isDefault ? sharedKey(type.type) : resourceKey(type.type, key);
    const g = groups.get(groupKey) ?? {
      key: groupKey,
      type,
      compatibility: key,
      isDefault,
      reqs: [],
    };
    g.reqs.push(req);
    groups.set(groupKey, g);
    ofType.set(key, g);
  }
  return { groups: [...groups.values()].sort((a, b) => compare(a.key, b.key)), issues };
}

/**
 * Which resource each component uses, by type (its first requirement of that type decides). Components that
 * use the same resources share one record (10,000 CrudApis on the shared resources: one record, not 10,000):
 * the plan's `components[].resources` are these records, and nothing changes them.
 */
export function usageOf(
  groups: readonly RequirementGroup[],
): Map<string, Record<string, ResourceKey>> {
  const usage = new Map<string, Record<string, ResourceKey>>();
  // Indexed loops and forEach: no iterator result (or entry array) per item in a fresh process's first plan.
  for (const g of groups) {
    const type = g.type.type;
    const reqs = g.reqs;
    for (let i = 0; i < reqs.length; i++) {
      const id = at(reqs, i).componentId;
      let u = usage.get(id);
      if (u === undefined) usage.set(id, (u = {}));
      if (!(type in u)) u[type] = g.key;
    }
  }
  // One record per distinct content, found by its entries as text (a few short strings per component).
  const shared = new Map<string, Record<string, ResourceKey>>();
  usage.forEach((record, id) => {
    let text = '';
    for (const [type, key] of Object.entries(record)) text += `${type}=${key};`;
    let one = shared.get(text);
    // Made plain data, as the plan keeps what it places more than once (kit/pure/plain-data.ts).
    if (!one) shared.set(text, (one = frozenPlainData(record)));
    // Replacing the value of a key being visited: allowed during forEach, and adds no key.
    usage.set(id, one);
  });
  return usage;
}
