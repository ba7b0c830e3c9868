/**
 * An agent that has no Client ID Metadata Document signs in to an organization through RFC 7591 dynamic registration
 * (DESIGN §2: `POST api/oauth/register` "only when `registration` is on") with the official MCP SDK's own OAuth
 * client: `auth()` through `StreamableHTTPClientTransport` with an `OAuthClientProvider` that has no
 * `clientMetadataUrl`, so the SDK falls back to registering (MCP 2025-11-25 basic/authorization, "Client
 * Registration": "Use Dynamic Client Registration as a fallback if the Authorization Server supports it (via
 * `registration_endpoint` in OAuth Authorization Server Metadata)"). Against the runtime's functions over the local
 * Cosmos DB: the door's 401 → discovery → register (201, the client id the SDK keeps) → authorize → the consent page
 * (the name marked unverified) → the code → token (PKCE) → `tools/list` and a tool call → refresh → revoke → 401.
 * The same flow with a metadata document: agents-sdk-flow.test.ts. With registration off the SDK cannot register.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAgent as Agent } from '../../support/mcp-agent.js';
import { agentSignsIn, connectAgent } from '../support/agent-sign-in.js';
import { type AgentsApp, REDIRECT, startAgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
let app: AgentsApp;

let off: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, { registration: true });
  off = await startAgentsApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await off?.stop();
  await cosmos?.stop();
});

describe('the MCP SDK’s OAuth client registers, then connects to an organization', () => {
  it('discovers, registers, consents, exchanges, lists and calls, refreshes, revokes and is refused', async () => {
    await app.reseed();
    // No metadata document: the SDK registers, and the consent page marks the name it registered unverified.
    await agentSignsIn(app, new Agent(undefined, REDIRECT), {
      clientId: (id) => expect(id).toMatch(/^dcr_/),
      consentPage: (page) => {
        expect(page.text).toContain('id="client-unverified"');
        expect(page.text).toContain('Test Agent');
      },
    });
  });

  it('with registration off the SDK finds no registration endpoint and cannot start', async () => {
    await off.reseed();
    const agent = new Agent(undefined, REDIRECT);
    await expect(connectAgent(agent, off.fetch())).rejects.toThrow(/dynamic client registration/i);
    expect(agent.info).toBeUndefined();
    expect(agent.authorizationUrl).toBeUndefined();
  });
});
