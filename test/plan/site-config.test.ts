import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { FileStore } from '../../src/components/files/index.js';
import {
  siteConfigFileName,
  siteConfigOf,
  siteConfigOutputName,
  siteFileOrigins,
} from '../../src/kit/pure/site-config.js';
import { tfName } from '../../src/kit/pure/names/terraform-names.js';
import {
  apiOriginsOf,
  siteSecurityHeaders,
  siteWebAppConfig,
} from '../../src/kit/pure/site-headers.js';
import { synth } from '../support/synth.js';

const notes = () =>
  CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string', title: 'string' } });
const tags = () => CrudApi.define('TagApi', { entityName: 'Tag', schema: { id: 'string' } });

describe('atakora.config.json (siteConfigOf, pure)', () => {
  it('lists every API by component key and the site sign-in settings; nothing secret', () => {
    const plan = defineBackend(
      { notes: notes(), labels: tags(), portal: StaticSite.define('Portal') },
      { backendId: 'team', environment: 'prod' },
    ).plan();
    const config = siteConfigOf(plan, 'portal');
    expect(Object.keys(config.apis)).toEqual(['labels', 'notes']);
    expect(config.apis['notes']).toMatch(
      /^https:\/\/func-team-prod-[a-z0-9]+\.azurewebsites\.net\/api\/notes$/,
    );
    expect(config.auth).toEqual({
      clientId: '${azuread_application.team_staticsite_portal_spa.client_id}',
      authority: expect.stringMatching(
        /^https:\/\/login\.microsoftonline\.com\/\$\{data\.azurerm_client_config\.[\w]+\.tenant_id\}$/,
      ) as unknown,
      scopes: ['api://${azuread_application.team_entra_api.client_id}/user_impersonation'],
    });
    expect(JSON.stringify(config)).not.toMatch(/secret|key=|password/i);
    expect(siteConfigOf(plan, 'portal')).toEqual(config);
  });

  it("a multi-tenant backend's site signs in against organizations, not the publisher's tenant (AADSTS50020 otherwise)", () => {
    const backend = defineBackend(
      { notes: notes(), portal: StaticSiteWithCdn.define('Portal') },
      {
        backendId: 'saas',
        auth: {
          signInAudience: 'AzureADMultipleOrgs',
          allowedTenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
        },
      },
    );
    expect(siteConfigOf(backend.plan(), 'portal').auth?.authority).toBe(
      'https://login.microsoftonline.com/organizations',
    );
    expect(backend.components.portal.auth?.authority).toBe(
      'https://login.microsoftonline.com/organizations',
    );
    // What atakora deploy uploads: the Terraform output apply writes.
    const json = synth(backend) as unknown as { output: Record<string, { value: string }> };
    const uploaded = JSON.parse(json.output[siteConfigOutputName('saas', 'portal')]!.value) as {
      auth: { authority: string };
    };
    expect(uploaded.auth.authority).toBe('https://login.microsoftonline.com/organizations');
    // Single-tenant keeps the tenant's own authority.
    const single = defineBackend({ notes: notes(), portal: StaticSite.define('Portal') }).plan();
    expect(siteConfigOf(single, 'portal').auth?.authority).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/\$\{data\.azurerm_client_config\./,
    );
  });

  it('leaves auth out when no registration is created, and gives dev sign-in in dev', () => {
    const plan = defineBackend(
      { notes: notes(), portal: StaticSite.define('Portal') },
      { auth: 'none' },
    ).plan();
    expect(siteConfigOf(plan, 'portal').auth).toBeUndefined();
    const dev = siteConfigOf(
      defineBackend({ notes: notes(), portal: StaticSite.define('Portal') }).plan(),
      'portal',
      {
        apiUrl: (_c, e) => `http://127.0.0.1:7071${new URL(e).pathname}`,
        dev: { userHeader: 'x-atakora-dev-user', user: 'alice@contoso' },
      },
    );
    expect(dev).toEqual({
      apis: { notes: 'http://127.0.0.1:7071/api/notes' },
      dev: { userHeader: 'x-atakora-dev-user', user: 'alice@contoso' },
    });
  });

  it('the file name is renameable', () => {
    const plan = defineBackend({
      notes: notes(),
      a: StaticSite.define('A', { configFileName: 'app-config.json' }),
      b: StaticSiteWithCdn.define('B'),
    }).plan();
    expect(siteConfigFileName(plan.components.find((c) => c.key === 'a')!)).toBe('app-config.json');
    expect(siteConfigFileName(plan.components.find((c) => c.key === 'b')!)).toBe(
      'atakora.config.json',
    );
  });

  it('apply writes it as a Terraform output per site, with the expressions Terraform resolves', () => {
    const backend = defineBackend(
      { notes: notes(), portal: StaticSiteWithCdn.define('Portal') },
      { backendId: 'team' },
    );
    const json = synth(backend) as unknown as { output: Record<string, { value: string }> };
    const out = json.output[siteConfigOutputName('team', 'portal')]!;
    const parsed = JSON.parse(out.value) as {
      apis: Record<string, string>;
      auth: { clientId: string };
    };
    expect(parsed.auth.clientId).toBe(
      '${azuread_application.team_staticsite_portal_spa.client_id}',
    );
    expect(Object.keys(parsed.apis)).toEqual(['notes']);
  });
});

describe('site security headers', () => {
  it('CSP allows the API origins and Entra ID; nosniff; a referrer policy', () => {
    const h = siteSecurityHeaders(['http://127.0.0.1:7071']);
    expect(h['Content-Security-Policy']).toContain(
      "connect-src 'self' http://127.0.0.1:7071 https://login.microsoftonline.com",
    );
    expect(h['Content-Security-Policy']).toContain("script-src 'self'");
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
  });

  it("merges the site's own staticwebapp.config.json over the planned one; its headers win", () => {
    const merged = siteWebAppConfig(
      { navigationFallback: { rewrite: '/index.html' } },
      ['https://api.example.com'],
      {
        routes: [{ route: '/admin/*', allowedRoles: ['admin'] }],
        globalHeaders: { 'Referrer-Policy': 'no-referrer' },
      },
    );
    expect(merged['navigationFallback']).toEqual({ rewrite: '/index.html' });
    expect(merged['routes']).toEqual([{ route: '/admin/*', allowedRoles: ['admin'] }]);
    expect(merged['globalHeaders']).toMatchObject({
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(
      apiOriginsOf({
        a: 'http://127.0.0.1:7071/api/a',
        b: 'http://127.0.0.1:7071/api/b',
        c: 'https://x.net/api/c',
      }),
    ).toEqual(['http://127.0.0.1:7071', 'https://x.net']);
  });

  it('a backend with FileStores lets the page PUT to and read from their blob endpoints, and no other storage', () => {
    const backend = defineBackend(
      {
        notes: notes(),
        files: FileStore.define('Attachments', { maxSizeMb: 2 }),
        portal: StaticSite.define('Portal'),
      },
      { backendId: 'team' },
    );
    const plan = backend.plan();
    // Apply writes each *Endpoint output; deploy reads the resolved value back by this name.
    const json = synth(backend) as unknown as { output: Record<string, { value: string }> };
    const name = tfName('team', 'files', 'blobEndpoint');
    expect(json.output[name]?.value).toMatch(/^https:\/\/st[a-z0-9]+\.blob\.core\.windows\.net\/$/);
    const resolved: Record<string, string> = {
      [name]: 'https://stteamdev3kx9a1.blob.core.windows.net/',
    };
    const origins = siteFileOrigins(plan, (c) => resolved[tfName('team', c.key, 'blobEndpoint')]);
    expect(origins).toEqual(['https://stteamdev3kx9a1.blob.core.windows.net']);
    // An unresolved expression or a non-https value is never let in.
    expect(
      siteFileOrigins(plan, () => '${azurerm_storage_account.x.primary_blob_endpoint}'),
    ).toEqual([]);
    expect(siteFileOrigins(plan, () => 'http://stteamdev.blob.core.windows.net/')).toEqual([]);
    const csp = siteWebAppConfig({}, ['https://func.example.net'], {}, origins)[
      'globalHeaders'
    ] as Record<string, string>;
    expect(csp['Content-Security-Policy']).toContain(
      "connect-src 'self' https://func.example.net https://stteamdev3kx9a1.blob.core.windows.net https://login.microsoftonline.com",
    );
    expect(csp['Content-Security-Policy']).toContain(
      "img-src 'self' data: https://stteamdev3kx9a1.blob.core.windows.net",
    );
    // Without FileStores the policy is as before: no storage origin at all.
    expect(siteSecurityHeaders(['https://func.example.net'])['Content-Security-Policy']).toContain(
      "img-src 'self' data:;",
    );
  });
});
