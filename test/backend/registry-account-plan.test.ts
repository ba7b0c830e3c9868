/**
 * The tenant registry's home (docs/tenants.md): the planner adds its containers (tenants, usage, members, audit) to
 * the default Cosmos DB account the backend creates, granting that account's components, and the runtime reads
 * them through the first CrudApi's client (runtime/cosmos-resolver.ts). A CrudApi whose account is another — an
 * existing account (`cosmosConfig.useExisting`: the registry planned nowhere, no role on it), or an account of its own
 * (`consistency`, `throughput`: the runtime may read the registry where it is not) — was planned without a word and
 * deployed a backend refusing every request. Now the plan errors TENANTS_REGISTRY_EXISTING_ACCOUNT and
 * TENANTS_REGISTRY_OTHER_ACCOUNT; where neither is said, the registry's containers are in the one account every
 * CrudApi uses, each CrudApi granted read and write on them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { type Registry, registries } from './support/registry-configs.js';

/** What a CrudApi says about its account: nothing (the default one), or what gives it an account of its own. */
const accounts = {
  default: {},
  strong: { consistency: 'Strong' },
  provisioned: { throughput: 400 },
} as const;
type Account = keyof typeof accounts;
const existing = {
  cosmosConfig: {
    useExisting: true,
    accountName: 'cosmos-shop-prod-abc123',
    resourceGroupName: 'rg-shop',
  },
} as const;

const REGISTRY_CODES = ['TENANTS_REGISTRY_EXISTING_ACCOUNT', 'TENANTS_REGISTRY_OTHER_ACCOUNT'];

function plan(apis: readonly Account[], registry: Registry, useExisting: boolean): ResourcePlan {
  const components = Object.fromEntries(
    apis.map((a, i) => [
      `api${i}`,
      CrudApi.define(`Item${i}Api`, {
        entityName: `Item${i}`,
        schema: { id: 'string' },
        ...accounts[a],
      }),
    ]),
  );
  return defineBackend(components, {
    ...(registries[registry] as BackendConfig),
    ...(useExisting ? existing : {}),
  } as BackendConfig).plan();
}

const refusals = (p: ResourcePlan) =>
  p.issues
    .filter((i) => REGISTRY_CODES.includes(i.code))
    .map((i) => ({ severity: i.severity, code: i.code, path: i.path, components: i.components }));

/** Each CrudApi → the Cosmos DB resources it consumes, and those holding the registry's `tenants` container. */
function homes(p: ResourcePlan) {
  const cosmos = p.resources.filter((r) => r.type === 'cosmos');
  type Db = { name: string; containers: { name: string; access: Record<string, string> }[] };
  const registry = cosmos.filter((r) =>
    (r.config['databases'] as unknown as Db[]).some(
      (d) => d.name === 'atakora' && d.containers.some((c) => c.name === 'tenants'),
    ),
  );
  const grantees = registry.flatMap((r) =>
    (r.config['databases'] as unknown as Db[])
      .filter((d) => d.name === 'atakora')
      .flatMap((d) => d.containers.flatMap((c) => Object.keys(c.access))),
  );
  return { cosmos, registry, grantees };
}

describe("the tenant registry's account", () => {
  it('is the default account the backend creates: every CrudApi there, each granted the registry', () => {
    const p = plan(['default', 'default'], 'membership', false);
    expect(refusals(p)).toEqual([]);
    const { registry, grantees } = homes(p);
    expect(registry.map((r) => r.key)).toEqual(['cosmos:shared']);
    expect(new Set(grantees)).toEqual(new Set(['Item0Api', 'Item1Api']));
    // tenants, usage, members, audit: four containers, each granted to both.
    expect(grantees).toHaveLength(8);
  });

  it('refuses an existing account (useExisting): no registry container planned there, no role on it', () => {
    const p = plan(['default'], 'membership', true);
    expect(homes(p).registry).toEqual([]);
    expect(refusals(p)).toEqual([
      {
        severity: 'error',
        code: 'TENANTS_REGISTRY_EXISTING_ACCOUNT',
        path: ['config', 'cosmosConfig', 'useExisting'],
        components: ['Item0Api'],
      },
    ]);
  });

  it('refuses a CrudApi alone in an account of its own (consistency): the registry planned nowhere', () => {
    const p = plan(['strong'], 'directories', false);
    expect(homes(p).registry).toEqual([]);
    expect(refusals(p)).toEqual([
      {
        severity: 'error',
        code: 'TENANTS_REGISTRY_OTHER_ACCOUNT',
        path: ['api0'],
        components: ['Item0Api'],
      },
    ]);
  });

  it("refuses a CrudApi beside the default account's (throughput): the runtime may read the registry there", () => {
    const p = plan(['provisioned', 'default'], 'membership', false);
    // The registry is in the default account, granted to Item1Api only; the app's first entity may be Item0Api.
    expect(homes(p).registry.map((r) => r.key)).toEqual(['cosmos:shared']);
    expect(homes(p).grantees).not.toContain('Item0Api');
    expect(refusals(p)).toEqual([
      {
        severity: 'error',
        code: 'TENANTS_REGISTRY_OTHER_ACCOUNT',
        path: ['api0'],
        components: ['Item0Api'],
      },
    ]);
  });

  it('is refused exactly when the registry is not where every CrudApi reads it, and never without a registry (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Account>('default', 'strong', 'provisioned'), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constantFrom<Registry>('none', 'membership', 'directories'),
        fc.boolean(),
        (apis, registry, useExisting) => {
          const p = plan(apis, registry, useExisting);
          const said = refusals(p).map((r) => `${r.code} ${r.components?.join(',')}`);
          const on = (kind: (a: Account) => boolean) =>
            apis.flatMap((a, i) => (kind(a) ? [`Item${i}Api`] : []));
          const onDefault = on((a) => a === 'default');
          // One error for the existing account naming its CrudApis, one per CrudApi in an account of its own.
          const expected =
            registry === 'none'
              ? []
              : [
                  ...(useExisting && onDefault.length > 0
                    ? [`TENANTS_REGISTRY_EXISTING_ACCOUNT ${onDefault.join(',')}`]
                    : []),
                  ...on((a) => a !== 'default').map((id) => `TENANTS_REGISTRY_OTHER_ACCOUNT ${id}`),
                ];
          expect([...said].sort()).toEqual([...expected].sort());
          // Not refused with a registry: one account holds it, every CrudApi consumes it and is granted on it.
          if (registry !== 'none' && expected.length === 0) {
            const { registry: home, grantees } = homes(p);
            expect(home).toHaveLength(1);
            const ids = apis.map((_, i) => `Item${i}Api`);
            for (const id of ids) {
              expect(home[0]?.consumers).toContain(id);
              expect(grantees).toContain(id);
            }
            const cosmosOf = (id: string) =>
              homes(p)
                .cosmos.filter((r) => r.consumers.includes(id))
                .map((r) => r.key);
            for (const id of ids) expect(cosmosOf(id)).toEqual([home[0]?.key]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("TENANTS_REGISTRY_OTHER_ACCOUNT's resolution", () => {
  const resolution = (a: Account) =>
    plan([a], 'membership', false).issues.find((i) => i.code === 'TENANTS_REGISTRY_OTHER_ACCOUNT')
      ?.resolution;
  it("says what differs from the backend's account: the consistency, or the throughput", () => {
    expect(resolution('strong')).toContain("drop Item0Api's consistency");
    expect(resolution('strong')).not.toContain('throughput');
    expect(resolution('provisioned')).toContain("drop Item0Api's throughput");
    expect(resolution('provisioned')).not.toContain('consistency');
  });
});

describe('CrudApis with disjoint allowedIpRanges (an account each)', () => {
  it('refuses the one outside the default account, saying so', () => {
    const api = (n: number, range: string) =>
      CrudApi.define(`Item${n}Api`, {
        entityName: `Item${n}`,
        schema: { id: 'string' },
        allowedIpRanges: [range],
      });
    const p = defineBackend(
      { api0: api(0, '203.0.113.0/24'), api1: api(1, '198.51.100.0/24') },
      registries.membership as BackendConfig,
    ).plan();
    const said = p.issues.filter((i) => REGISTRY_CODES.includes(i.code));
    expect(said.map((i) => i.code)).toEqual(['TENANTS_REGISTRY_OTHER_ACCOUNT']);
    expect(said[0]?.resolution).toContain('allowedIpRanges that overlap');
    // The one refused is the one whose account is not the registry's.
    const home = homes(p).registry[0];
    expect(home?.consumers).not.toContain(said[0]?.components?.[0]);
  });
});
