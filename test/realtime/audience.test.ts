import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessRule, CrudOperation, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  audiencesOf,
  callerGroups,
  deliveriesOf,
  EPOCH_MS,
  epochOf,
  MAX_TOKEN_MINUTES,
  tokenMinutes,
} from '../../src/runtime/realtime/audience.js';
import { compileFilter } from '../../src/cli/dev/realtime/hub-filter.js';
import { settings } from '../runtime/support/entities.js';

/**
 * A reference, written apart from the runtime's rules: may this caller read this item (through GET or list)?
 * Tenant first (isolated entities), then the rules: `authenticated` — anyone; `role` — the role, and on shared data
 * of a multi-tenant backend the home directory unless `tenants: 'any'`; `owner` — the item's owner.
 */
function mayRead(
  entity: RuntimeEntity,
  multiTenant: boolean,
  caller: { id: string; tenant: string; roles: string[]; home: boolean },
  item: { tenant: string; owner: string | undefined },
): boolean {
  const shared = entity.tenancy === 'shared';
  if (!shared && caller.tenant !== item.tenant) return false;
  const reads = (r: AccessRule) =>
    (['read', 'list'] as CrudOperation[]).some(
      (op) =>
        entity.operations.includes(op) && (r.operations === undefined || r.operations.includes(op)),
    );
  return (entity.access ?? [{ allow: 'authenticated' }]).filter(reads).some((r) => {
    if (r.allow === 'authenticated') return true;
    if (r.allow === 'role')
      return (
        caller.roles.includes(r.role) &&
        (!shared || !multiTenant || caller.home || r.tenants === 'any')
      );
    return item.owner !== undefined && item.owner === caller.id;
  });
}

const ruleArb: fc.Arbitrary<AccessRule> = fc
  .oneof(
    fc.record({ allow: fc.constant('authenticated' as const) }),
    fc.record({ allow: fc.constant('owner' as const) }),
    fc.record(
      {
        allow: fc.constant('role' as const),
        role: fc.constantFrom('Admin', 'Reader'),
        tenants: fc.constantFrom('any' as const),
      },
      { requiredKeys: ['allow', 'role'] },
    ),
  )
  .chain((r) =>
    fc
      .option(
        fc.subarray(['create', 'read', 'update', 'delete', 'list'] as CrudOperation[], {
          minLength: 1,
        }),
        { nil: undefined },
      )
      .map((ops) => (ops === undefined ? r : { ...r, operations: ops })),
  );

const entityArb = fc
  .record({
    access: fc.array(ruleArb, { minLength: 1, maxLength: 3 }),
    shared: fc.boolean(),
    operations: fc.subarray(['create', 'read', 'update', 'delete', 'list'] as CrudOperation[], {
      minLength: 1,
    }),
  })
  .map(
    ({ access, shared, operations }): RuntimeEntity => ({
      componentId: 'ThingApi',
      entityName: 'Thing',
      route: 'things',
      partitionKey: '/id',
      schema: { id: { type: 'string', required: true } },
      operations,
      unknownFields: 'reject',
      access,
      ...(shared ? { tenancy: 'shared' as const } : {}),
      settings: settings('THING_API'),
      realtime: true,
    }),
  );

const callerArb = fc.record({
  id: fc.constantFrom('u1', 'u2', 'u3'),
  tenant: fc.constantFrom('t1', 't2', 't3'),
  roles: fc.subarray(['Admin', 'Reader']),
  home: fc.boolean(),
});
const itemArb = fc.record({
  tenant: fc.constantFrom('t1', 't2', 't3'),
  owner: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: undefined }),
});

describe('realtime audiences (pure)', () => {
  it('a connection receives an item’s event iff it may read the item, exactly once, with the owner field iff it may see it', () => {
    fc.assert(
      fc.property(
        entityArb,
        fc.boolean(),
        callerArb,
        itemArb,
        fc.integer({ min: 0, max: 1 }),
        (entity, multiTenant, caller, item, later) => {
          const hides = entity.tenancy === 'shared' && multiTenant;
          const epoch = 1000;
          const groups = new Set(
            callerGroups(
              entity,
              { id: caller.id, roles: caller.roles, ...(hides ? { home: caller.home } : {}) },
              caller.tenant,
              hides,
              epoch,
            ),
          );
          const lower = new Set([...groups].map((g) => g.toLowerCase()));
          // The write happens in the token's epoch or the next one (both are covered).
          const deliveries = deliveriesOf(
            entity,
            item.tenant,
            item.owner,
            audiencesOf(entity, hides),
            hides,
            epoch + later,
          );
          const received = deliveries.filter(
            (d) =>
              groups.has(d.group) &&
              (d.filter === undefined ||
                compileFilter(d.filter)({ userId: caller.id, connectionId: 'c', groups: lower })),
          );
          const may = mayRead(entity, multiTenant, caller, item);
          expect(received.length).toBe(may ? 1 : 0);
          if (may) {
            const seesOwner = !hides || (item.owner !== undefined && item.owner === caller.id);
            expect(received[0]!.withOwner).toBe(seesOwner);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a token’s groups stop receiving two epochs after it was minted, whatever the connection does', () => {
    const entity = {
      componentId: 'NoteApi',
      partitionKey: '/id',
      operations: ['read'],
      settings: settings('NOTE_API'),
    } as unknown as RuntimeEntity;
    const groups = new Set(callerGroups(entity, { id: 'u1', roles: [] }, 't1', false, 500));
    const at = (e: number) =>
      deliveriesOf(entity, 't1', 'u1', audiencesOf(entity, false), false, e).some((d) =>
        groups.has(d.group),
      );
    expect([at(499), at(500), at(501), at(502)]).toEqual([false, true, true, false]);
  });

  it("the readers' delivery leaves owners out with the filter as Learn writes it: not ('<group>' in groups)", () => {
    // Learn, "OData filter syntax in Azure Web PubSub service" (azure-web-pubsub/reference-odata-filter): every
    // example of the collection operator under `not` is written `not ('group1' in groups)`.
    const entity = {
      componentId: 'NoteApi',
      partitionKey: '/id',
      operations: ['read'],
      access: [{ allow: 'authenticated' }, { allow: 'owner', operations: ['read'] }],
      settings: settings('NOTE_API'),
    } as unknown as RuntimeEntity;
    const [readers] = deliveriesOf(entity, 't1', 'u1', { readers: true, owners: true }, true, 500);
    expect(readers?.filter).toMatch(/^not \('[^']+' in groups\)$/);
  });

  it('token lifetimes stay within 60 minutes and end before their groups do, with a margin for clocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (now) => {
        const minutes = tokenMinutes(now);
        expect(minutes).toBeGreaterThanOrEqual(28);
        expect(minutes).toBeLessThanOrEqual(MAX_TOKEN_MINUTES);
        const expires = now + minutes * 60_000;
        expect((epochOf(now) + 2) * EPOCH_MS - expires).toBeGreaterThanOrEqual(2 * 60_000);
      }),
    );
  });

  it('group names are one lower-case alphabet, name no tenant or user, and differ by component id case', () => {
    const entity = {
      componentId: 'NoteApi',
      partitionKey: '/id',
      operations: ['read'],
    } as unknown as RuntimeEntity;
    const upper = { ...entity, componentId: 'NOTEAPI' } as RuntimeEntity;
    const [g] = callerGroups(entity, { id: 'User@Contoso', roles: [] }, 'Tenant-X', false, 7);
    expect(g).toMatch(/^noteapi\.r\.[0-9a-f]{32}\.7$/);
    expect(g).not.toMatch(/contoso|tenant-x/i);
    expect(callerGroups(upper, { id: 'u', roles: [] }, 'Tenant-X', false, 7)[0]).not.toBe(g);
  });
});
