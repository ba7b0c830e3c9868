// The bearer columns' credentials on the proof's stack (DESIGN §2, "Integrations": "`atakora verify` has a
// `key:<role>` principal per role"; "Agents that sign in": "`atakora verify` proves an agent token's `tools/list`
// equals its person's cells in its organization and nothing elsewhere"): an API key per role, created through the
// key routes by the home organization's Owner, and an agent's access token for a member, signed with the stack's
// agent key under a grant written into the `members` container as the authorization server stores one.
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { MatrixPrincipal } from '../../../access/matrix/types.js';
import { API_KEY_PREFIX, API_KEY_ROUTES } from '../../../contract/integrations/api-keys.js';
import { mcpResourceOf } from '../../../contract/mcp/oauth/metadata.js';
import { MCP_FUNCTION } from '../../../contract/mcp/protocol.js';
import { MEMBERS } from '../../../kit/pure/tenant-registry.js';
import { apiKeyHash } from '../../../runtime/caller/api-key-bearer.js';
import { grantOf } from '../../../runtime/members/agents/agent-store.js';
import { apiKeyItems, apiKeyOf } from '../../../runtime/members/keys/api-key-store.js';
import { issueAccessToken, signingKeyOf } from '../../../runtime/mcp/oauth/access-token.js';
import type { ProofStack } from '../dev-stack.js';
import type { Proof } from '../proof-context.js';

/** The client an agent column's grant names: no document is fetched (the proof issues the token itself). */
const VERIFY_AGENT_CLIENT = 'https://verify.atakora.invalid/agent.json';

/**
 * Every key column's key, made by the home organization's Owner through `POST api/tenant/api-keys` with the
 * column's role (fails loudly when the stack refuses: a key the proof cannot make proves nothing).
 */
async function createKeys(
  proof: Proof,
  url: string,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  const owner = principals.find((p) => p.key === 'home.role.Owner');
  for (const p of principals.filter((x) => x.bearer === 'api-key')) {
    const role = p.roles[0] ?? '';
    if (!owner) throw new Error(`No Owner column to create the ${p.key} column's key with`);
    const r = await proof.call(url, 'POST', `api/${API_KEY_ROUTES.keys}`, owner, {
      name: `verify ${p.key}`,
      role,
    });
    const key = (r.body as { key?: unknown } | undefined)?.key;
    if (r.status !== 201 || typeof key !== 'string')
      throw new Error(
        `Creating an API key with the role ${role} on the proof stack answered ${String(r.status)} ` +
          JSON.stringify(r.body ?? null).slice(0, 300),
      );
    proof.bearers[p.key] = key;
  }
}

/**
 * The agent columns' token: a grant of the column's person in the home organization (the row the authorization
 * server writes on Allow: agent-store.ts, checked by its own reader), and an access token for it signed with the
 * stack's agent key, its issuer and audience those of the app that serves `api/mcp`. Every agent column sends the
 * same token (`agent.elsewhere` names another organization with it).
 */
async function issueAgentToken(
  proof: Proof,
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
  jwk: JWK | undefined,
): Promise<void> {
  const agents = principals.filter((p) => p.bearer === 'agent');
  const person = agents.find((p) => p.organization === p.tid);
  if (!person || person.oid === undefined || person.tid === undefined) return;
  const mcp = stack.apps.find((a) => a.functions.includes(MCP_FUNCTION))?.url;
  if (!jwk || mcp === undefined)
    throw new Error('The proof stack serves no api/mcp with a signing key of the proof’s');
  const organization = person.tid;
  const id = `verify-grant-${person.oid}`;
  const created = new Date().toISOString();
  const row = {
    id: `${organization}|agent-grant|${id}`,
    grantId: id,
    tenant: organization,
    kind: 'agent-grant',
    person: person.oid,
    organization,
    clientId: VERIFY_AGENT_CLIENT,
    clientName: 'atakora verify',
    clientHost: new URL(VERIFY_AGENT_CLIENT).host,
    created,
    refresh: { current: [], expires: Date.now() + 86_400_000 },
  };
  if (!grantOf(row))
    throw new Error('The agent grant the proof writes is not one the runtime reads');
  await stack.write(MEMBERS.database, MEMBERS.container, [row]);
  const issuer = `${new URL(mcp).origin}/api`;
  const { token } = await issueAccessToken(await signingKeyOf(jwk), {
    issuer,
    audience: mcpResourceOf(issuer),
    person: person.oid,
    organization,
    clientId: VERIFY_AGENT_CLIENT,
    grant: id,
    minutes: 60,
  });
  for (const p of agents) proof.bearers[p.key] = token;
}

/**
 * The bearer columns' credentials, before any proof sends a request: each `key:<role>` column's key (made through
 * the key routes at `url`, the app serving the membership routes) and the agent columns' token; `proof.call` sends
 * them as those columns' `Authorization: Bearer`.
 *
 * @example
 * ```ts
 * await issueBearers(proof, membersUrl, stack, matrix.principals);
 * ```
 */
export async function issueBearers(
  proof: Proof,
  url: string,
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  await createKeys(proof, url, principals);
  await issueAgentToken(proof, stack, principals, stack.agentKey);
}

/**
 * Every key column's key as its organization kept it from before a downgrade (DESIGN §2 "Integrations": `'api-keys'`
 * gates keys; a plan without it refuses `POST api/tenant/api-keys`, so no key can be made there): the two items the
 * key store writes (runtime/members/keys/api-key-store.ts `apiKeyItems`, read back by its own reader), the key's id
 * the column's `oid` (an owner rule's owner), created by the organization's Owner column.
 */
async function keptKeys(
  proof: Proof,
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  const owner = principals.find((p) => p.key === 'home.role.Owner');
  for (const p of principals.filter((x) => x.bearer === 'api-key')) {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const items = apiKeyItems({
      tenant: p.organization ?? '',
      id: p.oid ?? p.key,
      name: `verify ${p.key}`,
      role: p.roles[0] ?? '',
      hash: apiKeyHash(key),
      prefix: key.slice(0, 10),
      createdOn: new Date().toISOString(),
      createdBy: owner?.oid ?? '',
    });
    if (!apiKeyOf(items[1]))
      throw new Error('The API key the proof writes is not one the runtime reads');
    await stack.write(MEMBERS.database, MEMBERS.container, items);
    proof.bearers[p.key] = key;
  }
}

/**
 * The key columns' keys on one plan set of the per-plan proof (plan-proof.ts), in the set's organizations: made
 * through `POST api/tenant/api-keys` by the set's Owner where the plan has `api-keys` (the route is a door of it),
 * else kept from before a downgrade (written as the key store writes them) — so verify proves both what a plan with
 * keys lets a key do and that a plan without refuses a key the organization still holds.
 *
 * @example
 * ```ts
 * await issuePlanKeys(proof, membersUrl, stack, principals, features.includes('api-keys'));
 * ```
 */
export async function issuePlanKeys(
  proof: Proof,
  url: string | undefined,
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
  hasApiKeys: boolean,
): Promise<void> {
  if (hasApiKeys && url !== undefined) await createKeys(proof, url, principals);
  else await keptKeys(proof, stack, principals);
}
