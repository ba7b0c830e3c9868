/**
 * An agent signs in to an organization (DESIGN §2, "Agents that sign in to an organization") with the official MCP
 * SDK's own OAuth client (`auth()` through `StreamableHTTPClientTransport` with an `OAuthClientProvider` whose
 * `clientMetadataUrl` is its Client ID Metadata Document on a loopback HTTPS host), against the runtime's functions
 * over the local Cosmos DB: the door's 401 → discovery → the metadata document → authorize → the consent page behind
 * the person's sign-in (the form posted as a browser would) → the code with `iss` → token (PKCE) → `tools/list` and a
 * tool call as the person in the picked organization → refresh → revoke → 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAgent as Agent } from '../../support/mcp-agent.js';
import { agentSignsIn } from '../support/agent-sign-in.js';
import { type AgentsApp, REDIRECT, startAgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
let app: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});

describe('the MCP SDK’s OAuth client connects to an organization', () => {
  it('discovers, consents, exchanges, lists and calls, refreshes, revokes and is refused', async () => {
    await app.reseed();
    // Its metadata document's URL is its client_id; the consent page shows its name escaped.
    await agentSignsIn(app, new Agent(app.clientId, REDIRECT), {
      clientId: (id) => expect(id).toBe(app.clientId),
      consentPage: (page) => expect(page.text).toContain('Test &lt;b&gt;Agent&lt;/b&gt;'),
    });
  });
});
