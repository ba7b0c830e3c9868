import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// Work a backend does not declare is not done: the `tenants` config schema — its plans, billing,
// Marketplace and e-mail schemas, ~35 ms of CPU on every cold start — is built only for a config that declares
// `tenants`. Counted, not timed: every Zod strict object made is recorded by the keys of its shape.
const made = vi.hoisted(() => [] as string[][]);
vi.mock('zod', async (importOriginal) => {
  const zod = await importOriginal<typeof import('zod')>();
  const strictObject = ((shape: object, params?: unknown) => {
    made.push(Object.keys(shape));
    return (zod.z.strictObject as (s: object, p?: unknown) => unknown)(shape, params);
  }) as typeof zod.z.strictObject;
  return { ...zod, z: { ...zod.z, strictObject } };
});

/** Whether a strict object with these keys among its own was made: each key names one of the schemas. */
const builtWith = (key: string) => made.some((keys) => keys.includes(key));
// tenants.defaultPlan, tenants.billing.onCanceled, tenants.billing.marketplace.publisherTenantId,
// tenants.email.invitationsPerDay, a plan's monthlyFeeUsd.
const TENANT_SCHEMA_KEYS = [
  'defaultPlan',
  'onCanceled',
  'publisherTenantId',
  'invitationsPerDay',
  'monthlyFeeUsd',
];

// This file's own copies of the modules, made with the counting Zod: a worker may have loaded them for an earlier file.
vi.resetModules();
const { normalizeConfig } = await import('../../src/backend/normalize-config.js');
const { defineBackend } = await import('../../src/backend/define-backend.js');
const { CrudApi } = await import('../../src/components/crud/index.js');
const { backendConfigSchema, configSchemaFor } = await import('../../src/backend/config-schema.js');

describe('the tenants config schema is built only for a backend that declares tenants', () => {
  it('loading the package, defining and planning a backend without tenants builds none of it', () => {
    expect(made.length).toBeGreaterThan(0); // the config schema itself was made, counted
    const backend = defineBackend(
      { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) },
      { backendId: 'shop', environment: 'dev', location: 'eastus' },
    );
    expect(backend.plan().issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(normalizeConfig({ monitoring: true }).monitoring.enabled).toBe(true);
    for (const key of TENANT_SCHEMA_KEYS) expect(builtWith(key), key).toBe(false);
  });

  it('a config with tenants builds it once, and is checked by it', () => {
    const registry = {
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
      tenants: { plans: { free: { requestsPerMinute: 60 } }, defaultPlan: 'free' },
    } as const;
    expect(normalizeConfig(registry).tenants?.defaultPlan).toBe('free');
    for (const key of TENANT_SCHEMA_KEYS) expect(builtWith(key), key).toBe(true);
    const count = made.length;
    normalizeConfig(registry);
    expect(made.length).toBe(count);
    expect(() =>
      normalizeConfig({ ...registry, tenants: { ...registry.tenants, plans: { free: { x: 1 } } } }),
    ).toThrow(/x/);
  });
});

// Any config value at the top level, tenants absent: the schema without the key gives what the full one gives.
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -5, max: 5000 }),
  fc.constantFrom('dev', 'prod', 'Bad Name', 'eastus', 'isolated', 'public', ''),
  fc.dictionary(
    fc.constantFrom('enabled', 'mode', 'retentionDays', 'sku', 'x'),
    fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 800 }), fc.constantFrom('a', 'private')),
  ),
);
const configKey = fc.constantFrom(
  'backendId',
  'environment',
  'location',
  'monitoring',
  'networking',
  'enforceHttps',
  'backup',
  'mcp',
  'realtime',
  'unknownKey',
);

describe('a config without tenants parses as it did with the full schema', () => {
  it('the same success, data and issues as backendConfigSchema, on random configs (300 runs)', () => {
    fc.assert(
      fc.property(fc.dictionary(configKey, anyValue), (input) => {
        const full = backendConfigSchema.safeParse(input);
        const used = configSchemaFor(input).safeParse(input);
        expect(used.success).toBe(full.success);
        expect(used.data).toEqual(full.data);
        expect(used.error?.issues).toEqual(full.error?.issues);
      }),
      { numRuns: 300 },
    );
  });

  it('a tenants key, even undefined, takes the full schema', () => {
    expect(configSchemaFor({ tenants: undefined })).toBe(backendConfigSchema);
    expect(configSchemaFor({})).not.toBe(backendConfigSchema);
  });
});
