/**
 * The backend as its own authorization server (`mcp.authorization`, DESIGN.md §2 "Agents that sign in to an
 * organization"): the documents `atakora dev`'s worker serves — the protected-resource metadata naming the API's
 * base as the MCP resource's authorization server (RFC 9728) and that server's metadata (RFC 8414) — read by the
 * official MCP SDK's own discovery (`discoverOAuthServerInfo`), which parses them with its schemas.
 */
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import {
  devProtectedResource,
  protectedResourceOf,
} from '../../src/cli/dev/host/protected-resource.js';

const ORIGIN = 'http://127.0.0.1:7071';
const TENANT = '22222222-2222-4222-8222-222222222222';

/** The worker's answer to a GET of `url` (host.ts: the metadata paths before sign-in), else 404. */
const workerFetch =
  (config: object) =>
  (input: string | URL): Promise<Response> => {
    const prm = protectedResourceOf(devProtectedResource(normalizeConfig(config), true));
    const path = new URL(String(input)).pathname;
    const body = prm?.serves(path) ? prm.document(ORIGIN) : prm?.authorizationServer(path, ORIGIN);
    return Promise.resolve(
      body
        ? Response.json(body)
        : new Response('{}', { status: 404, headers: { 'content-type': 'application/json' } }),
    );
  };

describe("the authorization server's metadata under atakora dev", () => {
  it('the SDK discovers the backend as the MCP resource’s authorization server, PKCE S256 and metadata documents', async () => {
    const info = await discoverOAuthServerInfo(`${ORIGIN}/api/mcp`, {
      fetchFn: workerFetch({ mcp: { authorization: true } }),
    });
    expect(info.authorizationServerUrl).toBe(`${ORIGIN}/api`);
    expect(info.resourceMetadata?.resource).toBe(`${ORIGIN}/api/mcp`);
    expect(info.resourceMetadata?.scopes_supported).toEqual(['mcp']);
    const m = info.authorizationServerMetadata as Record<string, unknown> | undefined;
    expect(m).toMatchObject({
      issuer: `${ORIGIN}/api`,
      authorization_endpoint: `${ORIGIN}/api/oauth/authorize`,
      token_endpoint: `${ORIGIN}/api/oauth/token`,
      revocation_endpoint: `${ORIGIN}/api/oauth/revoke`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    expect(m?.['registration_endpoint']).toBeUndefined();
  });

  it("the MCP door's 401 points at the metadata and names the scope", async () => {
    const prm = protectedResourceOf(
      devProtectedResource(normalizeConfig({ mcp: { authorization: true } }), true),
    );
    const challenge = prm?.challenge(ORIGIN) ?? '';
    expect(challenge).toBe(
      `Bearer resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource", scope="mcp"`,
    );
    // The SDK reads the document's URL and the scope from it as it does from a live 401.
    const { extractWWWAuthenticateParams } = await import(
      '@modelcontextprotocol/sdk/client/auth.js'
    );
    const read = extractWWWAuthenticateParams(
      new Response(null, { status: 401, headers: { 'www-authenticate': challenge } }),
    );
    expect(read.resourceMetadataUrl?.href).toBe(`${ORIGIN}/.well-known/oauth-protected-resource`);
    expect(read.scope).toBe('mcp');
  });

  it('names the registration endpoint only when registration is on', async () => {
    const info = await discoverOAuthServerInfo(`${ORIGIN}/api/mcp`, {
      fetchFn: workerFetch({ mcp: { authorization: { registration: true } } }),
    });
    expect(info.authorizationServerMetadata?.registration_endpoint).toBe(
      `${ORIGIN}/api/oauth/register`,
    );
  });

  it('without mcp.authorization Entra ID stays the authorization server and no metadata of ours is served', async () => {
    const prm = protectedResourceOf(
      devProtectedResource(normalizeConfig({ mcp: true, auth: { tenantId: TENANT } }), true),
    );
    expect(prm?.document(ORIGIN)['authorization_servers']).toEqual([
      `https://login.microsoftonline.com/${TENANT}/v2.0`,
    ]);
    expect(prm?.authorizationServer('/.well-known/oauth-authorization-server/api', ORIGIN)).toBe(
      undefined,
    );
    expect(prm?.serves('/.well-known/oauth-protected-resource/api/mcp')).toBe(false);
  });
});

describe('where the authorization server is let through without sign-in', () => {
  it('dev lets an agent token reach the MCP door, and the token and revocation endpoints go without sign-in as in Azure', async () => {
    const { runtimeAnonymousPaths } = await import(
      '../../src/resources/functions/auth-settings.js'
    );
    const own = normalizeConfig({ mcp: { authorization: true } });
    expect(protectedResourceOf(devProtectedResource(own, true))?.ownsAgents).toBe(true);
    expect(runtimeAnonymousPaths(own, true)).toEqual(
      expect.arrayContaining(['/api/oauth/token', '/api/oauth/revoke']),
    );
    // RFC 7591 registration is open to clients no one knows yet: excluded only when it is on.
    expect(runtimeAnonymousPaths(own, true)).not.toContain('/api/oauth/register');
    const registering = normalizeConfig({ mcp: { authorization: { registration: true } } });
    expect(runtimeAnonymousPaths(registering, true)).toContain('/api/oauth/register');
    const entra = normalizeConfig({ mcp: true, auth: { tenantId: TENANT } });
    expect(protectedResourceOf(devProtectedResource(entra, true))?.ownsAgents).toBe(false);
    expect(runtimeAnonymousPaths(entra, true)).not.toContain('/api/oauth/token');
  });
});

describe("dev's worker lets the discovery under api/ through, as Azure does", () => {
  it('with mcp.authorization the protected-resource metadata, the openid configuration and the JWKS go without sign-in', async () => {
    const { workerEnv } = await import('../../src/cli/dev/host/hosts.js');
    const { DEV_ANONYMOUS_ENV } = await import('../../src/cli/dev/loopback/guard.js');
    const app = { type: 'functions', key: 'api', name: 'func-api', config: {} };
    const context = {
      nodePath: '/n',
      identity: { endpoint: 'http://127.0.0.1:1', secret: 's' },
      certFile: '/c.pem',
      user: { oid: 'u', tid: 't' },
      adminKey: 'k',
      origins: [],
      tenantClaim: 'tid',
      auth: true,
    };
    const anonymous = (mcp: unknown) =>
      workerEnv(
        app as never,
        { ATAKORA_MANIFEST: JSON.stringify({ version: 1, entities: [], mcp }) },
        context as never,
      )[DEV_ANONYMOUS_ENV]?.split(',') ?? [];
    const discovery = [
      '/api/.well-known/oauth-protected-resource',
      '/api/.well-known/openid-configuration',
      '/api/oauth/jwks',
    ];
    expect(anonymous({ authorization: { registration: false } })).toEqual(
      expect.arrayContaining(discovery),
    );
    for (const p of discovery) expect(anonymous({ writes: false })).not.toContain(p);
  });
});
