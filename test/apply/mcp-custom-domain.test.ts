/**
 * Where a backend serving MCP answers `api/mcp`, and so which identifier URIs its API registration needs: only the
 * Function App's own `*.azurewebsites.net` host serves the API. A site's custom domain serves the site alone — a
 * StaticSite's is bound to its Static Web App, which links no Function App; a StaticSiteWithCdn's is Front Door's,
 * whose one origin is the Static Web App for `/*` — and no host name is bound to the Function App. So the registration
 * keeps the one identifier URI every directory accepts, `api://<client id>`, and plans no `https://<domain>/…` one
 * (Entra would refuse it unless the domain is verified in the directory: Learn, "Restrictions on identifier URIs of
 * Microsoft Entra applications"). An operator who puts the API behind a host of their own on a verified domain adds
 * that URI in their stack (docs/mcp.md, "On a custom domain"): the registration ignores `identifier_uris`, so a
 * deploy leaves it in place (azuread v3.7.0 application_identifier_uri_resource.go: Create appends to the
 * application's list; docs/resources/application_identifier_uri.md: the application ignores the attribute).
 */
import { describe, expect, it } from 'vitest';
import { ApplicationIdentifierUri, DataAzureadApplication, Testing } from '../support/engine.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import type { SynthesizedStack } from '../../src/testing/synth-backend.js';
import { synth } from '../support/synth.js';

type Block = Record<string, unknown>;
const API_CLIENT = '${azuread_application.helpdesk_entra_api.client_id}';

const helpdesk = () =>
  defineBackend(
    {
      tickets: CrudApi.define('TicketApi', {
        entityName: 'Ticket',
        schema: { id: 'string', title: 'string' },
        partitionKey: '/id',
      }),
      admin: StaticSite.define('AdminPortal', { customDomain: 'admin.contoso.com' }),
      web: StaticSiteWithCdn.define('Website', { customDomain: 'www.contoso.com' }),
    },
    { backendId: 'helpdesk', environment: 'prod', mcp: true },
  );
const of = (json: SynthesizedStack, type: string): Record<string, Block> =>
  (json.resource?.[type] ?? {}) as Record<string, Block>;

describe('a backend serving MCP, its sites on custom domains', () => {
  const json = synth(helpdesk());

  it('serves api/mcp on the Function App host alone: no site domain reaches the Function App', () => {
    // Front Door's origins: the Static Web App, for every path (the site's route is /*).
    const origins = Object.values(of(json, 'azurerm_cdn_frontdoor_origin'));
    expect(origins.length).toBeGreaterThan(0);
    for (const o of origins)
      expect(o['host_name']).toMatch(/^\$\{azurerm_static_web_app\.[\w]+\.default_host_name\}$/);
    expect(
      Object.values(of(json, 'azurerm_cdn_frontdoor_route')).map((r) => r['patterns_to_match']),
    ).toEqual([['/*']]);
    // Nothing binds a host name to the Function App, nor links it to a Static Web App (/api on the site's host).
    const types = Object.keys(json.resource ?? {});
    expect(
      types.filter((t) => /hostname_binding|function_app_registration|custom_hostname/.test(t)),
    ).toEqual([]);
    // The API's address the plan gives clients: the Function App's own host.
    expect(json.output?.['helpdesk_auth_api_base_url']?.value).toMatch(
      /^https:\/\/func-helpdesk-prod-\w+\.azurewebsites\.net\/api$/,
    );
  });

  it('gives the API registration one identifier URI, api://<client id>, and none on a site domain', () => {
    expect(Object.values(of(json, 'azuread_application_identifier_uri'))).toEqual([
      {
        application_id: '${azuread_application.helpdesk_entra_api.id}',
        identifier_uri: `api://${API_CLIENT}`,
      },
    ]);
    expect(JSON.stringify(json.resource)).not.toMatch(/"https:\/\/(admin|www)\.contoso\.com\/api/);
  });

  it('leaves an identifier URI the operator adds in their stack: the registration ignores identifier_uris', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    const applied = helpdesk().apply(stack);
    // As docs/mcp.md shows it: the registration found by the handle's client id, the URI its own resource.
    const api = new DataAzureadApplication(stack, 'helpdesk_api', {
      clientId: applied.components.tickets.auth?.clientId ?? '',
    });
    new ApplicationIdentifierUri(stack, 'helpdesk_mcp_uri', {
      applicationId: api.id,
      identifierUri: 'https://mcp.contoso.com',
    });
    const out = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(of(out, 'azuread_application')['helpdesk_entra_api']?.['lifecycle']).toEqual({
      ignore_changes: ['identifier_uris'],
    });
    expect(
      (out.data as Record<string, Record<string, Block>>)['azuread_application']?.['helpdesk_api'],
    ).toMatchObject({
      client_id: API_CLIENT,
    });
    expect(of(out, 'azuread_application_identifier_uri')).toMatchObject({
      helpdesk_entra_api_uri: { identifier_uri: `api://${API_CLIENT}` },
      helpdesk_mcp_uri: {
        application_id: '${data.azuread_application.helpdesk_api.id}',
        identifier_uri: 'https://mcp.contoso.com',
      },
    });
  });
});
