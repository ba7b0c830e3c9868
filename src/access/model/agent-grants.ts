/**
 * The reference model of agents' grants beside the memberships (DESIGN §2, "Agents that sign in to an organization";
 * docs/mcp.md): a person connects an agent to an organization, the agent refreshes and calls `api/mcp` with its
 * token, and the grant lives exactly as long as the membership it stands on — pure answers over {@link ModelState},
 * in the runtime's order of decisions (members/agents/token-route.ts, agent-tenants.ts, agents-routes.ts).
 * - a connection: the consent page offers an organization where the person is a member, it is active, its plan has
 *   `mcp` and at least one tool is theirs; the code's exchange re-checks the grant's life; a new consent for the
 *   client the person had connected there replaces that grant;
 * - a grant ends when revoked (by its person through `api/me/agents`, by an Owner or an Admin through
 *   `api/tenant/agents`), replaced, or when its person's membership ends (removed — which bars —, or left): **it
 *   dies with the membership** and never lives again, even once the person is admitted anew ({@link
 *   grantsFollowMembers}, which every step of the model applies);
 * - a refresh: `invalid_grant` unless the grant lives, its organization is active and its plan has `mcp`;
 * - the access token at `api/mcp`: another organization named → 403 `agent-token-confined` (before anything else
 *   about the grant); an ended grant or a gone organization → 401 `agent-token-invalid`; the organization suspended
 *   or deleted → 403 `tenant-suspended`, as for its members; its plan without `mcp` → 402 `feature-not-in-plan`; else
 *   the person's own answer in the organization: `tools/list` exactly the tools their roles' rules allow (their
 *   cells), a call of another tool the protocol's unknown tool;
 * - the grants as data list the live grants only (an ended grant is no connected agent), and a revocation of one
 *   that is not live is 404.
 *
 * The model's answers are the state's; the runtime may answer at the MCP door from what it read up to 30 s before
 * (the contract's bound), which the test that drives this reads as every answer of the states of that window.
 */
import {
  CRUD_TOOL_ACTIONS,
  type CrudToolAction,
  crudToolName,
  entityToolActions,
} from '../../model/mcp-tool-names.js';
import { organizationLifeOf } from '../../model/lives/organization-life.js';
import { type FeaturedPlan, featuresOf } from '../../model/plans/plan-features.js';
import {
  type AccessRule,
  type CrudOperation,
  DEFAULT_ACCESS,
} from '../../model/runtime-manifest.js';
import type { Principal } from './backend.js';
import { managerAdmission, memberAdmission, rolesIn } from './membership.js';
import type { Expected, ModelAgentGrant, ModelState, RegistryRecord } from './model-state.js';

export type { ModelAgentGrant } from './model-state.js';

/** What the model reads of the backend's MCP server: the plans, the one CrudApi it serves, whether it writes. */
export interface AgentServer {
  readonly plans: Readonly<Record<string, FeaturedPlan>>;
  readonly entity: {
    readonly entityName: string;
    readonly operations: readonly CrudOperation[];
    readonly access?: readonly AccessRule[] | undefined;
    readonly mcp?: boolean | 'read' | 'readwrite' | undefined;
    readonly search?: unknown;
  };
  readonly writes: boolean;
}

const problem = (status: number, type: string): Expected => ({ status, problem: type });

/** Whether `roles` may do `op` by the entity's rules (role and authenticated rules: the ones the model knows). */
function allows(
  rules: readonly AccessRule[],
  roles: readonly string[],
  op: CrudOperation,
): boolean {
  return rules.some((r) => {
    if (r.allow === 'owner' || r.feature !== undefined)
      throw new Error('agent-grants.ts models role and authenticated rules only');
    const who = r.allow === 'authenticated' || roles.includes(r.role);
    return who && (r.operations === undefined || r.operations.includes(op));
  });
}

/**
 * The tools a member of `roles` has (their cells of the MCP rows): each tool the server offers whose CRUD operation
 * the roles' rules allow, by name, in the server's order.
 *
 * @example
 * ```ts
 * agentTools(server, ['Member']); // ['note_list', 'note_get', 'note_count', 'note_aggregate']
 * ```
 */
export function agentTools(server: AgentServer, roles: readonly string[]): string[] {
  const e = server.entity;
  if (e.mcp === false) return [];
  const actions: CrudToolAction[] = entityToolActions(
    e.operations,
    server.writes && e.mcp === 'readwrite',
    e.search !== undefined,
  );
  const rules = e.access ?? DEFAULT_ACCESS;
  return actions
    .filter((a) => allows(rules, roles, CRUD_TOOL_ACTIONS[a].operation))
    .map((a) => crudToolName(e.entityName, a));
}

/** Whether an organization's record is active (organization-life.ts: neither suspended nor deleted). */
const active = (record: RegistryRecord): boolean =>
  organizationLifeOf({
    status: record.status,
    ...(record.deleteOn !== undefined ? { deleteOn: record.deleteOn } : {}),
  }) === 'active';

/** Whether `org`'s plan has the `mcp` feature now. */
function hasMcp(s: ModelState, server: AgentServer, org: string): boolean {
  const record = s.registry?.get(org);
  return record !== undefined && featuresOf(server.plans[record.plan], server.plans).has('mcp');
}

/**
 * Every grant whose person is no longer a member of its organization ended (`membership`): the step every change
 * of the model ends with, so a grant dies with the membership it stood on — and stays dead when the person comes
 * back.
 *
 * @example
 * ```ts
 * const next = grantsFollowMembers(changeMember(s, ada, 'acme', 'bob', undefined).state);
 * ```
 */
export function grantsFollowMembers(s: ModelState): ModelState {
  const grants = s.agentGrants ?? [];
  if (!grants.some((g) => g.ended === undefined && !rolesIn(s, g.org, g.person))) return s;
  return {
    ...s,
    agentGrants: grants.map((g) =>
      g.ended === undefined && !rolesIn(s, g.org, g.person)
        ? { ...g, ended: 'membership' as const }
        : g,
    ),
  };
}

/**
 * Whether the consent page offers `org` to `p`: a member of it, active, its plan with `mcp`, a tool of theirs.
 *
 * @example
 * ```ts
 * consentOffers(s, server, bob, 'acme'); // true
 * ```
 */
export function consentOffers(
  s: ModelState,
  server: AgentServer,
  p: Principal,
  org: string,
): boolean {
  const a = memberAdmission(s, p, org);
  return a.ok && hasMcp(s, server, org) && agentTools(server, a.as.roles).length > 0;
}

/** Why the grant at `index` may not refresh now (`invalid_grant`), or undefined when it may. */
export function refreshRefusal(
  s: ModelState,
  server: AgentServer,
  index: number,
): string | undefined {
  const g = (s.agentGrants ?? [])[index];
  if (!g) return 'unknown';
  if (g.ended !== undefined) return g.ended;
  if (!rolesIn(s, g.org, g.person)) return 'membership';
  const record = s.registry?.get(g.org);
  if (!record || s.tombstones?.has(g.org)) return 'organization gone';
  if (!active(record)) return 'organization suspended';
  if (!hasMcp(s, server, g.org)) return 'plan without mcp';
  return undefined;
}

/**
 * The code's exchange after `p` allowed `org` on the consent page: the grant made (`id`, the runtime's) and the
 * same client's earlier live grant of `p` there replaced — or nothing, when its life is refused at once.
 *
 * @example
 * ```ts
 * const { connected, state } = connection(s, server, bob, 'acme', clientId, tokens.body.grant);
 * ```
 */
export function connection(
  s: ModelState,
  server: AgentServer,
  p: Principal,
  org: string,
  client: string,
  id: string,
): { readonly connected: boolean; readonly state: ModelState } {
  const made: ModelAgentGrant = { id, person: p.oid, org, client };
  const grants = s.agentGrants ?? [];
  const trial: ModelState = { ...s, agentGrants: [...grants, made] };
  if (refreshRefusal(trial, server, grants.length) !== undefined)
    return { connected: false, state: s };
  return {
    connected: true,
    state: {
      ...s,
      agentGrants: [
        ...grants.map((g) =>
          g.ended === undefined && g.person === p.oid && g.org === org && g.client === client
            ? { ...g, ended: 'replaced' as const }
            : g,
        ),
        made,
      ],
    },
  };
}

/** An agent's JSON-RPC message at `api/mcp`: `tools/list`, or a `tools/call` of one of the entity's tools. */
export type AgentMessage = { readonly method: 'tools/list' } | { readonly call: CrudToolAction };

/**
 * The answer to the access token of the grant at `index` (unexpired: the token's own life is its `exp`), naming
 * `named` in `X-Atakora-Tenant` (or nothing), sending `message`: the refusal, or 200 with `body` the tools listed
 * (`tools/list`) or whether the called tool is the person's (`{ tool: true }`; `{ unknownTool: true }` else).
 *
 * @example
 * ```ts
 * agentRequest(s, server, 0, 'globex', { method: 'tools/list' }); // { status: 403, problem: 'agent-token-confined' }
 * ```
 */
export function agentRequest(
  s: ModelState,
  server: AgentServer,
  index: number,
  named: string | undefined,
  message: AgentMessage,
): Expected {
  const g = (s.agentGrants ?? [])[index];
  if (!g) return problem(401, 'agent-token-invalid');
  if (named !== undefined && named !== g.org) return problem(403, 'agent-token-confined');
  const roles = rolesIn(s, g.org, g.person);
  const record = s.registry?.get(g.org);
  if (g.ended !== undefined || !roles || !record || s.tombstones?.has(g.org))
    return problem(401, 'agent-token-invalid');
  if (!active(record)) return problem(403, 'tenant-suspended');
  if (!hasMcp(s, server, g.org)) return problem(402, 'feature-not-in-plan');
  const tools = agentTools(server, roles);
  if ('method' in message) return { status: 200, body: { tools } };
  const tool = tools.includes(crudToolName(server.entity.entityName, message.call));
  return { status: 200, body: tool ? { tool: true } : { unknownTool: true } };
}

/**
 * `GET api/me/agents` by `p`: the ids of their live grants, every organization (the order they were made).
 *
 * @example
 * ```ts
 * myAgents(s, bob); // ['g1']
 * ```
 */
export function myAgents(s: ModelState, p: Principal): string[] {
  return (s.agentGrants ?? [])
    .filter((g) => g.ended === undefined && g.person === p.oid)
    .map((g) => g.id);
}

/**
 * `GET api/tenant/agents` by `p` naming `org`: the ids of the organization's live grants, or the refusal.
 *
 * @example
 * ```ts
 * organizationAgents(s, ada, 'acme'); // { status: 200, body: ['g1', 'g2'] }
 * ```
 */
export function organizationAgents(s: ModelState, p: Principal, org: string): Expected {
  const refused = managerAdmission(s, p, org);
  if (refused) return refused;
  const ids = (s.agentGrants ?? []).filter((g) => g.ended === undefined && g.org === org);
  return { status: 200, body: ids.map((g) => g.id) };
}

/**
 * `DELETE api/me/agents/{id}` (`org` undefined: the person's door) or `DELETE api/tenant/agents/{id}` naming `org`
 * (an Owner's or an Admin's) of the grant at `index`, by `p`: 204 and the grant ended, or the refusal — 404 for a
 * grant that is not the caller's to revoke there or no longer live.
 *
 * @example
 * ```ts
 * const { expected, state } = grantRevocation(s, ada, 'acme', 1);
 * ```
 */
export function grantRevocation(
  s: ModelState,
  p: Principal,
  org: string | undefined,
  index: number,
): { readonly expected: Expected; readonly state: ModelState } {
  if (org !== undefined) {
    const refused = managerAdmission(s, p, org);
    if (refused) return { expected: refused, state: s };
  }
  const grants = s.agentGrants ?? [];
  const g = grants[index];
  const theirs = org === undefined ? g?.person === p.oid : g?.org === org;
  if (!g || !theirs || g.ended !== undefined)
    return { expected: problem(404, 'not-found'), state: s };
  return {
    expected: { status: 204 },
    state: {
      ...s,
      agentGrants: grants.map((x, i) => (i === index ? { ...x, ended: 'revoked' as const } : x)),
    },
  };
}

/**
 * `POST api/oauth/revoke` (RFC 7009) with a refresh token of the grant at `index` that still refreshes: the grant
 * ended (one ended already stays as it ended). Always 200, so only the state changes.
 *
 * @example
 * ```ts
 * const next = agentRevocation(s, 0);
 * ```
 */
export function agentRevocation(s: ModelState, index: number): ModelState {
  const grants = s.agentGrants ?? [];
  if (grants[index]?.ended !== undefined || !grants[index]) return s;
  return {
    ...s,
    agentGrants: grants.map((g, i) => (i === index ? { ...g, ended: 'revoked' as const } : g)),
  };
}
