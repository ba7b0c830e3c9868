import type { NormalizedConfig } from '../../model/config.js';
import type { LimitViolation, PlannedResource } from '../../model/plan.js';
import { RESOURCE_FACTS } from '../../resources/facts.js';

const SPLIT = 'Split components across multiple backends';
const QUOTA = 'Request Azure quota increase';

/**
 * Phase 7: configured limits and Azure's own, as data — each resource type declares its limits in its facts
 * (`src/resources/<type>/facts.ts`). `apply` turns them into a ResourceLimitError whose message has the seeds'
 * shape (what, Limit, Requested, numbered solutions).
 *
 * @example
 * ```ts
 * checkLimits(plan.resources, normalizeConfig({ limits: { maxFunctionApps: 1 } })); // [] or [{ limit: 'maxFunctionApps', … }]
 * ```
 */
export function checkLimits(
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): LimitViolation[] {
  const out: LimitViolation[] = [];
  for (const [type, facts] of Object.entries(RESOURCE_FACTS)) {
    const ofType = resources.filter((r) => r.type === type);
    for (const rule of facts.limits ?? []) {
      // An Azure-only limit is no key of `limits` (the config schema is strict): never configured.
      const configured = (config.limits as Partial<Record<string, number>>)[rule.limit];
      const allowed = configured ?? rule.azure;
      if (allowed === undefined) continue;
      const measured =
        rule.measure === 'count'
          ? [
              {
                requested:
                  ofType.length +
                  resources.filter((r) => rule.alsoCounts?.includes(r.type) === true).length,
                where: undefined,
              },
            ]
          : ofType.flatMap((r) => (rule.measure as Exclude<typeof rule.measure, 'count'>)(r));
      for (const m of measured) {
        if (m.requested <= allowed) continue;
        out.push({
          limit: rule.limit,
          allowed,
          requested: m.requested,
          resourceType: type,
          message: `Maximum ${rule.what} exceeded${m.where ? ` (${m.where})` : ''}`,
          solutions: rule.solutions
            ? [...rule.solutions]
            : configured !== undefined
              ? [`Increase ${rule.limit} in backend config`, SPLIT, QUOTA]
              : [SPLIT, QUOTA],
        });
      }
    }
  }
  return out;
}
