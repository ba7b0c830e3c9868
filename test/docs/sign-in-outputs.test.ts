// docs/sign-in.md configures a site from Terraform outputs by name (`terraform output -raw notes_auth_tenant_id`):
// every output name the guide uses must exist in the stack its backend synthesizes, with the value the guide says.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { TerraformOutput, Testing } from '../support/engine.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';

const doc = readFileSync(join(resolve(import.meta.dirname, '../..'), 'docs/sign-in.md'), 'utf8');

describe('docs/sign-in.md names real outputs', () => {
  // The guide's backend.ts, as written there (checked below against the doc's text).
  const backend = defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', tenantId: 'string', title: 'string' },
        partitionKey: '/tenantId',
      }),
      portal: StaticSite.define('Portal', {
        customDomain: 'notes.contoso.com',
        enableSpaMode: true,
      }),
    },
    { backendId: 'notes', environment: 'prod' },
  );

  it('the guide declares this backend', () => {
    expect(doc).toContain(
      "notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string', tenantId: 'string', title: 'string' }, partitionKey: '/tenantId' }),",
    );
    expect(doc).toContain(
      "portal: StaticSite.define('Portal', { customDomain: 'notes.contoso.com', enableSpaMode: true }),",
    );
    expect(doc).toContain("}, { backendId: 'notes', environment: 'prod' });");
  });

  it('every output it reads exists, and the site client id and scope are what MSAL needs', () => {
    const used = [
      ...new Set([...doc.matchAll(/\bnotes_(?:auth|staticsite)_[a-z_]+/g)].map((m) => m[0])),
    ].filter((n) => !n.endsWith('_spa'));
    expect(used.length).toBeGreaterThanOrEqual(5);
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    const applied = backend.apply(stack);
    // The handle the guide prints, read through an output: what its token synthesizes to.
    new TerraformOutput(stack, 'probe', { value: applied.components.portal.auth?.clientId });
    const outputs =
      (JSON.parse(Testing.synth(stack)) as { output?: Record<string, { value: unknown }> })
        .output ?? {};
    expect(used.filter((n) => !(n in outputs))).toEqual([]);
    expect(outputs['notes_staticsite_portal_auth_client_id']?.value).toBe(
      '${azuread_application.notes_staticsite_portal_spa.client_id}',
    );
    expect(outputs['notes_auth_api_scope']?.value).toBe(
      'api://${azuread_application.notes_entra_api.client_id}/user_impersonation',
    );
    // The handle the guide prints carries the same values.
    expect(outputs['probe']?.value).toBe(outputs['notes_staticsite_portal_auth_client_id']?.value);
    expect(applied.components.portal.auth?.redirectUris).toContain('https://notes.contoso.com');
  });
});
