/**
 * The claims an invitation's acceptance needs, declared on the API registration the stack creates: every backend
 * with organizations (tenants by membership) — workforce, multi-tenant or customers — asks for `email` and
 * `xms_edov` in the API's access tokens, and the runtime's reader of a verified email (runtime/caller/
 * verified-email.ts, which reads App Service's principal of the bearer access token) finds an email in a token
 * carrying exactly the declared claims. azuread's `optional_claims` is Optional, not Computed (v3.7.0
 * internal/services/applications/application_resource.go: the schema, its update writing the configured value and
 * its read setting what Entra holds), so a claim added by hand in the admin center is removed by the next apply:
 * only a declared claim survives a deploy.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { VERIFIED_EMAIL_OPTIONAL_CLAIMS } from '../../src/model/entra-claims.js';
import { verifiedEmailOf } from '../../src/runtime/caller/verified-email.js';
import type { BackendConfig } from '../../src/model/config.js';
import { synth } from '../support/synth.js';
import { customersConfig } from '../support/customers-config.js';

type Block = Record<string, unknown>;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const membership = {
  by: 'membership',
  createTenants: 'any-user',
  plans: { free: {} },
  defaultPlan: 'free',
} as const satisfies BackendConfig['tenants'];

/** The API registration's `optional_claims` as synthesized. */
function apiClaims(config: BackendConfig): { access_token?: { name: string }[] } | undefined {
  const json = synth(defineBackend({ notes: notes(), web: StaticSite.define('Web', {}) }, config));
  const apps = (json.resource['azuread_application'] ?? {}) as Record<string, Block>;
  return apps['backend_entra_api']?.['optional_claims'] as
    | { access_token?: { name: string }[] }
    | undefined;
}

const withOrganizations: readonly [string, BackendConfig][] = [
  ['workforce, one directory', { tenants: membership }],
  [
    'workforce, many directories',
    {
      tenants: membership,
      auth: {
        signInAudience: 'AzureADMultipleOrgs',
        allowedTenants: ['aaaaaaaa-0000-4000-8000-000000000001'],
      },
    },
  ],
  ['customers', { ...customersConfig, tenants: membership }],
];

describe('the claims invitations need, declared on the API registration', () => {
  it.each(withOrganizations)('%s: asks for email and xms_edov in the access token', (_, config) => {
    const names = (apiClaims(config)?.access_token ?? []).map((c) => c.name);
    expect(names).toEqual(['email', 'xms_edov']);
  });

  it.each(withOrganizations)(
    '%s: declares every claim the runtime reads a verified email from, and that token proves one',
    (_, config) => {
      const declared = (apiClaims(config)?.access_token ?? []).map((c) => c.name);
      for (const claim of VERIFIED_EMAIL_OPTIONAL_CLAIMS) expect(declared).toContain(claim);
      // A token carrying only the declared optional claims (values as Entra writes them for a verified address).
      const values: Record<string, string> = { email: 'Ada@Contoso.com', xms_edov: 'true' };
      const claims = declared.map((typ) => ({ typ, val: values[typ] ?? '' }));
      expect(verifiedEmailOf({ authType: 'aad', claims })).toBe('ada@contoso.com');
      // Without one of them the runtime proves none: each declared claim is one the runtime relies on.
      for (const dropped of declared)
        expect(
          verifiedEmailOf({ authType: 'aad', claims: claims.filter((c) => c.typ !== dropped) }),
        ).toBeUndefined();
    },
  );

  it('asks for none without organizations (no invitation to accept)', () => {
    expect(apiClaims({})).toBeUndefined();
  });
});
