/**
 * The review's access diff takes the plan's rows for each CrudApi the base shares with it unchanged
 * (src/access/matrix/rows-reuse.ts) instead of deriving them again: the answer is the full derivation's, for random
 * base/plan pairs — CrudApis added, removed and changed (rules, tenancy, partition key, operations, search,
 * realtime, relations and their targets), handlers whose roles add a column to every row, and other sign-ins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { servedAccessOf } from '../../src/access/matrix/backend-of.js';
import { compareAccessMatrices } from '../../src/access/matrix/compare.js';
import { deriveAccessMatrix, deriveRows } from '../../src/access/matrix/derive.js';
import { accessReview, REVIEW_SIGN_IN } from '../../src/access/matrix/review.js';
import { type MatrixSignIn, signInOf } from '../../src/access/matrix/sign-in.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import type { AccessRule, CrudOperation } from '../../src/model/runtime-manifest.js';

const IDS = ['A', 'B', 'C', 'D', 'E'];
const RULES: readonly (readonly AccessRule[] | undefined)[] = [
  undefined,
  [{ allow: 'authenticated' }],
  [{ allow: 'owner' }],
  [{ allow: 'role', role: 'Admin' }],
  [{ allow: 'role', role: 'Editor', tenants: 'any' }],
  [
    { allow: 'owner', operations: ['read'] },
    { allow: 'role', role: 'Admin' },
  ],
];
const OPERATIONS: readonly CrudOperation[] = ['create', 'read', 'update', 'delete', 'list'];

const entity = (id: string) =>
  fc.record(
    {
      componentId: fc.constant(id),
      entityName: fc.constant(`${id}Entity`),
      route: fc.constantFrom(`${id.toLowerCase()}s`, 'items'),
      partitionKey: fc.constantFrom('/id', '/tenantId', '/region'),
      schema: fc.constant({ id: { type: 'string', required: false } }),
      operations: fc.subarray([...OPERATIONS], { minLength: 1 }),
      unknownFields: fc.constant('reject'),
      settings: fc.constant({ endpoint: 'E', database: 'D', container: 'C' }),
      tenancy: fc.constantFrom('isolated', 'shared'),
      access: fc.constantFrom(...RULES),
      relations: fc.array(
        fc.record({
          name: fc.constantFrom('parent', 'children', 'file'),
          kind: fc.constantFrom('belongsTo', 'hasMany', 'file'),
          target: fc.constantFrom(...IDS, 'Files'),
          field: fc.constant('ref'),
        }),
        { maxLength: 2 },
      ),
      search: fc.constant({ text: { fields: ['id'], language: 'en' } }),
      realtime: fc.constant(true),
    },
    {
      requiredKeys: ['componentId', 'entityName', 'route', 'partitionKey', 'schema', 'operations'],
    },
  );

/** One CrudApi per id at most (some absent), a FileStore maybe, and maybe a handler whose role adds a column. */
const served = fc.record({
  crud: fc
    .tuple(...IDS.map((id) => fc.option(entity(id), { nil: undefined })))
    .map((xs) => xs.filter((x) => x !== undefined)),
  files: fc.option(fc.constantFrom(...RULES), { nil: null }),
  handlerRole: fc.option(fc.constantFrom('Ops', 'Admin'), { nil: undefined }),
});
type Served = typeof served extends fc.Arbitrary<infer T> ? T : never;

function planOf(s: Served): ResourcePlan {
  const fileStores =
    s.files === null
      ? []
      : [
          {
            componentId: 'Files',
            route: 'files',
            partitionKey: '/id',
            ...(s.files ? { access: s.files } : {}),
          },
        ];
  const hostedFunctions = s.handlerRole
    ? [
        {
          name: 'ops',
          componentId: 'Ops',
          trigger: 'http',
          access: [{ allow: 'role', role: s.handlerRole }],
        },
      ]
    : [];
  // A structured clone: nothing shared by reference between two plans, as between a saved base and a new plan.
  return structuredClone({
    version: 1,
    backendId: 'b',
    environment: 'dev',
    location: 'eastus',
    components: [],
    resources: [
      {
        key: 'functions:shared',
        type: 'functions',
        name: 'f',
        consumers: [],
        deploys: [],
        config: { crudEntities: s.crud, fileStores, hostedFunctions },
      },
    ],
  }) as unknown as ResourcePlan;
}

/** A base and a plan: the plan is the base with each CrudApi kept, changed, dropped, and some added. */
const pair = served.chain((base) =>
  fc
    .record({
      keep: fc.array(fc.constantFrom('same', 'same', 'changed', 'dropped'), {
        minLength: IDS.length,
        maxLength: IDS.length,
      }),
      other: served,
      files: fc.boolean(),
      handler: fc.boolean(),
    })
    .map(({ keep, other, files, handler }) => {
      const byId = new Map(other.crud.map((e) => [e.componentId, e]));
      const crud = IDS.flatMap((id, i) => {
        const mine = base.crud.find((e) => e.componentId === id);
        const choice = keep[i];
        if (!mine) return byId.has(id) && choice !== 'dropped' ? [byId.get(id)!] : [];
        if (choice === 'dropped') return [];
        if (choice === 'changed' && byId.has(id)) return [byId.get(id)!];
        return [mine];
      });
      return {
        base: planOf(base),
        plan: planOf({
          crud,
          files: files ? other.files : base.files,
          handlerRole: handler ? other.handlerRole : base.handlerRole,
        }),
      };
    }),
);

const SIGN_INS: readonly MatrixSignIn[] = [
  REVIEW_SIGN_IN,
  signInOf({ required: false, tenantClaim: 'tid', trustTenantHeader: false }, 'home'),
  signInOf(
    { required: true, tenantClaim: 'tid', trustTenantHeader: false, allowedTenants: 'any' },
    'home',
  ),
];

describe('the base rows taken from the plan (rows-reuse.ts)', () => {
  it('are the rows the base derives on its own, for any sign-in of either', () => {
    fc.assert(
      fc.property(
        pair,
        fc.constantFrom(...SIGN_INS),
        fc.constantFrom(...SIGN_INS),
        ({ base, plan }, si, sj) => {
          const like = deriveRows(plan, servedAccessOf(plan, si), si).rows;
          const reused = deriveRows(base, servedAccessOf(base, sj), sj, { like }).matrix;
          expect(reused).toEqual(deriveAccessMatrix(base, sj));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('leave the review what the full derivation of both plans says', () => {
    fc.assert(
      fc.property(pair, ({ base, plan }) => {
        const matrix = deriveAccessMatrix(plan, REVIEW_SIGN_IN);
        const changes = compareAccessMatrices(deriveAccessMatrix(base, REVIEW_SIGN_IN), matrix);
        expect(accessReview(plan, base)).toEqual({
          matrix,
          changes,
          widened: changes.filter((c) => c.widened).length,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('are taken for the CrudApis a base shares with the plan unchanged, and only those', () => {
    const base = planOf({
      crud: [
        { componentId: 'A', route: 'as', partitionKey: '/id', operations: ['read'] },
        { componentId: 'B', route: 'bs', partitionKey: '/id', operations: ['read'] },
      ] as never,
      files: null,
      handlerRole: undefined,
    });
    const plan = planOf({
      crud: [
        { componentId: 'A', route: 'as', partitionKey: '/id', operations: ['read'] },
        { componentId: 'B', route: 'bs', partitionKey: '/id', operations: ['read', 'list'] },
      ] as never,
      files: null,
      handlerRole: undefined,
    });
    const like = deriveRows(plan, servedAccessOf(plan, REVIEW_SIGN_IN), REVIEW_SIGN_IN).rows;
    const rows = deriveRows(base, servedAccessOf(base, REVIEW_SIGN_IN), REVIEW_SIGN_IN, { like })
      .matrix.rows;
    const taken = (component: string) =>
      rows.filter((r) => r.component === component).every((r) => like.rows.includes(r));
    expect([taken('A'), taken('B')]).toEqual([true, false]);
  });
});
