/**
 * A SaaS notes backend that is safe by declaration (issue 33, docs/security.md#access-rules): customers sign in
 * with their own Microsoft Entra directories (a multi-tenant registration), the runtime admits only the
 * onboarded ones, each customer's notes are confined to its tenant, and inside a tenant only a note's author
 * edits it, a `NoteAdmin` moderates, and everyone else reads. Private drafts are the author's alone.
 * Locally: `npx atakora dev examples/saas-access.ts --user alice@11111111-1111-4111-8111-111111111111`, then
 * `x-atakora-dev-user: carol@11111111-1111-4111-8111-111111111111;roles=NoteAdmin` per request.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** The customer directories onboarded so far (their tenant ids; each admin consented with the output URL). */
export const customerTenants = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
];

/** The backend (what `atakora synth`, `atakora plan` and `atakora dev` use). */
export default function saasAccessBackend() {
  return defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', title: 'string', body: 'string' },
        partitionKey: '/tenantId',
        access: [
          { allow: 'owner' }, // the author: every operation on their notes
          { allow: 'role', role: 'NoteAdmin' }, // an app role: every note of the tenant
          { allow: 'authenticated', operations: ['read', 'list'] }, // everyone else in the tenant: read only
        ],
      }),
      drafts: CrudApi.define('DraftApi', {
        entityName: 'Draft',
        schema: { id: 'string', text: 'string' },
        partitionKey: '/tenantId',
        access: [{ allow: 'owner' }], // nobody else sees them: another user's draft is 404, lists show one's own
        ownerField: 'authorId',
      }),
      portal: StaticSite.define('Portal', { enableSpaMode: true }),
    },
    {
      backendId: 'saas',
      environment: 'prod',
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: customerTenants },
    },
  );
}

export function synthSaasAccess(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = saasAccessBackend();
  backend.addToStack(
    new ResourceGroupStack(app, 'SaasStack', {
      resourceGroupName: 'rg-saas-prod',
      location: 'eastus',
    }),
  );
  app.synth();
  return { app, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { backend } = synthSaasAccess();
  for (const c of backend.plan().components)
    if (c.outputs.access) console.log(c.key, JSON.stringify(c.outputs.access));
  console.log(
    'Onboard a customer: its admin opens `terraform output -raw saas_auth_admin_consent_url`.',
  );
}
