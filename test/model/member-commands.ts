/**
 * The membership commands of the model-based test (members.model.test.ts): a principal creates an organization,
 * invites another by email (accepted by them, or first by someone else, and maybe twice), changes a member's roles or
 * removes one — each run on the reference model (src/access/model/membership.ts) and through the real runtime's
 * routes, answers compared. A command reads as what it sends (`alice invites bob to org-one as [Admin]`).
 */
import type fc from 'fast-check';
import {
  accept,
  changeMember,
  createOrganization,
  invite,
} from '../../src/access/model/membership.js';
import type { Expected } from '../../src/access/model/model-state.js';
import type { Reply } from '../runtime/support/http.js';
import { ORGANIZATIONS, PRINCIPALS } from './backend.js';
import { difference, type ModelSide } from './commands.js';
import type { RealApp } from './real-app.js';

/** The roles a command may name (declared roles and Owner). */
export const MEMBER_ROLES = ['Owner', 'Admin', 'Member'] as const;

/** One generated membership command (principals and organizations by index). */
export type MemberSpec =
  | { readonly kind: 'organization'; readonly p: number; readonly org: number }
  | {
      readonly kind: 'join';
      readonly p: number;
      readonly invitee: number;
      /** Who accepts first: the invitee, or someone else (refused: the email is not theirs). */
      readonly acceptor: number;
      readonly org: number;
      readonly roles: readonly string[];
      /** The invitee accepts (again) after the first acceptance. */
      readonly twice: boolean;
    }
  | {
      readonly kind: 'roles';
      readonly p: number;
      readonly target: number;
      readonly org: number;
      readonly roles: readonly string[];
    }
  | { readonly kind: 'remove'; readonly p: number; readonly target: number; readonly org: number };

/** One membership command, model and runtime side by side. */
export class MemberCommand implements fc.AsyncCommand<ModelSide, RealApp> {
  private described: string | undefined;

  constructor(readonly spec: MemberSpec) {}

  check(): boolean {
    return true;
  }

  async run(model: ModelSide, real: RealApp): Promise<void> {
    const s = this.spec;
    const by = PRINCIPALS[s.p % PRINCIPALS.length]!;
    const org = ORGANIZATIONS[s.org % ORGANIZATIONS.length]!;
    const inOrg = { 'x-atakora-tenant': org };
    const step = (described: string, expected: Expected, actual: Reply) => {
      model.script.push(described);
      this.described = described;
      const diff = difference(expected, actual);
      if (diff)
        throw new Error(
          `${described}: ${diff}\nthe run's requests:\n  ${model.script.join('\n  ')}`,
        );
    };
    if (s.kind === 'organization') {
      const outcome = createOrganization(model.state, by, org, 'free');
      const actual = await real.call('tenants-admin', 'POST', 'tenants', by, {
        body: { name: org, id: org },
      });
      model.state = outcome.state;
      step(`${by.name} creates ${org}`, outcome.expected, actual);
      return;
    }
    if (s.kind === 'join') {
      const invitee = PRINCIPALS[s.invitee % PRINCIPALS.length]!;
      const invited = await real.call('membership-invitations', 'POST', 'tenant/invitations', by, {
        body: { email: `${invitee.oid}@example.com`, roles: s.roles },
        headers: inOrg,
      });
      step(
        `${by.name} invites ${invitee.name} to ${org} as ${JSON.stringify(s.roles)}`,
        invite(model.state, by, org, s.roles),
        invited,
      );
      if (invited.status !== 201) return;
      const token = new URL(String(invited.body.acceptUrl)).searchParams.get('token') ?? '';
      const invitation = { org, invitee: invitee.oid, roles: s.roles };
      let open = true;
      const acceptors = [PRINCIPALS[s.acceptor % PRINCIPALS.length]!];
      if (acceptors[0] !== invitee || s.twice) acceptors.push(invitee);
      for (const who of acceptors) {
        const outcome = accept(model.state, who, invitation, open);
        const actual = await real.call('membership-accept', 'POST', 'invitations/accept', who, {
          body: { token },
        });
        model.state = outcome.state;
        if (outcome.used) open = false;
        step(
          `${who.name} accepts ${invitee.name}'s invitation to ${org}`,
          outcome.expected,
          actual,
        );
      }
      return;
    }
    const target = PRINCIPALS[s.target % PRINCIPALS.length]!;
    const roles = s.kind === 'roles' ? s.roles : undefined;
    const outcome = changeMember(model.state, by, org, target.oid, roles);
    const actual = await real.call(
      'membership-member',
      roles === undefined ? 'DELETE' : 'PATCH',
      `tenant/members/${target.oid}`,
      by,
      {
        ...(roles === undefined ? {} : { body: { roles } }),
        params: { userId: target.oid },
        headers: inOrg,
      },
    );
    model.state = outcome.state;
    step(
      roles === undefined
        ? `${by.name} removes ${target.name} from ${org}`
        : `${by.name} makes ${target.name} ${JSON.stringify(roles)} in ${org}`,
      outcome.expected,
      actual,
    );
  }

  toString(): string {
    return this.described ?? JSON.stringify(this.spec);
  }
}
