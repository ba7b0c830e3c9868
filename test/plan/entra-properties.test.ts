// Planner promises about the Entra registrations (kit/pure/entra.ts), over random backends and auth settings:
// the API registration is planned exactly once when the stack creates registrations and the backend has an
// API, one single-page-app registration per static site then, none otherwise; never a shared resource of its
// own; and its logical names do not depend on which other components are present (no rename, no replacement).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import type { AnyDefinition } from '../../src/model/component.js';
import type { BackendConfig } from '../../src/model/config.js';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const auths = fc.constantFrom<BackendConfig['auth'] | undefined>(
  undefined,
  {},
  { clientId: CLIENT },
  { appRegistration: false },
  'none',
  { scope: 'access_as_user' },
);
const shape = fc.record({
  cruds: fc.integer({ min: 0, max: 2 }),
  python: fc.boolean(),
  sites: fc.integer({ min: 0, max: 2 }),
  cdnSites: fc.integer({ min: 0, max: 1 }),
  auth: auths,
});

function build(s: {
  cruds: number;
  python: boolean;
  sites: number;
  cdnSites: number;
  auth: BackendConfig['auth'] | undefined;
}) {
  const defs: Record<string, AnyDefinition> = {};
  for (let i = 0; i < s.cruds; i++)
    defs[`api${i}`] = CrudApi.define(`Api${i}`, {
      entityName: `Entity${i}`,
      schema: { id: 'string' },
    });
  if (s.python)
    defs['hooks'] = FunctionsApp.define('Hooks', {
      runtime: 'python',
      functions: { ping: { trigger: 'http' } },
    });
  for (let i = 0; i < s.sites; i++) defs[`site${i}`] = StaticSite.define(`Site${i}`);
  for (let i = 0; i < s.cdnSites; i++) defs[`web${i}`] = StaticSiteWithCdn.define(`Web${i}`);
  if (Object.keys(defs).length === 0) defs['site0'] = StaticSite.define('Site0');
  return defineBackend(defs, s.auth === undefined ? {} : { auth: s.auth });
}

describe('Entra registrations in the plan', () => {
  it('exactly the registrations the config and the components call for, under stable names', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const backend = build(s);
        const plan = backend.plan();
        const deploys = plan.resources.flatMap((r) => r.deploys);
        const apps = deploys
          .filter((d) => d.terraformType === 'azuread_application')
          .map((d) => d.name)
          .sort();
        const hasApi = s.cruds > 0 || s.python;
        const creates =
          backend.config.auth.enabled &&
          !backend.config.auth.clientId &&
          backend.config.auth.appRegistration;
        const siteCount = plan.resources.filter((r) => r.type === 'staticsite').length;
        expect(apps.length).toBe(creates && hasApi ? 1 + siteCount : 0);
        if (creates && hasApi) {
          expect(apps).toContain('backend_entra_api');
          expect(apps.filter((n) => n.endsWith('_spa'))).toEqual(
            plan.resources
              .filter((r) => r.type === 'staticsite')
              .map((r) => `backend_${r.key.replace(':', '_')}_spa`)
              .sort(),
          );
          expect(
            deploys.filter((d) => d.terraformType === 'azuread_application_pre_authorized'),
          ).toHaveLength(siteCount);
        }
        // Never a planned resource of its own: the summary counts Azure resources only.
        expect(plan.resources.every((r) => !r.type.startsWith('entra'))).toBe(true);
        // The warning exactly when authentication is on with nothing to check tokens against.
        const warned = plan.issues.some((i) => i.code === 'AUTH_CLIENT_ID_MISSING');
        expect(warned).toBe(
          backend.config.auth.enabled &&
            !backend.config.auth.clientId &&
            !backend.config.auth.appRegistration,
        );
      }),
      { numRuns: 80 },
    );
  });

  it("adding components never renames a registration: a backend's registrations stay in any larger backend", () => {
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const names = (s: typeof a) =>
          build({ ...s, auth: {} })
            .plan()
            .resources.flatMap((r) => r.deploys)
            .filter((d) => d.terraformType.startsWith('azuread_'))
            .map((d) => d.name);
        // The union of both: every component of `a` (same ids) plus those of `b`.
        const union = {
          cruds: Math.max(a.cruds, b.cruds),
          python: a.python || b.python,
          sites: Math.max(a.sites, b.sites),
          cdnSites: Math.max(a.cdnSites, b.cdnSites),
          auth: {},
        };
        const larger = new Set(names(union));
        expect(names(a).filter((n) => !larger.has(n))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
