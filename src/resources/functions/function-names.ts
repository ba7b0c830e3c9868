import type { PlanIssue } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';

/** The CRUD runtime's two functions per entity (runtime/register-routes.ts names them `<componentId>-<kind>`). */
const CRUD_FUNCTION_KINDS = ['collection', 'item'] as const;

/**
 * Two functions of one Function App under one name are an error: a hosted function's name is
 * `<componentId>-<function>`, so `Api`'s `x-y` and `Api-x`'s `y` are both `Api-x-y`, and `Cat`'s
 * `Api-collection` is the CRUD runtime's function of the CrudApi `Cat-Api`. One package registers both, and the
 * host would run one of them for the other's trigger. Compared ignoring case, as the Functions host orders and
 * reports functions by name (FunctionMetadataManager: `OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)`).
 * The CRUD runtime's own names cannot meet each other (component ids differ in more than case,
 * backend/component-ids.ts).
 *
 * @example
 * ```ts
 * functionNameIssues(
 *   [
 *     { name: 'Api-x-y', componentId: 'Api', trigger: 'http' },
 *     { name: 'Api-x-y', componentId: 'Api-x', trigger: 'http' },
 *   ],
 *   [],
 * );
 * // [{ severity: 'error', code: 'FUNCTION_NAME_COLLISION', components: ['Api', 'Api-x'], … }]
 * ```
 */
export function functionNameIssues(
  hosted: readonly HostedFunction[],
  crudEntities: readonly RuntimeEntity[],
): PlanIssue[] {
  // Most apps host no functions of their own: nothing to compare, and nothing built per CRUD entity.
  if (hosted.length === 0) return [];
  const owners = new Map<string, { name: string; componentId: string }>();
  for (const e of crudEntities)
    for (const kind of CRUD_FUNCTION_KINDS)
      owners.set(`${e.componentId}-${kind}`.toLowerCase(), {
        name: `${e.componentId}-${kind}`,
        componentId: e.componentId,
      });
  const issues: PlanIssue[] = [];
  for (const f of hosted) {
    const key = f.name.toLowerCase();
    const other = owners.get(key);
    if (other === undefined) {
      owners.set(key, { name: f.name, componentId: f.componentId });
      continue;
    }
    const crud = crudEntities.some((e) => e.componentId === other.componentId);
    issues.push({
      severity: 'error',
      code: 'FUNCTION_NAME_COLLISION',
      components: [...new Set([other.componentId, f.componentId])].sort(compare),
      message: `${f.componentId}'s function ${f.name} and ${crud ? `the CRUD runtime's function ${other.name} of ${other.componentId}` : `${other.componentId}'s function ${other.name}`} would have one name in one Function App.`,
    });
  }
  return issues;
}
