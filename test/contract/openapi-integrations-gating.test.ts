/**
 * The 402 the OpenAPI document declares on the integrations routes (issue #123, docs/integrations.md "After a
 * downgrade"): every key and webhook operation answers 402 `feature-not-in-plan` on a plan without its feature —
 * but revoking a key and deleting an endpoint, open on every plan, so a downgrade never leaves them beyond the
 * organization's reach. The document says what the runtime answers (test/runtime/api-keys.test.ts and
 * webhooks/webhook-attacks.test.ts call both on a plan without the feature).
 */
import { describe, expect, it } from 'vitest';
import { openApiFromManifest } from '../../src/contract/openapi.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { noteEntity } from '../runtime/support/entities.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';

const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'orgs',
  entities: [noteEntity],
  auth: membershipAuth(
    'home-dir',
    {
      plans: { free: { features: [] }, pro: { features: ['api-keys', 'webhooks'] } },
      defaultPlan: 'free',
    },
    { createTenants: 'any-user', apiKeys: { perOrganization: 3, maxDays: 30 } },
  ),
};
const doc = openApiFromManifest(manifest, 'https://func-orgs.azurewebsites.net') as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const answers = (path: string, method: string) => {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path} in the document`);
  return Object.keys(op.responses);
};

describe('the integrations routes’ 402 in the document', () => {
  it.each([
    ['/api/tenant/api-keys', 'get'],
    ['/api/tenant/api-keys', 'post'],
    ['/api/tenant/webhooks', 'get'],
    ['/api/tenant/webhooks', 'post'],
    ['/api/tenant/webhooks/{id}', 'get'],
    ['/api/tenant/webhooks/{id}', 'patch'],
    ['/api/tenant/webhooks/{id}/deliveries', 'get'],
  ])('%s %s: 402 on a plan without the feature', (path, method) => {
    expect(answers(path, method)).toContain('402');
  });

  it.each([
    ['/api/tenant/api-keys/{id}', 'delete'],
    ['/api/tenant/webhooks/{id}', 'delete'],
  ])('%s %s: open on every plan, no 402; still 403 for a Member', (path, method) => {
    const listed = answers(path, method);
    expect(listed).not.toContain('402');
    expect(listed).toEqual(expect.arrayContaining(['204', '403', '404']));
  });
});
