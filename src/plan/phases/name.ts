import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlanNaming } from '../../model/plan.js';
import { nameToken, resourceName } from '../../kit/pure/names/naming.js';
import { groupOf, type ResourceKey } from '../../kit/pure/names/resource-key.js';
import { factsOf } from '../../resources/facts.js';
import type { RequirementGroup } from './group.js';

/**
 * Phase 3: every group gets its Azure name before merging (components' settings may refer to names): a name
 * fixed by config, else the naming rules (`kit/pure/names/naming.ts`). Two groups of one type with one name are a
 * `NAME_COLLISION`.
 */
export function name(
  groups: readonly RequirementGroup[],
  config: NormalizedConfig,
): { names: Map<ResourceKey, string>; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const names = new Map<ResourceKey, string>();
  const seen = new Map<string, ResourceKey>();
  for (const g of groups) {
    const preset = g.type.presetName?.(g.isDefault, config);
    const named = preset
      ? { name: preset, issues: [] }
      : resourceName(
          g.type.type,
          g.type.namePrefix,
          g.isDefault ? undefined : groupOf(g.key),
          config,
          (g.type.facts ?? factsOf(g.type.type)).name,
        );
    issues.push(...named.issues);
    const clash = seen.get(`${g.type.type}|${named.name}`);
    if (clash)
      issues.push({
        severity: 'error',
        code: 'NAME_COLLISION',
        path: ['config', 'naming'],
        message: `${clash} and ${g.key} would both be named "${named.name}".`,
      });
    seen.set(`${g.type.type}|${named.name}`, g.key);
    names.set(g.key, named.name);
  }
  return { names, issues };
}

/**
 * Where the plan's global-name token comes from, stated in the plan: `naming.uniqueSeed`, or — placeholder
 * `tgtxxx` until then — the stack apply puts the backend in.
 *
 * @example
 * ```ts
 * planNaming(normalizeConfig({})).atApply; // true
 * ```
 */
export function planNaming(config: NormalizedConfig): PlanNaming {
  const token = nameToken(config);
  const hashOf = `backendId "${config.backendId}", environment "${config.environment}" and location "${config.location}"`;
  return config.naming?.uniqueSeed === undefined
    ? {
        token,
        atApply: true,
        derivedFrom:
          `at apply: hash of the stack's subscription id (ResourceGroupStack subscriptionId, else ` +
          `ARM_SUBSCRIPTION_ID) and resource group name, with ${hashOf}; "${token}" stands for it until then ` +
          `(set naming.uniqueSeed to see the final names here)`,
      }
    : { token, atApply: false, derivedFrom: `hash of naming.uniqueSeed with ${hashOf}` };
}
