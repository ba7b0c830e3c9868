/**
 * An organization's deletion against its directory's and SCIM's first requests (src/access/model/scim-organizations.ts
 * beside scim-people.ts and scim-provisioning.ts): acme's Owner deletes it (its erase date `deleteAfterDays: 2`
 * ahead) and undeletes it, days pass on the run's clock, acme's directory is linked and unlinked, SCIM provisions,
 * deactivates and re-activates users — interleaved with people's doors (a first request, `GET api/me/tenants`, a
 * domain join) sent to either of **two instances** of the backend (one data, a registry cache, membership cache and
 * join-miss memory each, all on the run's clock), and a door **racing** the Owner's delete (or undelete): the door's
 * membership write held at the server until the delete has been answered, the door sent to the second instance
 * whose registry cache may still hold the organization as active (read just before, `warm`). Every answer, each
 * race's two answers judged against both orders (the one whose membership of the person is stored kept), and after
 * the run the memberships, their doors, the bars and the registry record must be the model's: no membership is
 * written into a deleted organization, the person is refused as the model says, and after the undelete every door
 * admits as before. Between steps the clock passes the caches' 30 s bound (DESIGN §2: a change holds on every
 * instance within it), never waited for.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MODEL_RUNS } from './budget.js';
import { type Spec, spec } from './scim-deletion-specs.js';
import { runSpecs, type Started, startRig } from './scim-deletion-rig.js';

let rig: Started;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});
const run = (specs: readonly Spec[]) => runSpecs(rig, specs);

describe("an organization's deletion against its directory's and SCIM's first requests", () => {
  it('answers every door, race, delete and undelete as the model does, on either instance', async () => {
    // Every run starts with acme's directory linked (a later step may unlink it): its users' first requests are
    // what the deletion races.
    const linkedFirst = fc
      .array(spec, { minLength: 4, maxLength: 14 })
      .map((specs): Spec[] => [{ kind: 'link', on: true }, ...specs]);
    await fc.assert(fc.asyncProperty(linkedFirst, run), {
      seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59),
      numRuns: Number(process.env['ATAKORA_MODEL_RUNS'] ?? MODEL_RUNS),
    });
  });

  it("a story: a linked directory's user's first request just after the delete, on an instance that still holds the organization active, joins nothing, and joins after the undelete", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'race', door: 0, person: 1, exit: 0, warm: true, after: true },
      { kind: 'door', door: 0, person: 1, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 0, person: 1, on: 1 },
    ]));

  it("a story: a linked directory's user's first request in flight while the delete lands ends in one order", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'race', door: 0, person: 1, exit: 0, warm: true, after: false },
      { kind: 'door', door: 0, person: 1, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 0, person: 1, on: 1 },
    ]));

  it("a story: a SCIM user's first request just after the delete joins nothing; linked, they join after the undelete", () =>
    run([
      { kind: 'provision', user: 0, externalId: false, inactive: false },
      { kind: 'race', door: 0, person: 0, exit: 0, warm: true, after: true },
      { kind: 'door', door: 1, person: 0, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 1, person: 0, on: 1 },
    ]));
});
