/**
 * Sign-in out of the box (docs/sign-in.md): a multi-tenant notes API and the site that calls it. The stack
 * registers both in Microsoft Entra ID — the API (scope `user_impersonation`) and the site as a single-page app
 * allowed to call it — and prints, after synth, what the site's MSAL.js configuration takes. Locally:
 * `npx atakora dev examples/sign-in.ts --user alice@contoso`, then `x-atakora-dev-user: bob@fabrikam` per request.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** The backend (what `atakora synth` and `atakora dev` serve). */
export default function signInBackend() {
  return defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', tenantId: 'string', title: 'string', body: 'string' },
        partitionKey: '/tenantId', // every caller sees only its own tenant's notes (the token's tid)
      }),
      portal: StaticSite.define('Portal', {
        customDomain: 'notes.contoso.com',
        enableSpaMode: true,
        sourceDirectory: './examples/team-notes/site',
      }),
    },
    {
      backendId: 'notes',
      environment: 'prod',
      // Vite's dev server and the SWA CLI: redirect URIs of the site's registration, CORS origins of `atakora dev`.
      auth: { devOrigins: ['http://localhost:5173', 'http://localhost:4280'] },
    },
  );
}

export function synthSignIn(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = signInBackend();
  backend.addToStack(
    new ResourceGroupStack(app, 'NotesStack', {
      resourceGroupName: 'rg-notes-prod',
      location: 'eastus',
    }),
  );
  app.synth();
  return { app, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { backend } = synthSignIn();
  // Terraform expressions until apply; after it, `terraform output` has the values (docs/sign-in.md).
  console.log(backend.components.portal.auth);
}
