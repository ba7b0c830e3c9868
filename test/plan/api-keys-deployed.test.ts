/**
 * `tenants.apiKeys` on a backend deployed behind App Service authentication (DESIGN §2, "Integrations";
 * docs/integrations.md "Not yet"): the platform validates every bearer token as an Entra token before the runtime
 * runs (src/resources/functions/auth-settings.ts, `Return401`), so a deployed API refuses `atk_…` keys. The plan
 * says so with the warning TENANTS_API_KEYS_NOT_DEPLOYED, and `atakora plan`'s text shows it; without keys, or
 * with `auth: 'none'` (no platform sign-in in front, and no organizations either), there is nothing to warn about.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { renderPlanText } from '../../src/plan/render/text.js';

const CODE = 'TENANTS_API_KEYS_NOT_DEPLOYED';
const orders = CrudApi.define('OrderApi', {
  entityName: 'Order',
  schema: { id: 'string', total: 'number' },
  access: [{ allow: 'role', role: 'Admin' }],
});
const tenants = {
  by: 'membership',
  roles: ['Admin', 'Member'],
  plans: { team: { features: ['api-keys'] } },
  defaultPlan: 'team',
} as const;
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

const planOf = (config: Partial<BackendConfig>) => defineBackend({ orders }, config).plan();

describe('TENANTS_API_KEYS_NOT_DEPLOYED', () => {
  it('warns when keys are declared behind App Service authentication, and atakora plan shows it', () => {
    const plan = planOf({ tenants: { ...tenants, apiKeys: { maxDays: 90 } } });
    const issue = plan.issues.find((i) => i.code === CODE);
    expect(issue).toMatchObject({ severity: 'warning', path: ['config', 'tenants', 'apiKeys'] });
    expect(issue?.message).toMatch(/atakora dev/);
    expect(issue?.resolution).toMatch(/\S/);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const text = renderPlanText(plan, { color: false });
    expect(text).toMatch(/Warnings \(\d+\):/);
    expect(text).toContain(CODE);
  });

  it('fast-check: the warning appears exactly when apiKeys is declared and sign-in is on', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom<'created' | 'clientId' | 'none'>('created', 'clientId', 'none'),
        fc.option(
          fc.record(
            {
              perOrganization: fc.integer({ min: 1, max: 50 }),
              roles: fc.constantFrom(['Admin'], ['Member'], ['Admin', 'Member']),
              maxDays: fc.integer({ min: 1, max: 365 }),
            },
            { requiredKeys: [] },
          ),
          { nil: undefined },
        ),
        (membership, auth, apiKeys) => {
          const config: Partial<BackendConfig> = {
            ...(auth === 'none'
              ? { auth: 'none' }
              : auth === 'clientId'
                ? { auth: { clientId: CLIENT_ID } }
                : {}),
            ...(membership ? { tenants: { ...tenants, ...(apiKeys ? { apiKeys } : {}) } } : {}),
          };
          // Organizations need sign-in: with auth 'none' the config is refused outright, so keys are never
          // planned silently there either.
          if (membership && auth === 'none') {
            expect(() => planOf(config)).toThrow(/auth is 'none'/);
            return;
          }
          const warned = planOf(config).issues.filter((i) => i.code === CODE);
          const expected = membership && apiKeys !== undefined;
          expect(warned).toHaveLength(expected ? 1 : 0);
          if (expected) expect(warned[0]?.severity).toBe('warning');
        },
      ),
      { numRuns: 24 },
    );
  });
});
