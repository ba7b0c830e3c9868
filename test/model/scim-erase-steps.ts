// The daily erase among SCIM's and the people's steps (scim-erase.model.test.ts): the timer
// `membership-organization-erase` run through the app on the first instance — alone, or with a racer sent at once
// beside it — judged against the model's erase (src/access/model/scim-organizations.ts `eraseDue`) in either order,
// and the arbitrary of a run that reaches it (deletes, days, erases).
import fc from 'fast-check';
import { eraseDue } from '../../src/access/model/scim-organizations.js';
import type { ModelPerson, ScimModelState } from '../../src/access/model/scim-provisioning.js';
import { ORGANIZATION_ERASE_FUNCTION } from '../../src/contract/members.js';
import { holdNextTombstone } from '../runtime/support/held-member-create.js';
import type { Reply } from '../runtime/support/http.js';
import { judged } from './scim-deletion-race.js';
import {
  DAY_MS,
  DOORS,
  i,
  PEOPLE,
  type Racer,
  scimSpecs,
  type Spec,
  spec,
} from './scim-deletion-specs.js';
import {
  type Answer,
  answerOf,
  asAnswer,
  doorOf,
  exitOf,
  inviteOf,
  type Judged,
  type Run,
  type Sent,
  scimOf,
} from './scim-deletion-steps.js';
import { ADA, ORGS } from './scim-people-run.js';

/** What races the erase: a person's door on the second instance, SCIM, the Owner's undelete or invitation. */
const racer: fc.Arbitrary<Racer> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('door' as const),
      door: i(DOORS.length),
      person: i(PEOPLE.length),
      on: fc.constant(1),
    }),
  },
  ...scimSpecs,
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undelete' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('invite' as const), person: i(PEOPLE.length) }),
  },
);

/**
 * A step of a run about the erase: any of the deletion model's, or the Owner's delete, days passing (two reach the
 * `deleteOn`) and the timer — alone or raced — more often than there.
 */
export const eraseSpec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 6, arbitrary: spec },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('day' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record(
      // Mostly days enough to pass a `deleteOn` (`deleteAfterDays: 2`), sometimes none or one: the erase too early.
      {
        kind: fc.constant('erase' as const),
        days: fc.integer({ min: 0, max: 3 }),
        racer,
        held: fc.boolean(),
      },
      { requiredKeys: ['kind', 'days'] },
    ),
  },
);

/** The racer's request and model, and the person whose membership of acme tells its order. */
function racerOf(run: Run, c: Racer): { sent: Sent; who: ModelPerson; door?: string } {
  if (c.kind === 'undelete') {
    run.script.push(`${ADA} undeletes acme`);
    const exit = exitOf(run.rig, 1);
    const sent = { send: exit.send, model: (s: ScimModelState) => asAnswer(exit.model(s)) };
    return { sent, who: { oid: ADA, email: `${ADA}@mail.example`, verified: true } };
  }
  if (c.kind === 'provision' || c.kind === 'active')
    return { sent: scimOf(run, c), who: run.people[c.user % run.people.length]! };
  const who = run.people[c.person % run.people.length]!;
  if (c.kind === 'invite') return { sent: inviteOf(run, who), who };
  const door = DOORS[c.door] ?? 'request';
  run.script.push(`${who.oid} ${door} on instance ${String(c.on)}`);
  return { sent: doorOf(run.rig.apps[c.on === 0 ? 0 : 1], door, who, run), who, door };
}

/**
 * The timer run, and `racer` sent at once beside it — or (`held`) while its tombstone of acme is held, else (nothing
 * erased, nothing held) after it.
 */
async function timerBeside(
  run: Run,
  racer: Sent | undefined,
  held: boolean,
): Promise<{ lines: readonly Record<string, unknown>[]; reply: Reply | undefined }> {
  const timer = () => run.rig.apps[0].runTimer(ORGANIZATION_ERASE_FUNCTION);
  if (!racer || !held) {
    const [lines, reply] = await Promise.all([timer(), racer?.send()]);
    return { lines, reply };
  }
  let reply: Reply | undefined;
  const hold = holdNextTombstone(run.rig.cosmos, 'acme', async () => {
    reply = await racer.send();
  });
  const lines = await timer();
  hold.release();
  if (process.env['ATAKORA_MODEL_STATS']) console.log(`tombstone held: ${String(hold.count)}`);
  if (hold.count === 0) reply = await racer.send();
  return { lines, reply };
}

/**
 * The erase through the app's timer at the run's clock, a racer sent at once beside it: the organizations it
 * erased (of this run's) and the racer's answer must be those of one order — the racer before the erase (which then
 * erases from the state it left), or after it — and the racer's person's membership of acme the stored one. Its
 * state is the run's from then on.
 */
export async function erasedStep(run: Run, c: Extract<Spec, { kind: 'erase' }>): Promise<Judged> {
  const { rig } = run;
  const s0 = run.s;
  rig.clock.now += c.days * DAY_MS;
  const now = rig.clock.now;
  const r = c.racer ? racerOf(run, c.racer) : undefined;
  const days = c.days > 0 ? `${String(c.days)} day(s) pass, ` : '';
  const when = c.held ? 'its tombstone is held' : 'the erase runs';
  run.script.push(r ? `  … while ${days}${when}` : `${days}the erase runs`);
  const { lines, reply } = await timerBeside(run, r?.sent, c.held === true);
  const line = lines.find((l) => l['operation'] === 'organization-erase');
  if (process.env['ATAKORA_MODEL_STATS'])
    console.log(`erase ${JSON.stringify(line?.['erased'])} ${r ? c.racer?.kind : 'alone'}`);
  const erased = ((line?.['erased'] as { tenant: string }[] | undefined) ?? [])
    .map((e) => e.tenant)
    .filter((t) => (ORGS as readonly string[]).includes(t))
    .sort();
  const shown = (outcome: unknown, orgs: readonly string[], answer?: Answer) =>
    `${String(outcome)} ${JSON.stringify(orgs)}${answer === undefined ? '' : ` | ${answer}`}`;
  const got = shown(
    line?.['outcome'],
    erased,
    reply ? answerOf(reply, r?.door === 'mine' ? 'mine' : undefined) : undefined,
  );
  const eraseFirst = (() => {
    const e = eraseDue(s0, now);
    const then = r?.sent.model(e.state);
    return { answer: shown('done', e.erased, then?.answer), state: then?.state ?? e.state };
  })();
  if (!r) {
    run.s = eraseFirst.state;
    return { got, want: eraseFirst.answer };
  }
  const racerFirst = (() => {
    const first = r.sent.model(s0);
    const e = eraseDue(first.state, now);
    return { answer: shown('done', e.erased, first.answer), state: e.state };
  })();
  return judged(run, r.who, got, [eraseFirst, racerFirst]);
}
