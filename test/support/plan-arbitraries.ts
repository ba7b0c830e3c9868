import fc from 'fast-check';
import type { ResourcePlan } from '../../src/model/plan.js';

/** Plan strings as renderers meet them: plain names, and names with markup, quotes, pipes and line breaks. */
export const planText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<script>alert(1)</script>',
      '"quoted"',
      "it's",
      'a|b',
      'a&amp;b',
      '</svg>',
      'x\ny',
      '<!--',
      ']]>',
    ),
  },
);

const usd = fc.integer({ min: 0, max: 500_000 }).map((cents) => cents / 100);

/**
 * A `ResourcePlan`-shaped value with random components, resources and Terraform resources (unique keys and
 * addresses; consumers drawn from the components' ids, plus now and then one that is no component), for
 * properties of the renderers: not a plan the planner would make, a plan any renderer must survive.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraryPlan(), (plan) => { renderPlanHtml(plan); }));
 * ```
 */
export function arbitraryPlan(
  options: { readonly maxComponents?: number; readonly maxResources?: number } = {},
): fc.Arbitrary<ResourcePlan> {
  const components = fc.uniqueArray(
    fc.record({
      key: planText,
      id: planText,
      type: fc.constantFrom('CrudApi', 'FunctionsApp', 'StaticSite', 'Custom<X>'),
    }),
    {
      minLength: 0,
      maxLength: options.maxComponents ?? 12,
      selector: (c) => c.key,
    },
  );
  const resources = fc.uniqueArray(
    fc.record({
      key: planText,
      type: fc.constantFrom('cosmos', 'functions', 'storage', 'monitoring', 'keyvault', 'custom'),
      name: planText,
      cost: usd,
      deploys: fc.uniqueArray(
        fc.record({
          terraformType: fc.constantFrom(
            'azurerm_cosmosdb_account',
            'azurerm_storage_account',
            'azurerm_role_assignment',
            'custom_thing',
          ),
          name: planText,
        }),
        {
          maxLength: 6,
          selector: (d) => `${d.terraformType}.${d.name}`,
        },
      ),
    }),
    { minLength: 0, maxLength: options.maxResources ?? 8, selector: (r) => r.key },
  );
  return fc
    .tuple(
      components,
      resources,
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.option(planText, { nil: undefined }),
      planText,
    )
    .map(([cs, rs, picks, stranger, backendId]) => {
      // Each resource gets consumers from the components (by id), the component a resource map entry for it.
      const consumers = rs.map(() => new Set<string>());
      const uses = cs.map(() => ({}) as Record<string, string>);
      picks.forEach((n, i) => {
        if (cs.length === 0 || rs.length === 0) return;
        const c = n % cs.length;
        const r = (n + i) % rs.length;
        consumers[r]!.add(cs[c]!.id);
        uses[c]![rs[r]!.type] = rs[r]!.key;
      });
      if (stranger !== undefined && rs.length > 0) consumers[0]!.add(stranger);
      const resources = rs.map((r, i) => ({
        key: r.key,
        type: r.type,
        name: r.name,
        compatibility: 'x',
        config: {},
        consumers: [...consumers[i]!].sort(),
        deploys: r.deploys,
        estimatedMonthlyUsd: r.cost,
      }));
      const shared =
        Math.round(resources.reduce((s, r) => s + r.estimatedMonthlyUsd, 0) * 100) / 100;
      return {
        version: 1,
        backendId,
        environment: 'prod',
        location: 'eastus',
        components: cs.map((c, i) => ({
          key: c.key,
          id: c.id,
          type: c.type,
          resources: uses[i]!,
          outputs: {},
        })),
        resources,
        issues: [],
        limitViolations: [],
        summary: {
          resources: resources.length,
          unsharedResources: resources.length,
          reduction: 0,
          estimatedMonthlyUsd: { shared, unshared: shared },
        },
        naming: { token: 'tgtxxx', atApply: true, derivedFrom: 'at apply' },
      } as ResourcePlan;
    });
}

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'timestamp', 'date'] as const;
const CRUD_OPS = ['create', 'read', 'update', 'delete', 'list'] as const;
const fieldName = fc
  .stringMatching(/^[a-z][A-Za-z0-9_]{0,10}$/)
  .filter((n) => !['id', 'tenantId', 'ttl', 'ownerId'].includes(n));
const operationSubset = fc.subarray([...CRUD_OPS], { minLength: 1 });

/**
 * A CrudApi's config as a user writes it: fields of every scalar type (some required, strings with a maxLength),
 * a partition key on `/id`, `/tenantId` or a field, operations, TTL, cache, tenancy, access rules and sorts.
 */
function arbitraryCrudConfig(index: number) {
  return fc
    .uniqueArray(
      fc.tuple(
        fieldName,
        fc.constantFrom(...FIELD_TYPES),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      ),
      {
        minLength: 1,
        maxLength: 5,
        selector: ([name]) => name,
      },
    )
    .chain((fields) => {
      const names = fields.map(([name]) => name);
      const schema = Object.fromEntries([
        ['id', 'string'],
        ...fields.map(([name, type, required, maxLength]) => [
          name,
          type === 'string' && maxLength !== undefined
            ? { type, required, maxLength }
            : required
              ? { type, required }
              : type,
        ]),
      ]);
      const stringFields = fields.filter(([, type]) => type === 'string').map(([name]) => name);
      return fc
        .record({
          partitionKey: fc.constantFrom('/id', '/tenantId', ...stringFields.map((n) => `/${n}`)),
          operations: fc.option(operationSubset, { nil: undefined }),
          ttl: fc.option(fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 86_400 })), {
            nil: undefined,
          }),
          cache: fc.option(
            fc.record({ enabled: fc.boolean(), ttl: fc.integer({ min: 0, max: 600 }) }),
            { nil: undefined },
          ),
          unknownFields: fc.option(fc.constantFrom('reject' as const, 'keep' as const), {
            nil: undefined,
          }),
          access: fc.option(
            fc.array(
              fc.oneof(
                fc.record({ allow: fc.constant('owner' as const) }),
                fc.record({
                  allow: fc.constant('authenticated' as const),
                  operations: operationSubset,
                }),
                fc.record({
                  allow: fc.constant('role' as const),
                  role: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,15}$/),
                }),
              ),
              { minLength: 1, maxLength: 3 },
            ),
            { nil: undefined },
          ),
          ownerField: fc.option(fc.constantFrom('createdBy', 'author_id'), { nil: undefined }),
          tenancy: fc.option(fc.constantFrom('isolated' as const, 'shared' as const), {
            nil: undefined,
          }),
          sortable: fc.option(fc.subarray(names, { minLength: 1 }), { nil: undefined }),
        })
        .map((c) => ({
          id: `Api${index}`,
          config: {
            entityName: `Thing${index}`,
            schema,
            partitionKey: c.partitionKey,
            ...(c.operations ? { operations: c.operations } : {}),
            ...(c.ttl !== undefined ? { ttl: c.ttl } : {}),
            ...(c.cache ? { cache: c.cache } : {}),
            ...(c.unknownFields ? { unknownFields: c.unknownFields } : {}),
            // Sharing is for entities not keyed by tenant; access rules need every operation they name enabled.
            ...(c.tenancy && !(c.tenancy === 'shared' && c.partitionKey === '/tenantId')
              ? { tenancy: c.tenancy }
              : {}),
            ...(c.access && !c.operations ? { access: c.access } : {}),
            ...(c.ownerField && c.ownerField !== c.partitionKey.slice(1)
              ? { ownerField: c.ownerField }
              : {}),
            ...(c.sortable ? { sortable: c.sortable } : {}),
          },
        }));
    });
}

/**
 * A backend's CrudApis (one to four, random configs) and whether it signs callers in, for properties of what the
 * planner and apply derive from real definitions (the runtime manifest, say): unlike {@link arbitraryPlan},
 * values the planner itself accepts.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraryCrudBackend(), ({ apis }) => { defineBackend(Object.fromEntries(apis.map((a) => [a.id, CrudApi.define(a.id, a.config)]))); }));
 * ```
 */
export function arbitraryCrudBackend() {
  return fc.record({
    apis: fc
      .integer({ min: 1, max: 4 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbitraryCrudConfig(i)))),
    auth: fc.boolean(),
  });
}
