import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import { DEFAULT_RUNTIME_AUTH, type RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { mergedConfigOf } from '../../src/resources/types.js';
import { runtimeManifestOf } from '../../src/resources/functions/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { arbitraryCrudBackend } from '../support/plan-arbitraries.js';

const BYO = { auth: { clientId: '11111111-2222-3333-4444-555555555555' } };
const MULTI_TENANT: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  allowedTenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
};

describe('the runtime manifest: one schema for its writer and its reader', () => {
  it('every manifest the planner writes for a random backend parses back equal (fast-check)', () => {
    fc.assert(
      fc.property(
        arbitraryCrudBackend(),
        fc.boolean(),
        fc.boolean(),
        ({ apis, auth }, identities, allowList) => {
          const components = Object.fromEntries(
            apis.map((a) => [
              a.id,
              CrudApi.define(a.id, a.config as CrudApiConfig<Record<string, never>>),
            ]),
          );
          const plan = defineBackend(components, auth ? BYO : { auth: 'none' as const }).plan();
          const apps = plan.resources.filter(
            (r) => r.type === 'functions' && mergedConfigOf('functions', r).crudRuntime,
          );
          expect(apps.length).toBeGreaterThan(0);
          for (const app of apps) {
            const written = runtimeManifestOf(mergedConfigOf('functions', app), {
              backendId: plan.backendId,
              environment: plan.environment,
              auth: allowList ? MULTI_TENANT : DEFAULT_RUNTIME_AUTH,
              identities,
              ...(auth
                ? {
                    security: {
                      tenantId: 'contoso.onmicrosoft.com',
                      scope: 'api://1111/user_impersonation',
                    },
                  }
                : {}),
            });
            expect(written.entities.map((e) => e.componentId).sort()).toEqual(
              apis.map((a) => a.id).sort(),
            );
            // Equal, not merely accepted: the parser keeps only what the schema names, so a field the writer adds
            // without the schema (or the schema reads differently) shows up here.
            expect(parseManifest(JSON.stringify(written))).toEqual(written);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
