// One step of the SCIM deletion models against the real runtime, beside the model's answer (scim-deletion-specs.ts):
// a person's door on either instance, the Owner's delete or undelete, a directory link, an invitation, SCIM's
// provisioning — every step but a race (scim-deletion-race.ts).
import {
  type ModelPerson,
  provisionUser,
  type ScimModelState,
  setActive,
  type Step,
} from '../../src/access/model/scim-provisioning.js';
import {
  accept,
  invite,
  joinByDomain,
  linkDirectory,
  mine,
  requestAs,
} from '../../src/access/model/scim-people.js';
import {
  deleteOrganization,
  undeleteOrganization,
} from '../../src/access/model/scim-organizations.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';
import { person, type ScimApp } from '../runtime/support/scim-app.js';
import type { Reply } from '../runtime/support/http.js';
import { ADA, as, HOME, inAcme, linkRequest, ORGS, problemOf } from './scim-people-run.js';
import {
  DAY_MS,
  DELETE_AFTER_DAYS,
  DOORS,
  type Door,
  type Spec,
  USER_NAMES,
} from './scim-deletion-specs.js';

/** The runtime a run drives: the Cosmos DB server, two instances of the backend on it, and their clock. */
export interface Rig {
  readonly cosmos: LocalCosmos;
  /** `apps[0]` serves the Owner and SCIM, `apps[1]` only people's doors. */
  readonly apps: readonly [ScimApp, ScimApp];
  readonly clock: { now: number };
}

/** A run's state: the model's, the steps so far, acme's SCIM token, what the runtime gave back. */
export interface Run {
  readonly rig: Rig;
  s: ScimModelState;
  readonly people: readonly ModelPerson[];
  readonly script: string[];
  readonly secret: string;
  /** The SCIM id of each provisioned user, by userName. */
  readonly ids: Map<string, string>;
  /** The token of the last invitation acme sent to each address this run. */
  readonly invitations: Map<string, string>;
}

/** What a door answered, as one string (`GET api/me/tenants` with the organizations it listed). */
export type Answer = string;
/** A step's answer and the model's. */
export type Judged = { got: Answer; want: Answer };

export const answerOf = (r: Reply, door?: Door): Answer => {
  if (door === 'mine') {
    const ids = ((r.body?.items as { id: string }[] | undefined) ?? []).map((t) => t.id).sort();
    return `${String(r.status)} ${JSON.stringify(ids)}`;
  }
  const type = problemOf(r) ?? '';
  return `${String(r.status)}${r.status >= 400 && type ? ` ${type}` : ''}`;
};
export const expectedOf = (step: Step): Answer =>
  `${String(step.expected.status)}${step.expected.problem ? ` ${step.expected.problem}` : ''}`;

/** A request to the runtime, and the model's answer and state from any state. */
export interface Sent {
  send: () => Promise<Reply>;
  model: (s: ScimModelState) => { answer: Answer; state: ScimModelState };
}

/**
 * A person's door on `app`: the request, and the model's answer and state from any state. `accept`: the last
 * invitation acme sent to their address this run (none: a token no invitation has, 410), signed in with a token
 * that proves their e-mail.
 */
export function doorOf(app: ScimApp, door: Door, who: ModelPerson, run: Run): Sent {
  if (door === 'mine')
    return {
      send: () => app.call('membership-me-tenants', 'GET', 'me/tenants', { headers: as(who) }),
      model: (s) => {
        const out = mine(s, who, ORGS);
        return { answer: `200 ${JSON.stringify(out.orgs)}`, state: out.state };
      },
    };
  if (door === 'accept') {
    const proven = { ...who, verified: true };
    const token = run.invitations.get(who.email.toLowerCase()) ?? 'none';
    return {
      send: () =>
        app.call('membership-accept', 'POST', 'invitations/accept', {
          headers: as(proven),
          body: { token },
        }),
      model: (s) => {
        const step = accept(s, proven, 'acme');
        return { answer: expectedOf(step), state: step.state };
      },
    };
  }
  if (door === 'join')
    return {
      send: () =>
        app.call('membership-tenant-join', 'POST', 'tenants/acme/join', {
          headers: as(who),
          params: { id: 'acme' },
        }),
      model: (s) => {
        const step = joinByDomain(s, who, 'acme');
        return { answer: expectedOf(step), state: step.state };
      },
    };
  return {
    send: () => app.call('tenant-self', 'GET', 'tenant', { headers: { ...as(who), ...inAcme } }),
    model: (s) => {
      const step = requestAs(s, who, 'acme');
      return { answer: expectedOf(step), state: step.state };
    },
  };
}

/** The Owner's delete (or undelete) of acme on the first instance, and its model. */
export function exitOf(
  rig: Rig,
  exit: number,
): { send: () => Promise<Reply>; model: (s: ScimModelState) => Step } {
  if (exit === 0)
    return {
      send: () =>
        rig.apps[0].call('tenant-self', 'DELETE', 'tenant', {
          headers: { ...person(ADA), ...inAcme },
        }),
      model: (s) => deleteOrganization(s, ADA, 'acme', rig.clock.now, DELETE_AFTER_DAYS),
    };
  return {
    send: () =>
      rig.apps[0].call('membership-tenant-undelete', 'POST', 'tenant/undelete', {
        headers: { ...person(ADA), ...inAcme },
      }),
    model: (s) => undeleteOrganization(s, ADA, 'acme', rig.clock.now),
  };
}

/** The person a step names, of this run. */
export const whoOf = (run: Run, c: Spec): ModelPerson =>
  run.people[('person' in c ? c.person : 0) % run.people.length]!;

/**
 * One step that is no race (nor a command of another model: `undefined` from `others`): its answer and the model's
 * (undefined: nothing sent).
 */
export async function stepOf(
  run: Run,
  c: Exclude<Spec, { kind: 'race' | 'erase' }>,
): Promise<Judged | undefined> {
  const { rig, s } = run;
  const who = whoOf(run, c);
  const settle = (reply: Reply, step: Step, door?: Door) => {
    run.s = step.state;
    return { got: answerOf(reply, door), want: expectedOf(step) };
  };
  if (c.kind === 'day') {
    rig.clock.now += DAY_MS;
    run.script.push('a day passes');
    return undefined;
  }
  if (c.kind === 'delete' || c.kind === 'undelete') {
    run.script.push(`${ADA} ${c.kind}s acme`);
    const exit = exitOf(rig, c.kind === 'delete' ? 0 : 1);
    return settle(await exit.send(), exit.model(s));
  }
  if (c.kind === 'link') {
    run.script.push(`${ADA} ${c.on ? 'links' : 'unlinks'} acme's directory`);
    const reply = await linkRequest(rig.apps[0], c.on);
    return settle(reply, linkDirectory(s, 'acme', c.on ? HOME : undefined));
  }
  if (c.kind === 'door') {
    const door = DOORS[c.door] ?? 'request';
    run.script.push(`${who.oid} ${door} on instance ${String(c.on)}`);
    const d = doorOf(rig.apps[c.on === 0 ? 0 : 1], door, who, run);
    const reply = await d.send();
    const out = d.model(s);
    run.s = out.state;
    return { got: answerOf(reply, door), want: out.answer };
  }
  const sent = c.kind === 'invite' ? inviteOf(run, who) : scimOf(run, c);
  const reply = await sent.send();
  const out = sent.model(run.s);
  run.s = out.state;
  return { got: answerOf(reply), want: out.answer };
}

/** A model's {@link Step} as a {@link Sent}'s answer and state. */
export const asAnswer = (step: Step) => ({ answer: expectedOf(step), state: step.state });

/** acme's Owner invites `who` (on the first instance); the token the answer carries kept for their `accept`. */
export function inviteOf(run: Run, who: ModelPerson): Sent {
  run.script.push(`${ADA} invites ${who.oid}`);
  return {
    send: async () => {
      const reply = await run.rig.apps[0].call(
        'membership-invitations',
        'POST',
        'tenant/invitations',
        {
          headers: { ...person(ADA), ...inAcme },
          body: { email: who.email, roles: ['Member'] },
        },
      );
      if (reply.status === 201) {
        const token = new URL(String(reply.body.acceptUrl)).searchParams.get('invitation') ?? '';
        run.invitations.set(who.email.toLowerCase(), token);
      }
      return reply;
    },
    model: (s) => asAnswer(invite(s, ADA, 'acme', who)),
  };
}

/**
 * SCIM (acme's token, on the first instance): a user provisioned, or made active or inactive — the request and
 * the model's answer from any state (a racer of the erase sends it beside the timer).
 */
export function scimOf(run: Run, c: Extract<Spec, { kind: 'provision' | 'active' }>): Sent {
  const userName = USER_NAMES[c.user] ?? '';
  const app = run.rig.apps[0];
  if (c.kind === 'provision') {
    const externalId = c.externalId ? run.people[c.user]?.oid : undefined;
    const active = !c.inactive;
    run.script.push(
      `SCIM POST Users ${userName}${externalId ? ' (externalId)' : ''}${active ? '' : ' inactive'}`,
    );
    return {
      send: async () => {
        const reply = await app.scim('scim-users', 'POST', 'scim/v2/Users', run.secret, {
          body: { userName, ...(externalId !== undefined ? { externalId } : {}), active },
        });
        if (reply.status === 201) run.ids.set(userName, reply.body.id as string);
        return reply;
      },
      model: (s) => {
        const step = provisionUser(s, 'acme-1', userName, {
          ...(externalId !== undefined ? { externalId } : {}),
          active,
        });
        return { answer: expectedOf(step), state: step.state };
      },
    };
  }
  const id = run.ids.get(userName) ?? '00000000-0000-0000-0000-000000000000';
  run.script.push(`SCIM PATCH ${userName} active ${String(c.active)}`);
  return {
    send: () =>
      app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, run.secret, {
        params: { id },
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'active', value: c.active }],
        },
      }),
    model: (s) => {
      const step = setActive(s, 'acme-1', 'acme', userName, c.active);
      return { answer: expectedOf(step), state: step.state };
    },
  };
}
