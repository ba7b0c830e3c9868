import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { SITE_ORIGINS_SETTING } from '../../src/model/runtime-manifest.js';
import { functionApps } from '../support/app-packages.js';
import { synth } from '../support/synth.js';

// DESIGN §5 "Origins agree": a user who signs in on any origin a site's registration redirects to must be able
// to call the API from there. Before, a custom domain replaced the Static Web App and Front Door hosts in CORS
// while the registration still redirected to them (sign-in worked, every call was blocked).

const api = () =>
  CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string', title: 'string' } });
const shapes: Record<
  string,
  () => ReturnType<typeof StaticSite.define> | ReturnType<typeof StaticSiteWithCdn.define>
> = {
  StaticSite: () => StaticSite.define('Portal'),
  'StaticSite + custom domain': () =>
    StaticSite.define('Portal', { customDomain: 'notes.contoso.com' }),
  StaticSiteWithCdn: () => StaticSiteWithCdn.define('Portal'),
  'StaticSiteWithCdn + custom domain': () =>
    StaticSiteWithCdn.define('Portal', { customDomain: 'notes.contoso.com' }),
  'StaticSiteWithCdn + custom domain in a DNS zone': () =>
    StaticSiteWithCdn.define('Portal', {
      customDomain: 'notes.contoso.com',
      dnsZoneName: 'contoso.com',
    }),
};
const configs: Record<string, BackendConfig> = {
  'default dev origins': { environment: 'prod' },
  'an https dev origin': {
    environment: 'prod',
    auth: { devOrigins: ['http://localhost:5173', 'https://dev.contoso.net:8443'] },
  },
};

type Json = ReturnType<typeof synth>;
const spaRedirects = (json: Json): string[] =>
  Object.values(json.resource['azuread_application'] ?? {}).flatMap(
    (a) =>
      (a as { single_page_application?: { redirect_uris?: string[] } }).single_page_application
        ?.redirect_uris ?? [],
  );
const cors = (json: Json): string[] => {
  const apps = functionApps(json.resource) as {
    site_config: { cors?: { allowed_origins: string[] } };
  }[];
  expect(apps).toHaveLength(1);
  return apps[0]!.site_config.cors?.allowed_origins ?? [];
};

const plannedOrigins = (backend: { plan(): ResourcePlan }): string[] =>
  backend.plan().components.find((c) => c.key === 'portal')!.outputs['origins'] as string[];

describe('the API admits every https origin the SPA registrations redirect to', () => {
  for (const [shape, site] of Object.entries(shapes)) {
    for (const [name, config] of Object.entries(configs)) {
      it(`${shape}, ${name}: CORS equals the https redirect origins`, () => {
        const backend = defineBackend({ notes: api(), portal: site() }, config);
        const json = synth(backend);
        const redirects = spaRedirects(json);
        expect(redirects.length).toBeGreaterThan(0);
        const https = [...new Set(redirects.filter((u) => u.startsWith('https://')))].sort();
        expect(cors(json)).toEqual(https);
        // The site's planned origins (its handle's, before apply) are among them.
        for (const o of plannedOrigins(backend)) expect(cors(json)).toContain(o);
        if (shape.includes('custom domain')) expect(https).toContain('https://notes.contoso.com');
        if (shape.includes('Cdn'))
          expect(https.some((o) => o.includes('azurerm_cdn_frontdoor_endpoint'))).toBe(true);
        expect(https.some((o) => o.includes('azurerm_static_web_app'))).toBe(true);
      });
    }
  }

  it('configured corsOrigins come on top; two sites both count', () => {
    const backend = defineBackend(
      {
        notes: api(),
        a: StaticSite.define('A', { customDomain: 'a.contoso.com' }),
        b: StaticSiteWithCdn.define('B'),
      },
      { corsOrigins: ['https://partner.example.com'] },
    );
    const json = synth(backend);
    const https = [...new Set(spaRedirects(json).filter((u) => u.startsWith('https://')))];
    expect(cors(json).sort()).toEqual([...https, 'https://partner.example.com'].sort());
  });

  it('without registrations (auth none) the sites still are admitted from every host they are served on', () => {
    const backend = defineBackend(
      {
        notes: api(),
        portal: StaticSiteWithCdn.define('Portal', { customDomain: 'notes.contoso.com' }),
      },
      { auth: 'none' },
    );
    const json = synth(backend);
    expect(spaRedirects(json)).toEqual([]);
    expect(cors(json)).toEqual(plannedOrigins(backend));
    expect(plannedOrigins(backend)).toHaveLength(3);
  });

  it("an MCP backend's runtime admits the same origins as its CORS, never '*' (ATAKORA_SITE_ORIGINS)", () => {
    const parts = () => ({
      notes: api(),
      portal: StaticSiteWithCdn.define('Portal', { customDomain: 'notes.contoso.com' }),
    });
    const settingOf = (json: Json) =>
      (functionApps(json.resource) as { app_settings: Record<string, string> }[])[0]!.app_settings[
        SITE_ORIGINS_SETTING
      ];
    const json = synth(
      defineBackend(parts(), { mcp: true, corsOrigins: ['https://partner.example.com', '*'] }),
    );
    expect(cors(json)).toContain('*');
    expect(settingOf(json)?.split(',')).toEqual(cors(json).filter((o) => o !== '*'));
    expect(settingOf(json)).toContain('https://notes.contoso.com');
    // Without an MCP server nothing reads it.
    expect(settingOf(synth(defineBackend(parts(), {})))).toBeUndefined();
  });
});
