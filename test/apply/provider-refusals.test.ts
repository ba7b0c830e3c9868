import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { COMPRESSIBLE_CONTENT_TYPES } from '../../src/resources/cdn/content-types.js';
import { PROVIDER_ENUMERATIONS } from '../terraform/enumerations.js';
import { synth } from '../support/synth.js';

// What the real azurerm 4.55.0 / azuread 3.7.0 providers refused in our stacks (npm run check:terraform found
// them), held here without Terraform so a regression fails fast.
const site = () => ({ sourceDirectory: './test/terraform/site' });

describe('Front Door compression: only types azurerm accepts', () => {
  it('the route compresses exactly the list check:terraform probes against the provider, without application/manifest+json', () => {
    const json = synth(defineBackend({ web: StaticSiteWithCdn.define('Web', site()) }));
    const routes = Object.values(json.resource['azurerm_cdn_frontdoor_route'] ?? {}) as {
      cache?: { content_types_to_compress?: string[] };
    }[];
    expect(routes).toHaveLength(1);
    const types = routes[0]!.cache?.content_types_to_compress ?? [];
    // frontDoorContentTypes() (internal/services/cdn/cdn_frontdoor_helpers.go, v4.55.0) has no manifest type.
    expect(types).not.toContain('application/manifest+json');
    expect(types).toEqual([...COMPRESSIBLE_CONTENT_TYPES]);
    const probe = PROVIDER_ENUMERATIONS.find(
      (e) => e.attribute === 'azurerm_cdn_frontdoor_route.cache.content_types_to_compress',
    );
    expect(probe?.values).toEqual(COMPRESSIBLE_CONTENT_TYPES);
  });

  it('a custom domain does not set the deprecated minimum_tls_version (TLS 1.2 is the default)', () => {
    const json = synth(
      defineBackend({
        web: StaticSiteWithCdn.define('Web', { ...site(), customDomain: 'app.example.com' }),
      }),
    );
    const domains = Object.values(json.resource['azurerm_cdn_frontdoor_custom_domain'] ?? {}) as {
      tls?: Record<string, unknown>;
    }[];
    expect(domains.map((d) => d.tls)).toEqual([{ certificate_type: 'ManagedCertificate' }]);
  });
});

describe('outputs of sensitive attributes are sensitive', () => {
  it("the Static Web App custom domain's validation_token output is marked sensitive", () => {
    const json = synth(
      defineBackend({
        web: StaticSite.define('Web', {
          ...site(),
          sku: 'Standard',
          customDomain: 'www.example.com',
        }),
      }),
    );
    const outputs = Object.entries(
      (json as { output?: Record<string, { value: unknown; sensitive?: boolean }> }).output ?? {},
    );
    const tokens = outputs.filter(([, o]) =>
      /static_web_app_custom_domain\.[^.]+\.validation_token/.test(JSON.stringify(o.value)),
    );
    expect(tokens).toHaveLength(1);
    expect(tokens.map(([, o]) => o.sensitive)).toEqual([true]);
  });
});

describe("AUTH_ROLE_SCOPE_COLLISION: a role with the API scope's value", () => {
  const withRole = (role: string) =>
    CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string' },
      access: [{ allow: 'role', role }],
    });
  const codes = (b: { plan(): { issues: readonly { severity: string; code: string }[] } }) =>
    b
      .plan()
      .issues.filter((i) => i.severity === 'error')
      .map((i) => i.code);

  it('a role named like the default scope (user_impersonation) is a plan error, not a registration azuread refuses', () => {
    const backend = defineBackend({ notes: withRole('user_impersonation') });
    const issue = backend.plan().issues.find((i) => i.code === 'AUTH_ROLE_SCOPE_COLLISION');
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['NoteApi'],
      path: ['config', 'auth', 'scope'],
    });
    expect(issue?.message).toContain('"user_impersonation"');
    expect(issue?.resolution).toContain('auth: { scope:');
    expect(() => synth(backend)).toThrow(/AUTH_ROLE_SCOPE_COLLISION/);
  });

  it('a role equal to a custom auth.scope is an error too; distinct values, or no registration made here, are not', () => {
    expect(
      codes(defineBackend({ notes: withRole('notes.read') }, { auth: { scope: 'notes.read' } })),
    ).toContain('AUTH_ROLE_SCOPE_COLLISION');
    expect(
      codes(
        defineBackend({ notes: withRole('user_impersonation') }, { auth: { scope: 'notes.read' } }),
      ),
    ).not.toContain('AUTH_ROLE_SCOPE_COLLISION');
    expect(codes(defineBackend({ notes: withRole('NoteAdmin') }))).not.toContain(
      'AUTH_ROLE_SCOPE_COLLISION',
    );
    expect(
      codes(
        defineBackend(
          { notes: withRole('user_impersonation') },
          { auth: { clientId: '22222222-2222-4222-8222-222222222222' } },
        ),
      ),
    ).not.toContain('AUTH_ROLE_SCOPE_COLLISION');
  });

  it('the scope compared is the one the registration declares (case matters, as in azuread)', () => {
    expect(codes(defineBackend({ notes: withRole('User_Impersonation') }))).not.toContain(
      'AUTH_ROLE_SCOPE_COLLISION',
    );
    const json = synth(defineBackend({ admins: withRole('User_Impersonation') }));
    const app = Object.values(json.resource['azuread_application'] ?? {})[0] as {
      api: { oauth2_permission_scope: { value: string }[] };
      app_role: { value: string }[];
    };
    expect(app.api.oauth2_permission_scope.map((s) => s.value)).toEqual(['user_impersonation']);
    expect(app.app_role.map((r) => r.value)).toEqual(['User_Impersonation']);
  });
});
