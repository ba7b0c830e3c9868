import { CRUD_TOOL_ACTIONS } from '../../../model/mcp-tool-names.js';
import { organizationLifeOf } from '../../../model/lives/organization-life.js';
import type { Caller } from '../../caller/caller-view.js';
import { inPlan, mayCall } from '../../mcp/caller-tools.js';
import type { ConsentOrganization } from '../../mcp/oauth/consent-page.js';
import { planLimits } from '../../tenants/plan-limits.js';
import type { AgentsApi } from './agents-api.js';

/**
 * The organizations a person may connect an agent to, and what it may do in each (DESIGN §2, "The consent page"):
 * every organization the person is a member of that is active, whose plan has the `mcp` feature and where at least
 * one of the server's tools is theirs — asked as `tools/list` asks it (caller-tools.ts `mayCall` and `inPlan`), of
 * the person acting in that organization by their membership. Per entity (or tool function): `write` when any of its
 * tools writes, else `read`.
 *
 * @example
 * ```ts
 * const organizations = await consentOrganizations(api, Caller.of(request, policy));
 * ```
 */
export async function consentOrganizations(
  api: AgentsApi,
  person: Caller,
): Promise<readonly ConsentOrganization[]> {
  const registry = api.policy.registry;
  if (person.id === undefined || !registry) return [];
  const memberships = await api.members.cache.membershipsOf(person.id);
  const tools = [...api.tools().values()];
  const found: ConsentOrganization[] = [];
  for (const membership of memberships) {
    const record = await api.records.get(membership.tenant);
    if (!record || organizationLifeOf(record) !== 'active') continue;
    const acting = person.actingAs(membership, 'the organization you picked', {
      record,
      limits: planLimits(registry, record.plan).limits,
    });
    if (!acting.features.has('mcp')) continue;
    const access = new Map<string, 'read' | 'write'>();
    for (const t of tools) {
      if (!inPlan(acting, t.target) || !mayCall(acting, t.target, api.policy)) continue;
      const [entity, writes] =
        t.target.kind === 'crud'
          ? [t.target.entity.entityName, CRUD_TOOL_ACTIONS[t.target.action].writes]
          : [t.target.fn.function, t.tool.annotations?.readOnlyHint !== true];
      if (writes || !access.has(entity)) access.set(entity, writes ? 'write' : 'read');
    }
    if (access.size === 0) continue;
    found.push({
      id: membership.tenant,
      name: record.name ?? membership.tenant,
      abilities: [...access].map(([entity, a]) => ({ entity, access: a })),
    });
  }
  return found;
}
