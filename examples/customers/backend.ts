/**
 * Customers: a shop's customers sign up and sign in with an email code, Google or Facebook through a Microsoft Entra
 * External ID tenant (DESIGN §2, "Customer sign-in"; docs/sign-in.md#customers). Each customer creates a household
 * (an organization: tenants by membership) and invites the others by email; every shopping list is confined to the
 * household the request names (`X-Atakora-Tenant`). The page (`site/`, no bundler) signs in with MSAL.js against
 * the external tenant's ciamlogin.com authority that atakora.config.json names.
 *
 * Before the first deploy, once: create the external tenant in the Entra admin center (a portal step; copy its
 * tenant id and domain name below), create Google's and Meta's OAuth clients (redirect URI
 * https://<subdomain>.ciamlogin.com/<tenant id>/federation/oauth2 — docs/sign-in.md#social-providers), then:
 *
 *   printf %s "$GOOGLE_SECRET"   | npx atakora secret set examples/customers/backend.ts GOOGLE_CLIENT_SECRET
 *   printf %s "$FACEBOOK_SECRET" | npx atakora secret set examples/customers/backend.ts FACEBOOK_APP_SECRET
 *   GOOGLE_CLIENT_ID=… FACEBOOK_APP_ID=… npx atakora deploy examples/customers/backend.ts   # then auth setup
 *   npx atakora dev examples/customers/backend.ts --user alice@example.com                  # locally, no tenant
 *
 * (The vault exists after the first deploy: on a new environment deploy, set the secrets, then run
 * `atakora auth setup examples/customers/backend.ts`.) Paths are relative to the repository root.
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    lists: CrudApi.define('ListApi', {
      entityName: 'List',
      schema: {
        id: 'string',
        name: { type: 'string', required: true, maxLength: 200 },
        done: { type: 'boolean', default: false },
      },
      // Everyone in the household reads and writes its lists; the one who made a list, or an Owner, removes it.
      access: [
        { allow: 'authenticated', operations: ['read', 'list', 'create', 'update'] },
        { allow: 'owner' },
        { allow: 'role', role: 'Owner' },
      ],
    }),
    web: StaticSite.define('ShopWeb', { sourceDirectory: './examples/customers/site' }),
  },
  {
    backendId: 'shop',
    environment: 'dev',
    auth: {
      signInAudience: 'customers',
      // The external tenant (Entra admin center → Overview): its tenant id and its domain name.
      externalTenant: { id: '6f1c2b3a-0000-4000-8000-00000000c1a0', subdomain: 'contosoid' },
      emailSignIn: 'one-time-code',
      // Client ids from GOOGLE_CLIENT_ID / FACEBOOK_APP_ID when auth setup runs; secrets from the Key Vault.
      identityProviders: ['google', 'facebook'],
    },
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans: { free: { requestsPerMinute: 300, storageMb: 50 } },
      defaultPlan: 'free',
    },
  },
);
