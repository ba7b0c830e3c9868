/**
 * Agents that sign in to an organization (docs/mcp.md, "Agents that sign in to an organization"): a helpdesk whose
 * customers connect their own assistants — Claude, ChatGPT, VS Code — to *their* organization with no one
 * registering anything by hand. `mcp.authorization` makes the backend its own OAuth 2.1 authorization server for the
 * MCP door: the assistant reads the metadata, identifies itself with its Client ID Metadata Document, the person
 * picks the organization on the consent page (only those whose plan has `mcp` and where they have a tool), and the
 * agent then acts as that person there — the same rules, plan, limits, ledger and audit as the person's own calls —
 * until they disconnect it, an Owner revokes it, or they leave. The signing key lives in the backend's Key Vault.
 *
 *   npx atakora plan examples/agents.ts
 *   npx atakora dev examples/agents.ts   # then point an MCP client at http://127.0.0.1:7071/api/mcp
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { createClient } from '@atakora/component/client';
import { CrudApi } from '@atakora/component/crud';

const tickets = CrudApi.define('TicketApi', {
  entityName: 'Ticket',
  schema: { id: 'string', title: { type: 'string', required: true }, status: 'string' },
  // Agents get exactly these rules as their person: Support staff change tickets, Members read them.
  access: [
    { allow: 'role', role: 'Support' },
    { allow: 'role', role: 'Member', operations: ['read', 'list'] },
  ],
  mcp: 'readwrite',
});

/** `mcp` on the pro plan only: an organization on free sees no agent's consent page offer it. */
export const helpdesk = defineBackend(
  { tickets },
  {
    backendId: 'helpdesk',
    environment: 'prod',
    location: 'westeurope',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      roles: ['Support', 'Member'],
      plans: { free: { features: ['audit'] }, pro: { features: ['audit', 'mcp'] } },
      defaultPlan: 'free',
    },
    mcp: {
      writes: true,
      authorization: { accessTokenMinutes: 10, refreshTokenDays: 30, grantsPerPerson: 5 },
    },
  },
);
export default helpdesk;

/**
 * A person's settings page: the agents they connected, in every organization, each with Disconnect. `api` is the
 * backend's URL (`https://<app>.azurewebsites.net/api`), `signIn` the person's token.
 *
 * @example
 * ```ts
 * const agents = await connectedAgents('https://func-helpdesk.azurewebsites.net/api', signIn);
 * await agents[0]?.disconnect();
 * ```
 */
export async function connectedAgents(api: string, signIn: () => Promise<string>) {
  const client = createClient<typeof helpdesk>({
    baseUrls: { tickets: `${api}/tickets` },
    getToken: signIn,
  });
  const items = await client.me.agents.list();
  return items.map((grant) => ({
    name: grant.clientName,
    host: grant.clientHost,
    organization: grant.organization,
    disconnect: () => client.me.agents.revoke(grant.id),
  }));
}

/** The backend in its stack, as `atakora synth examples/agents.ts` writes it. */
export function synthAgents(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  helpdesk.addToStack(
    new ResourceGroupStack(app, 'HelpdeskStack', {
      resourceGroupName: 'rg-helpdesk-prod',
      location: 'westeurope',
    }),
  );
  app.synth();
  return { app, helpdesk };
}

if (import.meta.url === `file://${process.argv[1]}`) synthAgents();
