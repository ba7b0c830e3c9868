/**
 * Where invitation links lead on a membership backend (DESIGN §2, "Invitations that arrive"): `tenants.acceptUrl`,
 * else the backend's StaticSite (`tenants.site` naming one among several) as the app's ACCEPT_URL setting, the
 * sites' origins as ATAKORA_SITE_ORIGINS (the only `Origin`s a link may take); plan errors when the site is unknown
 * or the choice is open; a URL that is no page refused with TENANTS_MEMBERSHIP_INVALID.
 */
import { SCIM_ROUTES } from '../../src/contract/scim/scim.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { ACCEPT_URL_SETTING, SITE_ORIGINS_SETTING } from '../../src/model/runtime-manifest.js';
import { MEMBERSHIP_ROUTES } from '../../src/contract/members.js';
import { thrown } from '../support/errors.js';
import { synth } from '../support/synth.js';

const tenants = {
  by: 'membership',
  plans: { free: {} },
  defaultPlan: 'free',
} as const satisfies BackendConfig['tenants'];
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const site = (name: string) => StaticSite.define(name);

interface App {
  app_settings: Record<string, string>;
  auth_settings_v2?: { excluded_paths?: string[] };
}
const appOf = (json: ReturnType<typeof synth>): App =>
  Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as unknown as App;
const settingsOf = (json: ReturnType<typeof synth>): Record<string, string> =>
  appOf(json).app_settings;

describe('the accept link of a membership backend', () => {
  it("is the only StaticSite's URL, its origins the ones a request's Origin may name", () => {
    const settings = settingsOf(
      synth(defineBackend({ notes: notes(), web: site('Web') }, { tenants })),
    );
    expect(settings[ACCEPT_URL_SETTING]).toMatch(
      /^https:\/\/\$\{azurerm_static_web_app\.[a-z0-9_]+\.default_host_name\}$/,
    );
    expect(settings[SITE_ORIGINS_SETTING]).toContain(settings[ACCEPT_URL_SETTING]);
  });

  it('is tenants.acceptUrl when given, and the site tenants.site names among several', () => {
    const given = settingsOf(
      synth(
        defineBackend(
          { notes: notes(), web: site('Web') },
          { tenants: { ...tenants, acceptUrl: 'https://app.contoso.com/join' } },
        ),
      ),
    );
    expect(given[ACCEPT_URL_SETTING]).toBe('https://app.contoso.com/join');
    const backend = defineBackend(
      { notes: notes(), web: site('Web'), admin: site('Admin') },
      { tenants: { ...tenants, site: 'web' } },
    );
    const named = settingsOf(synth(backend));
    const web = backend.plan().components.find((c) => c.key === 'web');
    expect(named[ACCEPT_URL_SETTING]).toBe(web?.outputs['url']);
  });

  it('lets the preview and the SCIM routes through App Service authentication on a membership backend only', () => {
    const membership = appOf(synth(defineBackend({ notes: notes() }, { tenants })));
    // SCIM requests carry an organization's SCIM token, never an Entra token: the runtime authenticates them.
    expect(membership.auth_settings_v2?.excluded_paths).toEqual([
      '/api/health',
      `/api/${MEMBERSHIP_ROUTES.preview}`,
      `/api/${SCIM_ROUTES.users}`,
      `/api/${SCIM_ROUTES.users}/*`,
      `/api/${SCIM_ROUTES.groups}`,
      `/api/${SCIM_ROUTES.groups}/*`,
      `/api/${SCIM_ROUTES.serviceProviderConfig}`,
      `/api/${SCIM_ROUTES.schemas}`,
      `/api/${SCIM_ROUTES.schemas}/*`,
      `/api/${SCIM_ROUTES.resourceTypes}`,
      `/api/${SCIM_ROUTES.resourceTypes}/*`,
      // The base and below: a path naming no endpoint reaches the runtime's SCIM 404 (SCIM_ROUTES.unknown).
      '/api/scim/v2',
      '/api/scim/v2/*',
    ]);
    const plain = appOf(synth(defineBackend({ notes: notes() }, {})));
    expect(plain.auth_settings_v2?.excluded_paths).toEqual(['/api/health']);
  });

  it('is a plan error when several sites leave it open or tenants.site names none', () => {
    const codes = (config: BackendConfig, withSites: boolean) =>
      defineBackend(
        {
          notes: notes(),
          ...(withSites ? { web: site('Web'), admin: site('Admin') } : {}),
        },
        config,
      )
        .plan()
        .issues.filter((i) => i.severity === 'error')
        .map((i) => [i.code, i.path?.join('.')]);
    expect(codes({ tenants }, true)).toEqual([['TENANTS_SITE_AMBIGUOUS', 'config.tenants.site']]);
    expect(codes({ tenants: { ...tenants, site: 'portal' } }, true)).toEqual([
      ['TENANTS_SITE_UNKNOWN', 'config.tenants.site'],
    ]);
    expect(codes({ tenants: { ...tenants, site: 'web' } }, false)).toEqual([
      ['TENANTS_SITE_UNKNOWN', 'config.tenants.site'],
    ]);
    // A backend without a site and without acceptUrl plans as before (no page to lead to, nothing to choose).
    expect(codes({ tenants }, false)).toEqual([]);
  });

  it('refuses an acceptUrl that is no page users reach, and the keys outside membership', () => {
    for (const bad of [
      'app.contoso.com',
      'http://app.contoso.com',
      'javascript:alert(1)',
      'https://u:p@app.contoso.com',
      'https://app.contoso.com/#x',
    ]) {
      const e = thrown(() => normalizeConfig({ tenants: { ...tenants, acceptUrl: bad } }));
      expect([e.code, e.path]).toEqual([
        'TENANTS_MEMBERSHIP_INVALID',
        ['config', 'tenants', 'acceptUrl'],
      ]);
    }
    expect(
      normalizeConfig({ tenants: { ...tenants, acceptUrl: 'http://localhost:5173/join' } }).tenants
        ?.membership?.acceptUrl,
    ).toBe('http://localhost:5173/join');
    const directory = thrown(() =>
      normalizeConfig({
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free', acceptUrl: 'https://a.example' },
      }),
    );
    expect([directory.code, directory.path]).toEqual([
      'TENANTS_MEMBERSHIP_INVALID',
      ['config', 'tenants', 'acceptUrl'],
    ]);
  });
});
