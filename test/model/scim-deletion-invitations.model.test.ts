/**
 * An organization's deletion against its invitations and its Owner's undelete (the steps and the model of
 * scim-deletion.model.test.ts, scim-deletion-rig.ts): an acceptance the delete refused in flight leaves its
 * invitation open, as the delete first would, and admits nobody SCIM deprovisioned since; a member of a deleted
 * organization is refused, and from its erase date on the undelete is final. Stories: each failed on a runtime
 * before it (test/model/README.md, "An organization's deletion against its doors").
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Spec } from './scim-deletion-specs.js';
import { runSpecs, type Started, startRig } from './scim-deletion-rig.js';

let rig: Started;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});
const run = (specs: readonly Spec[]) => runSpecs(rig, specs);

describe("an organization's deletion against its invitations and its undelete", () => {
  it('a story: an acceptance the delete refused in flight leaves its invitation open, as the delete first would', () =>
    run([
      { kind: 'invite', person: 0 },
      { kind: 'race', door: 3, person: 0, exit: 0, warm: false, after: false },
      { kind: 'undelete' },
      { kind: 'invite', person: 0 },
    ]));

  it('a story: an acceptance the delete refused in flight never admits the person SCIM deprovisioned after the undelete', () =>
    run([
      { kind: 'invite', person: 0 },
      { kind: 'race', door: 3, person: 0, exit: 0, warm: true, after: false },
      { kind: 'undelete' },
      { kind: 'provision', user: 0, externalId: false, inactive: true },
      { kind: 'door', door: 3, person: 0, on: 0 },
      { kind: 'door', door: 0, person: 0, on: 0 },
    ]));

  it('a story: a member of a deleted organization is refused, and past its erase date the undelete is final', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'door', door: 0, person: 2, on: 0 },
      { kind: 'delete' },
      { kind: 'door', door: 0, person: 2, on: 1 },
      { kind: 'race', door: 2, person: 0, exit: 1, warm: false, after: false },
      { kind: 'delete' },
      { kind: 'day' },
      { kind: 'day' },
      { kind: 'undelete' },
      { kind: 'door', door: 1, person: 1, on: 1 },
    ]));
});
