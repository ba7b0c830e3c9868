// A person's door racing the Owner's delete or undelete of acme (scim-deletion-specs.ts `race`), and the judgement
// of a race's answers against the orders it may have run in (the erase's racers are judged the same way).
import type { ModelPerson, ScimModelState } from '../../src/access/model/scim-provisioning.js';
import { requestAs } from '../../src/access/model/scim-people.js';
import { holdNextMemberCreate } from '../runtime/support/held-member-create.js';
import type { Reply } from '../runtime/support/http.js';
import { ADA, as, inAcme } from './scim-people-run.js';
import { ANN, DOORS, type Spec } from './scim-deletion-specs.js';
import {
  type Answer,
  answerOf,
  doorOf,
  exitOf,
  expectedOf,
  type Judged,
  type Run,
} from './scim-deletion-steps.js';

/**
 * The door on the second instance racing the Owner's delete or undelete on the first. In flight: its membership
 * write held at the server until the Owner's request is answered (a door that writes nothing runs first) — both
 * answers must be those of one order. `after`: the door sent once the Owner's request was answered, to an instance
 * whose caches may still hold acme as it was (`warm`): after an undelete either order's (the change reaches it
 * within the bound), after a delete only the delete's — no membership is written into a deleted organization, and
 * only a member already may still be answered as before (their request within the bound). The state of the order
 * kept — the one whose membership of the person is the stored one — is the run's from then on.
 */
export async function raced(
  run: Run,
  who: ModelPerson,
  c: Extract<Spec, { kind: 'race' }>,
): Promise<Judged> {
  const { rig, s } = run;
  const door = DOORS[c.door] ?? 'request';
  const d = doorOf(rig.apps[1], door, who, run);
  const exit = exitOf(rig, c.exit);
  run.script.push(
    `${who.oid} ${door} on instance 1${c.warm ? ' (its caches warmed)' : ''} ${c.after ? 'just after' : 'while'} ${ADA} ${c.exit === 0 ? 'deletes' : 'undeletes'} acme`,
  );
  const warmed = c.warm
    ? await rig.apps[1].call('tenant-self', 'GET', 'tenant', { headers: { ...as(ANN), ...inAcme } })
    : undefined;
  const ann = expectedOf(requestAs(s, ANN, 'acme'));
  if (warmed && answerOf(warmed) !== ann)
    return { got: `ann ${answerOf(warmed)}`, want: `ann ${ann}` };
  let exited: Reply | undefined;
  let reply: Reply;
  if (c.after) {
    exited = await exit.send();
    reply = await d.send();
  } else {
    const held = holdNextMemberCreate(rig.cosmos, 'acme', async () => {
      exited = await exit.send();
    });
    reply = await d.send();
    held.release();
    if (held.count === 0) exited = await exit.send();
  }
  const got = `${answerOf(reply, door)} | ${answerOf(exited ?? reply)}`;
  const doorFirst = (() => {
    const first = d.model(s);
    const then = exit.model(first.state);
    return { answer: `${first.answer} | ${expectedOf(then)}`, state: then.state };
  })();
  const exitFirst = (() => {
    const first = exit.model(s);
    const then = d.model(first.state);
    return { answer: `${then.answer} | ${expectedOf(first)}`, state: then.state };
  })();
  const member = s.members.get('acme')?.has(who.oid) === true;
  if (process.env['ATAKORA_MODEL_STATS'])
    console.log(
      `race ${c.after ? 'after' : 'during'} ${c.warm ? 'warm' : 'cold'} ${c.exit === 0 ? 'delete' : 'undelete'} ${door} ${member ? 'member' : 'outsider'} ${s.deleted?.has('acme') ? 'deleted' : 'active'} ${s.directories?.has('acme') ? 'linked' : 'unlinked'}: ${got}`,
    );
  const orders =
    c.after && c.exit === 0 && !(member && c.warm) ? [exitFirst] : [doorFirst, exitFirst];
  return judged(run, who, got, orders);
}

/**
 * The order whose answers are `got` and whose membership of `who` in acme is the stored one: its state kept, or
 * the orders' answers as the expectation that fails.
 */
export async function judged(
  run: Run,
  who: ModelPerson,
  got: Answer,
  orders: readonly { answer: Answer; state: ScimModelState }[],
): Promise<Judged> {
  const stored =
    (await run.rig.apps[0].members.item(`acme|${who.oid}`, 'acme').read()).resource !== undefined;
  const order = orders.find(
    (o) => o.answer === got && (o.state.members.get('acme')?.has(who.oid) ?? false) === stored,
  );
  run.s = (order ?? orders[0]!).state;
  const shown = orders
    .map(
      (o) =>
        `${o.answer} (${o.state.members.get('acme')?.has(who.oid) ? 'a member' : 'no member'})`,
    )
    .join(' or ');
  return order
    ? { got, want: got }
    : { got: `${got} (${stored ? 'a member' : 'no member'})`, want: shown };
}
