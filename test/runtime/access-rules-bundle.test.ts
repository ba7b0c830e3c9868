import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRule, CrudOperation, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  expectedStatus,
  OPS,
  referenceDecision,
  rule,
  type TablePrincipal,
} from './support/access-reference.js';
import {
  type Answer,
  appSettings,
  type BuiltApp,
  buildApp,
  type Invocation,
  principalHeader,
} from './support/built-app.js';
import { collectionCall as coll, itemCall as item, json } from './support/invocations.js';
import { noteEntity } from './support/entities.js';
import { type IdentityEndpoint, startIdentityEndpoint } from './support/identity-endpoint.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';

// The decision table (rule set × principal × operation × item owner → allowed / denied) checked against
// the built Function App in the worker stand-in over a local Cosmos DB. The rule sets are a fixed table plus
// ones fast-check generates (seeded); the expected answers come from an independent reference decision
// (support/access-reference.ts), never from the runtime's own code.

const FIXED: readonly (readonly AccessRule[])[] = [
  [{ allow: 'authenticated' }],
  [{ allow: 'owner' }],
  [{ allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' }],
  [
    { allow: 'owner' },
    { allow: 'role', role: 'NoteAdmin' },
    { allow: 'authenticated', operations: ['read', 'list'] },
  ],
  [{ allow: 'authenticated', operations: ['read', 'list'] }],
  [
    { allow: 'owner', operations: ['create', 'read', 'list'] },
    { allow: 'role', role: 'NoteAdmin', operations: ['delete'] },
  ],
];
const GENERATED = fc.sample(fc.array(rule, { minLength: 1, maxLength: 3 }), {
  numRuns: 8,
  seed: 33,
});
const RULE_SETS = [...FIXED, ...GENERATED];

const P: readonly TablePrincipal[] = [
  { name: 'alice', tid: 't1', oid: 'oid-alice', roles: [] },
  { name: 'bob', tid: 't1', oid: 'oid-bob', roles: [] },
  { name: 'admin', tid: 't1', oid: 'oid-admin', roles: ['NoteAdmin'] },
  { name: 'other', tid: 't1', oid: 'oid-other', roles: ['Other', 'Auditor'] },
  { name: 'eve', tid: 't2', oid: 'oid-eve', roles: ['NoteAdmin'] },
];
const OWNERS = ['oid-alice', 'oid-bob'];
const headerOf = (p: TablePrincipal) =>
  principalHeader([['tid', p.tid], ['oid', p.oid], ...p.roles.map((r) => ['roles', r] as const)]);

const entityOf = (rules: readonly AccessRule[], i: number): RuntimeEntity => ({
  ...noteEntity,
  componentId: `Acc${i}`,
  route: `acc${i}`,
  access: rules,
  settings: {
    endpoint: `ACC${i}_COSMOS_ENDPOINT`,
    database: `ACC${i}_COSMOS_DATABASE`,
    container: `ACC${i}_COSMOS_CONTAINER`,
  },
});
const entities = RULE_SETS.map(entityOf);

let app: BuiltApp;
let cosmos: LocalCosmos;
let identity: IdentityEndpoint;
const containers: Record<string, Container> = {};

function env(
  extra: RuntimeEntity[] = [],
  allowedTenants?: readonly string[] | 'any',
): Record<string, string> {
  return appSettings([...entities, ...extra], {
    cosmosEndpoint: cosmos.endpoint,
    identityEndpoint: identity.tokenUrl,
    identityHeader: identity.header,
    db: 'access',
    containerOf: (e) => e.route,
    auth: {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      ...(allowedTenants ? { allowedTenants } : {}),
    },
  });
}
const parsed = (a: Answer) => (a.body ? JSON.parse(a.body) : undefined);
const targetId = (p: TablePrincipal, op: CrudOperation, owner: string) =>
  `${p.name}-${op}-${owner}`;

beforeAll(async () => {
  const building = buildApp('atakora-access-', { warm: true });
  cosmos = await startLocalCosmos();
  identity = await startIdentityEndpoint();
  for (const e of entities)
    containers[e.route] = await cosmos.container(e.route, e.partitionKey, 'access');
  for (const e of entities)
    await seedItems(
      containers[e.route]!,
      P.flatMap((p) =>
        (['read', 'update', 'delete'] as const).flatMap((op) =>
          OWNERS.map((owner) => ({
            id: targetId(p, op, owner),
            tenantId: 't1',
            ownerId: owner,
            title: 'seeded',
          })),
        ),
      ),
    );
  app = await building;
});
afterAll(async () => {
  await identity?.stop();
  await cosmos?.stop();
  await app?.remove();
});

describe('the decision table against the built app', () => {
  it(`${RULE_SETS.length} rule sets × ${P.length} principals × 5 operations × 2 item owners answer as the reference decides; denied writes change nothing`, async () => {
    type Case = {
      e: RuntimeEntity;
      rules: readonly AccessRule[];
      p: TablePrincipal;
      op: CrudOperation;
      owner?: string;
      request: Invocation;
    };
    const cases: Case[] = [];
    RULE_SETS.forEach((rules, i) => {
      const e = entities[i]!;
      // Lists first, while the container holds only the seeded items; then reads, creates, updates, deletes.
      for (const p of P)
        cases.push({
          e,
          rules,
          p,
          op: 'list',
          request: coll(e, 'GET', headerOf(p), undefined, '?limit=1000'),
        });
      for (const p of P)
        for (const owner of OWNERS)
          cases.push({
            e,
            rules,
            p,
            op: 'read',
            owner,
            request: item(e, 'GET', targetId(p, 'read', owner), headerOf(p)),
          });
      for (const p of P)
        cases.push({
          e,
          rules,
          p,
          op: 'create',
          request: coll(e, 'POST', json(headerOf(p)), { title: `new-${p.name}` }),
        });
      for (const p of P)
        for (const owner of OWNERS)
          cases.push({
            e,
            rules,
            p,
            op: 'update',
            owner,
            request: item(e, 'PATCH', targetId(p, 'update', owner), json(headerOf(p)), {
              title: 'changed',
            }),
          });
      for (const p of P)
        for (const owner of OWNERS)
          cases.push({
            e,
            rules,
            p,
            op: 'delete',
            owner,
            request: item(e, 'DELETE', targetId(p, 'delete', owner), headerOf(p)),
          });
    });
    const answers = await app.invoke(
      env(EXTRA),
      cases.map((c) => c.request),
    );
    const seededPerEntity = P.length * 3 * OWNERS.length;
    const wrong: string[] = [];
    cases.forEach((c, n) => {
      const a = answers[n]!;
      const decision = referenceDecision(c.rules, c.op, { roles: c.p.roles, hasId: true });
      const reads = referenceDecision(c.rules, 'read', { roles: c.p.roles, hasId: true });
      const want = expectedStatus(
        decision,
        c.op,
        c.p,
        c.owner ? { tid: 't1', owner: c.owner } : undefined,
        reads,
      );
      const label = `${JSON.stringify(c.rules)} ${c.p.name} ${c.op}${c.owner ? ` item of ${c.owner}` : ''}`;
      if (a.status !== want) wrong.push(`${label}: ${a.status}, expected ${want}`);
      if (a.status === 403) {
        const body = parsed(a);
        if (
          body.type !== 'urn:atakora:problem:access-denied' ||
          !a.headers['Content-Type']?.startsWith('application/problem+json')
        )
          wrong.push(`${label}: 403 is not an access-denied problem`);
      }
      if (c.op === 'list' && a.status === 200) {
        const items = parsed(a).items as { tenantId: string; ownerId: string }[];
        const wantCount =
          c.p.tid !== 't1'
            ? 0
            : decision === 'own'
              ? (seededPerEntity / OWNERS.length) * (OWNERS.includes(c.p.oid) ? 1 : 0)
              : seededPerEntity;
        if (
          items.length !== wantCount ||
          items.some((x) => x.tenantId !== c.p.tid || (decision === 'own' && x.ownerId !== c.p.oid))
        ) {
          wrong.push(`${label}: listed ${items.length} items, expected ${wantCount}`);
        }
      }
      if (c.op === 'create' && a.status === 201) {
        const body = parsed(a);
        if (body.ownerId !== c.p.oid || body.tenantId !== c.p.tid)
          wrong.push(`${label}: created with owner ${body.ownerId} / tenant ${body.tenantId}`);
      }
    });
    expect(wrong).toEqual([]);
    // What is stored agrees: exactly the allowed creates, updates and deletes happened.
    for (const [i, rules] of RULE_SETS.entries()) {
      const stored = await allItems(containers[entities[i]!.route]!);
      const byId = new Map(stored.map((s) => [s.id as string, s]));
      for (const p of P) {
        const d = (op: CrudOperation) =>
          referenceDecision(rules, op, { roles: p.roles, hasId: true });
        const created = stored.filter((s) => s.title === `new-${p.name}`);
        expect(created.length, `${JSON.stringify(rules)} ${p.name} create`).toBe(
          d('create') === 'denied' ? 0 : 1,
        );
        for (const owner of OWNERS) {
          const target = { tid: 't1', owner };
          expect(
            byId.get(targetId(p, 'update', owner))?.title,
            `${JSON.stringify(rules)} ${p.name} update of ${owner}`,
          ).toBe(
            expectedStatus(d('update'), 'update', p, target, d('read')) === 200
              ? 'changed'
              : 'seeded',
          );
          expect(
            byId.has(targetId(p, 'delete', owner)),
            `${JSON.stringify(rules)} ${p.name} delete of ${owner}`,
          ).toBe(expectedStatus(d('delete'), 'delete', p, target, d('read')) !== 204);
          // The owner never changes, whoever wrote.
          expect(byId.get(targetId(p, 'update', owner))?.ownerId).toBe(owner);
        }
      }
    }
  });

  it('every rule set was exercised on every operation (the table is not vacuous)', () => {
    const decisions = new Set(
      RULE_SETS.flatMap((rules) =>
        P.flatMap((p) =>
          OPS.map((op) => referenceDecision(rules, op, { roles: p.roles, hasId: true })),
        ),
      ),
    );
    expect([...decisions].sort()).toEqual(['all', 'denied', 'own']);
  });
});

/** Notes partitioned by /id (the owner is checked on a read of the item) with a read cache, owner + NoteAdmin. */
const ownedById: RuntimeEntity = {
  ...noteEntity,
  componentId: 'OwnedApi',
  route: 'owned',
  partitionKey: '/id',
  cache: { enabled: true, ttlSeconds: 60 },
  access: [{ allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' }],
  ownerField: 'authorId',
  settings: {
    endpoint: 'OWNED_COSMOS_ENDPOINT',
    database: 'OWNED_COSMOS_DATABASE',
    container: 'OWNED_COSMOS_CONTAINER',
  },
};
/** A shared entity: tenantId is reserved there too. */
const shared: RuntimeEntity = {
  ...noteEntity,
  componentId: 'SharedApi',
  route: 'shared-notes',
  partitionKey: '/id',
  tenancy: 'shared',
  settings: {
    endpoint: 'SHARED_COSMOS_ENDPOINT',
    database: 'SHARED_COSMOS_DATABASE',
    container: 'SHARED_COSMOS_CONTAINER',
  },
};
/** Read-only API whose rule names more operations than the API enables: never widened (405). */
const readOnly: RuntimeEntity = {
  ...noteEntity,
  componentId: 'ReadOnlyApi',
  route: 'read-only',
  operations: ['read', 'list'],
  access: [{ allow: 'authenticated', operations: ['read', 'list', 'create', 'delete'] }],
  settings: {
    endpoint: 'RO_COSMOS_ENDPOINT',
    database: 'RO_COSMOS_DATABASE',
    container: 'RO_COSMOS_CONTAINER',
  },
};

/**
 * The entities of the tests below, served by the table's app too: one app settings for the three tests (the
 * routes are distinct, a manifest's other entities change nothing of an entity's answers), so one warm worker.
 */
const EXTRA = [ownedById, shared, readOnly];

describe('owner and tenant cannot be forged', () => {
  const [alice, bob, admin] = [P[0]!, P[1]!, P[2]!];
  const A = headerOf(alice);
  const B = headerOf(bob);
  const ADMIN = headerOf(admin);

  it('two users of one tenant: owner-only items are invisible to the other (404, cache included); ownerId in a body is refused; an admin edit keeps the owner', async () => {
    const c = await cosmos.container('owned', '/id', 'access');
    const answers = await app.invoke(env(EXTRA), [
      coll(ownedById, 'POST', json(A), { id: 'n1', title: 'mine' }), // 0 201, authorId = alice
      item(ownedById, 'GET', 'n1', A), // 1 200 (and cached)
      item(ownedById, 'GET', 'n1', B), // 2 404: bob, although cached
      coll(ownedById, 'GET', B), // 3 200 []
      item(ownedById, 'PUT', 'n1', json(B), { title: 'bob was here' }), // 4 404
      item(ownedById, 'PATCH', 'n1', json(B), { title: 'bob was here' }), // 5 404
      item(ownedById, 'DELETE', 'n1', B), // 6 404
      coll(ownedById, 'POST', json(B), { id: 'n2', title: 'forged', authorId: alice.oid }), // 7 403 owner-mismatch
      item(ownedById, 'PATCH', 'n1', json(A), { authorId: bob.oid }), // 8 403: the owner cannot give it away
      item(ownedById, 'PUT', 'n1', json(A), {
        id: 'n1',
        title: 'round trip',
        tenantId: 't1',
        authorId: alice.oid,
      }), // 9 200: repeating the owner is fine
      item(ownedById, 'PUT', 'n1', json(ADMIN), { title: 'moderated' }), // 10 200: the role, owner kept
      item(ownedById, 'PUT', 'n1', json(ADMIN), { title: 'stolen', authorId: admin.oid }), // 11 403
      coll(ownedById, 'GET', ADMIN), // 12 200 [n1]
      coll(ownedById, 'POST', json(A), { id: 'n3', title: 'x', tenantId: 't2' }), // 13 403 tenant-mismatch
    ]);
    expect(answers.map((a) => a.status)).toEqual([
      201, 200, 404, 200, 404, 404, 404, 403, 403, 200, 200, 403, 200, 403,
    ]);
    const bodies = answers.map(parsed);
    expect(bodies[0]).toMatchObject({ id: 'n1', authorId: alice.oid, tenantId: 't1' });
    expect(bodies[3].items).toEqual([]);
    expect(bodies[7].type).toBe('urn:atakora:problem:owner-mismatch');
    expect(bodies[8].type).toBe('urn:atakora:problem:owner-mismatch');
    expect(bodies[10]).toMatchObject({ title: 'moderated', authorId: alice.oid });
    expect(bodies[12].items.map((x: { id: string }) => x.id)).toEqual(['n1']);
    expect(bodies[13].type).toBe('urn:atakora:problem:tenant-mismatch');
    const stored = await allItems(c);
    expect(stored.map((s) => [s.id, s.title, s.authorId])).toEqual([
      ['n1', 'moderated', alice.oid],
    ]);
  });

  it('a shared entity refuses a client-sent tenantId (and ownerId); a rule never widens beyond the operations (405)', async () => {
    const c = await cosmos.container('shared-notes', '/id', 'access');
    const answers = await app.invoke(env(EXTRA), [
      coll(shared, 'POST', json(A), { id: 's1', title: 'planted', tenantId: 'victim' }),
      coll(shared, 'POST', json(A), { id: 's2', title: 'planted', ownerId: 'someone' }),
      coll(shared, 'POST', json(A), { id: 's3', title: 'fine' }),
      item(shared, 'PATCH', 's3', json(B), { tenantId: 'victim' }),
      item(shared, 'PUT', 's3', json(B), { title: 'x', tenantId: 'victim' }),
      coll(readOnly, 'POST', json(A), { title: 'x' }),
      item(readOnly, 'DELETE', 'x', A),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 201, 403, 403, 405, 405]);
    expect(parsed(answers[0]!).type).toBe('urn:atakora:problem:tenant-mismatch');
    expect(parsed(answers[2]!)).toMatchObject({ id: 's3', ownerId: alice.oid });
    const stored = await allItems(c);
    expect(stored.map((s) => [s.id, s.tenantId])).toEqual([['s3', undefined]]);
  });

  it('allowedTenants admits the listed directories only: another tenant gets 403 tenant-not-allowed naming the fix, never data', async () => {
    const eve = headerOf(P[4]!);
    const e = entities[0]!;
    const listed = await app.invoke(env([], ['T1']), [
      coll(e, 'GET', eve),
      item(e, 'GET', targetId(alice, 'read', alice.oid), eve),
      coll(e, 'POST', json(eve), { title: 'x' }),
      coll(e, 'GET', A, undefined, '?limit=1'),
    ]);
    expect(listed.map((a) => a.status)).toEqual([403, 403, 403, 200]);
    const body = parsed(listed[0]!);
    expect(body.type).toBe('urn:atakora:problem:tenant-not-allowed');
    expect(body.detail).toContain('auth.allowedTenants');
    expect(body.detail).toContain('t2');
    const any = await app.invoke(env([], 'any'), [coll(e, 'GET', eve)]);
    expect(any.map((a) => a.status)).toEqual([200]);
    // A malformed allow-list admits nobody rather than everybody.
    const broken = await app.invoke(env([], [] as string[]), [coll(e, 'GET', A)]);
    expect(broken.map((a) => a.status)).toEqual([403]);
  });
});
