// The runtime the SCIM deletion models drive and a run over it: the local Cosmos DB server and two instances of one
// backend on it (scimApp twice: a registry cache, membership cache and join-miss memory each, all on the run's
// clock), each run's start (acme and globex, a SCIM token, new people), its steps, and its end-of-run check.
import { expect } from 'vitest';
import { startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { scimApp } from '../runtime/support/scim-app.js';
import { directoryPolicy, expectMembershipsOf, startOrganizations } from './scim-people-run.js';
import { raced } from './scim-deletion-race.js';
import { erasedStep } from './scim-erase-steps.js';
import {
  ANN,
  CACHE_BOUND_MS,
  DELETE_AFTER_DAYS,
  PEOPLE,
  type Spec,
} from './scim-deletion-specs.js';
import { type Judged, type Rig, type Run, stepOf, whoOf } from './scim-deletion-steps.js';

/** A started rig and its end. */
export interface Started extends Rig {
  stop(): Promise<void>;
}

/**
 * The Cosmos DB server and the two instances, on a clock of their own.
 *
 * @example
 * ```ts
 * const rig = await startRig();
 * await runSpecs(rig, [{ kind: 'link', on: true }, { kind: 'delete' }]);
 * ```
 */
export async function startRig(): Promise<Started> {
  const cosmos = await startLocalCosmos({ plain: true });
  const clock = { now: Date.parse('2026-06-01T12:00:00.000Z') };
  const auth = directoryPolicy({ deleteAfterDays: DELETE_AFTER_DAYS });
  const instance = (id: string) =>
    scimApp(
      cosmos,
      auth,
      {
        tenantRegistry: { now: () => clock.now },
        usageLedger: { instance: id, now: () => clock.now, flushIntervalMs: 0 },
      },
      { timers: true },
    );
  const apps = [await instance('i-a'), await instance('i-b')] as const;
  return { cosmos, apps, clock, stop: () => cosmos.stop() };
}

/** How many runs this process made (each run's people are new: nothing an instance keeps between runs is theirs). */
let runs = 0;

/** acme and globex as every run starts (their Owners, acme's Admin, acme's domain joining at once), a SCIM token. */
async function setUp(rig: Rig): Promise<Run> {
  rig.clock.now += CACHE_BOUND_MS;
  const app = rig.apps[0];
  const s = await startOrganizations(app, ANN.oid, new Map([['acme-1', 'acme']]));
  const issued = await app.issue('acme', 'acme-1');
  runs++;
  const people = PEOPLE.map((p) => ({ ...p, oid: `${p.oid}-${String(runs)}` }));
  return {
    rig,
    s,
    people,
    script: [],
    secret: issued.body.token as string,
    ids: new Map(),
    invitations: new Map(),
  };
}

/**
 * After a run: the memberships with their doors, the bars, and acme's record — the model's: active, deleted with
 * its `deleteOn`, or erased — a tombstone `{ id, status: 'erased', erasedOn }` and nothing else, and nothing of acme
 * left in the `members` container (its partition, and every global item it owns: claims, lookups).
 */
async function checkStored(r: Run): Promise<void> {
  const app = r.rig.apps[0];
  await expectMembershipsOf(app, r.s, r.script);
  const script = `\n  ${r.script.join('\n  ')}`;
  const record = (await app.tenants.item('acme', 'acme').read()).resource as Record<
    string,
    unknown
  >;
  const deleteOn = r.s.deleted?.get('acme');
  if (r.s.erased?.has('acme')) {
    const kept = Object.keys(record)
      .filter((k) => !k.startsWith('_'))
      .sort();
    expect({ status: record['status'], kept }, `acme's tombstone${script}`).toEqual({
      status: 'erased',
      kept: ['erasedOn', 'id', 'status'],
    });
    expect(await leftOf(r, 'acme'), `what the erase left of acme${script}`).toEqual([]);
    return;
  }
  expect(
    { status: record['status'], deleteOn: record['deleteOn'] },
    `acme's record${script}`,
  ).toEqual(
    deleteOn === undefined
      ? { status: 'active', deleteOn: undefined }
      : { status: 'suspended', deleteOn: new Date(deleteOn).toISOString() },
  );
}

/** The items of the `members` container in `org`'s partition or owned by it elsewhere: `partition kind`, sorted. */
async function leftOf(r: Run, org: string): Promise<string[]> {
  const { resources } = await r.rig.apps[0].members.items
    .query<{ tenant: string; kind?: string }>({
      query: 'SELECT c.tenant, c.kind FROM c WHERE c.tenant = @o OR c.owner = @o',
      parameters: [{ name: '@o', value: org }],
    })
    .fetchAll();
  return resources.map((x) => `${x.tenant} ${x.kind ?? '-'}`).sort();
}

/** One step of any kind: its answer and the model's (undefined: nothing sent). */
function anyStep(r: Run, c: Spec): Promise<Judged | undefined> {
  if (c.kind === 'race') return raced(r, whoOf(r, c), c);
  if (c.kind === 'erase') return erasedStep(r, c);
  return stepOf(r, c);
}

/**
 * One run of `specs` from a fresh start: every answer the model's (thrown at the first that is not, with the
 * script), then the stored state checked.
 *
 * @example
 * ```ts
 * await runSpecs(rig, [{ kind: 'link', on: true }, { kind: 'delete' }]);
 * ```
 */
export async function runSpecs(rig: Rig, specs: readonly Spec[]): Promise<void> {
  const r = await setUp(rig);
  for (const [n, c] of specs.entries()) {
    r.s = { ...r.s, step: n + 1 };
    const step = await anyStep(r, c);
    // Every instance reads what the others wrote before the next step (the caches' bound on the run's clock).
    rig.clock.now += CACHE_BOUND_MS;
    if (step && step.got !== step.want)
      throw new Error(`expected ${step.want}, got ${step.got}\n  ${r.script.join('\n  ')}`);
  }
  await checkStored(r);
}
