/**
 * The app agents.model.test.ts runs: test/runtime/support/agents-app.ts under a policy whose `pro` also sells `scim`
 * (SCIM deprovisions people: agent-life-commands.ts) and whose deleted organizations are erased two days on, its
 * timers registered (the daily erase) — twice over one Cosmos DB and one clock: two instances of one backend, each
 * with its caches (the MCP door's grant, membership and registry reads: a change made on one holds on the other
 * within 30 s).
 */
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { type AgentsApp, agentsPolicy, startAgentsApp } from '../runtime/support/agents-app.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';

/** `tenants.deleteAfterDays`: how long an organization its Owner deleted waits for its erase. */
export const DELETE_DAYS = 2;

const registry = agentsPolicy.registry;
if (!registry?.membership) throw new Error('agentsPolicy has tenants by membership');

/** The plans: acme and globex start on `pro` (`mcp`, `scim`), initech on `free` (neither). */
export const AGENT_PLANS = {
  pro: { features: ['mcp', 'audit', 'scim'] },
  free: { features: ['audit'] },
} as const;

/** agentsPolicy with {@link AGENT_PLANS} and {@link DELETE_DAYS}. */
export const agentModelPolicy: RuntimeAuth = {
  ...agentsPolicy,
  registry: {
    ...registry,
    plans: AGENT_PLANS,
    membership: { ...registry.membership, deleteAfterDays: DELETE_DAYS },
  },
};

/**
 * The two instances: the first serves every step, the second only agents' MCP requests (its caches warm from them).
 *
 * @example
 * ```ts
 * const [app, other] = await startAgentModelApps(cosmos);
 * ```
 */
export async function startAgentModelApps(cosmos: LocalCosmos): Promise<[AgentsApp, AgentsApp]> {
  const first = await startAgentsApp(cosmos, { auth: agentModelPolicy, timers: true });
  const second = await startAgentsApp(cosmos, { auth: agentModelPolicy, clock: first.clock });
  return [first, second];
}
