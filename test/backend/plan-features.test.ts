/**
 * Plan features as configured (DESIGN §2, "Plans that package the product"): `plans.<name>.features` checked
 * (PLAN_FEATURES_INVALID: a bad name, a name twice), an access rule's `feature` naming a feature no plan lists a plan
 * error (ACCESS_FEATURE_UNKNOWN), the plans' features and the rules' carried as the runtime manifest's schema accepts
 * them, and the one rule (`featuresOf`) as a property: no plan listing features → every plan has every feature; once
 * one does, exactly what each lists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import { mergedConfigOf } from '../../src/resources/types.js';
import { runtimeManifestOf } from '../../src/resources/functions/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { BUILT_IN_FEATURES, featuresOf, plansWith } from '../../src/model/plans/plan-features.js';

const auth = { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' } as const;
const notes = (feature?: string) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    access: [
      { allow: 'authenticated', operations: ['read', 'list'] },
      { allow: 'authenticated', ...(feature ? { feature } : {}) },
    ],
  });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AtakoraError ? e.code : String(e);
  }
  return undefined;
};

describe('plans.<name>.features', () => {
  it.each([[['audit', 'audit']], [['Audit']], [['1x']], [['a'.repeat(41)]], [['with space']]])(
    '%j → PLAN_FEATURES_INVALID naming the plan',
    (features) => {
      const err = (() => {
        try {
          defineBackend(
            { notes: notes() },
            { auth, tenants: { plans: { free: {}, pro: { features } }, defaultPlan: 'free' } },
          );
        } catch (e) {
          return e as AtakoraError;
        }
        return undefined;
      })();
      expect(err?.code).toBe('PLAN_FEATURES_INVALID');
      expect(err?.path?.slice(0, 5)).toEqual(['config', 'tenants', 'plans', 'pro', 'features']);
    },
  );

  it("a rule's feature no plan lists is ACCESS_FEATURE_UNKNOWN; one a plan lists, or with no plan listing any, holds", () => {
    const plans = { free: { features: [] }, pro: { features: ['reports'] } };
    const issues = (feature: string, p: Record<string, object> = plans) =>
      defineBackend({ notes: notes(feature) }, { auth, tenants: { plans: p, defaultPlan: 'free' } })
        .plan()
        .issues.filter((i) => i.code === 'ACCESS_FEATURE_UNKNOWN');
    expect(issues('reprots')).toHaveLength(1);
    expect(issues('reprots')[0]?.path).toEqual([
      'components',
      'notes',
      'config',
      'access',
      1,
      'feature',
    ]);
    expect(issues('reports')).toEqual([]);
    expect(issues('anything', { free: {} })).toEqual([]);
    expect(codeOf(() => notes('Not A Name'))).toBe('CRUD_ACCESS_INVALID');
  });

  it("the manifest carries each plan's features and each rule's, and its schema accepts them", () => {
    const backend = defineBackend(
      { notes: notes('reports') },
      {
        auth,
        tenants: {
          plans: { free: {}, pro: { features: ['reports', 'audit'] } },
          defaultPlan: 'free',
        },
      },
    );
    const plan = backend.plan();
    const app = plan.resources.find(
      (r) => r.type === 'functions' && mergedConfigOf('functions', r).crudRuntime,
    );
    if (!app) throw new Error('no CRUD runtime');
    const written = runtimeManifestOf(mergedConfigOf('functions', app), {
      backendId: plan.backendId,
      environment: plan.environment,
      auth: {
        required: true,
        tenantClaim: 'tid',
        trustTenantHeader: false,
        ...admissionPolicy(backend.config),
      },
      identities: false,
    });
    expect(written.auth?.registry?.plans['pro']?.features).toEqual(['reports', 'audit']);
    expect(written.auth?.registry?.plans['free']?.features).toBeUndefined();
    expect(written.entities[0]?.access?.[1]).toEqual({
      allow: 'authenticated',
      feature: 'reports',
    });
    // Equal, not merely accepted: the parser keeps only what its schema names.
    expect(parseManifest(JSON.stringify(written))).toEqual(written);
  });
});

describe('featuresOf: the one rule', () => {
  const name = fc.constantFrom(...BUILT_IN_FEATURES, 'reports', 'exports-v2');
  const plansArb = fc.dictionary(
    fc.constantFrom('free', 'team', 'pro'),
    fc
      .option(fc.uniqueArray(name, { maxLength: 4 }), { nil: undefined })
      .map((f) => (f === undefined ? {} : { features: f })),
    { minKeys: 1 },
  );
  it('no plan lists features: every plan has every feature; once one does, exactly its own', () => {
    fc.assert(
      fc.property(plansArb, name, (plans, feature) => {
        const declared = Object.values(plans).some((p) => 'features' in p);
        for (const [n, plan] of Object.entries(plans)) {
          const has = featuresOf(plan, plans).has(feature);
          const listed = (plan as { features?: string[] }).features ?? [];
          expect(has).toBe(!declared || listed.includes(feature));
          expect(plansWith(feature, plans).includes(n)).toBe(has);
        }
      }),
      { seed: 59, numRuns: 300 },
    );
  });
});
