import type { PlanIssue } from '../../model/plan.js';
import type { FunctionAccessRule, RuntimeEntity } from '../../model/runtime-manifest.js';

/** The membership roles of the config (`tenants.by: 'membership'`), or none. */
interface MembershipConfig {
  readonly tenants?: { readonly membership?: { readonly roles: readonly string[] } };
}

/** The role every organization has (contract/members.ts OWNER_ROLE; a resource type reads the model only). */
const OWNER = 'Owner';

/**
 * `MEMBERSHIP_ROLE_UNKNOWN` (error): with tenants by membership a role rule reads the caller's membership roles —
 * `Owner` and the declared `tenants.roles` — so a rule naming another role could never allow anything. One issue
 * per role, naming the CrudApis and functions whose rules name it.
 *
 * @example
 * ```ts
 * membershipRoleIssues(entities, [], config); // [{ code: 'MEMBERSHIP_ROLE_UNKNOWN', … }] for a rule on 'NoteAdmin'
 * ```
 */
export function membershipRoleIssues(
  entities: readonly RuntimeEntity[],
  functions: readonly { readonly name: string; readonly access?: readonly FunctionAccessRule[] }[],
  config: MembershipConfig | undefined,
): PlanIssue[] {
  const declared = config?.tenants?.membership?.roles;
  if (declared === undefined) return [];
  const known = new Set([OWNER, ...declared]);
  const users = new Map<string, Set<string>>();
  const use = (role: string, who: string) => {
    if (known.has(role)) return;
    const set = users.get(role) ?? new Set<string>();
    set.add(who);
    users.set(role, set);
  };
  for (const e of entities)
    for (const r of e.access ?? []) if (r.allow === 'role') use(r.role, e.componentId);
  for (const f of functions)
    for (const r of f.access ?? []) if (r.allow === 'role') use(r.role, f.name);
  return [...users]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([role, who]) => {
      const names = [...who].sort();
      return {
        severity: 'error' as const,
        code: 'MEMBERSHIP_ROLE_UNKNOWN' as const,
        components: names,
        path: ['config', 'tenants', 'roles'],
        message:
          `${names.join(', ')} allow${names.length === 1 ? 's' : ''} the role "${role}", but with tenants by ` +
          `membership a role rule reads the caller's membership roles (${[...known].join(', ')}): no ` +
          'membership can hold it, so the rule could never allow anything.',
        resolution: `Add "${role}" to tenants.roles, or name one of ${[...known].join(', ')} in the rule.`,
      };
    });
}
