/**
 * The membership commands of the model-based test (members.model.test.ts): a principal creates an organization,
 * invites another by email (accepted by them, or first by someone else, and maybe twice), changes a member's roles or
 * removes one — each run on the reference model (src/access/model/membership.ts) and through the real runtime's
 * routes, answers compared. A command reads as what it sends (`alice invites bob to org-one as [Admin]`).
 */
import {
  accept,
  changeMember,
  createOrganization,
  invite,
  resend,
} from '../../src/access/model/membership.js';
import { directoryOf, joinByDirectory, linkDirectory } from '../../src/access/model/directory.js';
import type { Expected } from '../../src/access/model/model-state.js';
import type { Reply } from '../runtime/support/http.js';
import { MAX_ORGANIZATIONS, ORGANIZATIONS, PRINCIPALS } from './backend.js';
import type { ModelSide } from './commands.js';
import type { RealApp } from './real-app.js';
import { ScriptedCommand } from './scripted-command.js';
import type { Principal } from '../../src/access/model/backend.js';

/** The roles a command may name (declared roles and Owner). */
export const MEMBER_ROLES = ['Owner', 'Admin', 'Member'] as const;
/** The roles a directory may grant (the declared ones: never Owner). */
const DIRECTORY_ROLES = ['Admin', 'Member'];

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
      /** Nobody accepts now: the invitation stays open for a later `accept` (after removals, role changes…). */
      readonly later?: boolean;
    }
  /** Someone accepts an invitation sent earlier in the run (`which` of them, by index). */
  | { readonly kind: 'accept'; readonly p: number; readonly which: number }
  /** Someone resends an invitation sent earlier (`which`); its invitee then tries the link from before. */
  | { readonly kind: 'resend'; readonly p: number; readonly which: number }
  | {
      readonly kind: 'roles';
      readonly p: number;
      readonly target: number;
      readonly org: number;
      readonly roles: readonly string[];
    }
  | { readonly kind: 'remove'; readonly p: number; readonly target: number; readonly org: number }
  /**
   * `PUT api/tenant/directory` (the caller's own directory, or — `forged` — another's), or `GET`/`DELETE` (`read`,
   * `unlink`).
   */
  | {
      readonly kind: 'directory';
      readonly p: number;
      readonly org: number;
      readonly op: 'link' | 'read' | 'unlink';
      readonly forged?: boolean;
      readonly role?: string;
      readonly requireDirectory?: boolean;
    };

/** The token of each invitation the run sent, by the model's index (`ModelState.invitations`). */
const TOKENS = new WeakMap<ModelSide, string[]>();
const tokensOf = (model: ModelSide): string[] => {
  const known = TOKENS.get(model) ?? [];
  TOKENS.set(model, known);
  return known;
};

/** One membership command, model and runtime side by side. */
export class MemberCommand extends ScriptedCommand<MemberSpec> {
  async run(model: ModelSide, real: RealApp): Promise<void> {
    const s = this.spec;
    const by = PRINCIPALS[s.p % PRINCIPALS.length]!;
    const org =
      ORGANIZATIONS[
        (s.kind === 'accept' || s.kind === 'resend' ? 0 : s.org) % ORGANIZATIONS.length
      ]!;
    const perDay = model.backend.invitationsPerDay;
    const inOrg = { 'x-atakora-tenant': org };
    const step = (described: string, expected: Expected, actual: Reply) =>
      this.step(model, described, expected, actual);
    // A command acting in an organization is a request to it: a linked directory's user joins it first.
    if (s.kind !== 'organization' && s.kind !== 'accept') {
      const acting =
        s.kind === 'resend'
          ? model.state.invitations?.[s.which % Math.max(1, model.state.invitations.length)]?.org
          : org;
      if (acting !== undefined) model.state = joinByDirectory(model.state, by, acting);
    }
    if (s.kind === 'directory') {
      await this.directory(s, by, org, model, real, step);
      return;
    }
    if (s.kind === 'organization') {
      const outcome = createOrganization(model.state, by, org, 'free', MAX_ORGANIZATIONS);
      const actual = await real.call('tenants-admin', 'POST', 'tenants', by, {
        body: { name: org, id: org },
      });
      model.state = outcome.state;
      step(`${by.name} creates ${org}`, outcome.expected, actual);
      return;
    }
    const accepting = async (
      who: (typeof PRINCIPALS)[number],
      index: number,
      stale?: { token: string; resends: number },
    ) => {
      const inv = model.state.invitations?.[index];
      const outcome = accept(model.state, who, index, stale?.resends, MAX_ORGANIZATIONS);
      const actual = await real.call('membership-accept', 'POST', 'invitations/accept', who, {
        body: { token: stale?.token ?? tokensOf(model)[index] ?? '' },
      });
      model.state = outcome.state;
      step(
        `${who.name} accepts invitation ${String(index)}${stale ? ' with its link from before the resend' : ''} (${inv?.invitee ?? '?'} to ${inv?.org ?? '?'} by ${inv?.inviter ?? '?'})`,
        outcome.expected,
        actual,
      );
    };
    if (s.kind === 'accept') {
      const sent = model.state.invitations?.length ?? 0;
      if (sent > 0) await accepting(by, s.which % sent);
      return;
    }
    if (s.kind === 'resend') {
      const sent = model.state.invitations?.length ?? 0;
      if (sent === 0) return;
      const index = s.which % sent;
      const inv = model.state.invitations![index]!;
      const before = { token: tokensOf(model)[index] ?? '', resends: inv.resends ?? 0 };
      const id = before.token.split('.')[1] ?? '';
      const outcome = resend(model.state, by, index, perDay);
      const actual = await real.call(
        'membership-invitation-resend',
        'POST',
        `tenant/invitations/${id}/resend`,
        by,
        { params: { id }, headers: { 'x-atakora-tenant': inv.org } },
      );
      model.state = outcome.state;
      step(
        `${by.name} resends invitation ${String(index)} (to ${inv.invitee} in ${inv.org})`,
        outcome.expected,
        actual,
      );
      if (actual.status !== 200) return;
      tokensOf(model)[index] =
        new URL(String(actual.body.acceptUrl)).searchParams.get('invitation') ?? '';
      const invitee = PRINCIPALS.find((x) => x.oid === inv.invitee);
      if (invitee) await accepting(invitee, index, before);
      return;
    }
    if (s.kind === 'join') {
      const invitee = PRINCIPALS[s.invitee % PRINCIPALS.length]!;
      const invited = await real.call('membership-invitations', 'POST', 'tenant/invitations', by, {
        body: { email: `${invitee.oid}@example.com`, roles: s.roles },
        headers: inOrg,
      });
      const outcome = invite(model.state, by, org, invitee.oid, s.roles, perDay);
      model.state = outcome.state;
      step(
        `${by.name} invites ${invitee.name} to ${org} as ${JSON.stringify(s.roles)}`,
        outcome.expected,
        invited,
      );
      if (invited.status !== 201) return;
      const tokens = tokensOf(model);
      tokens.push(new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '');
      if (s.later) return;
      const index = tokens.length - 1;
      const acceptors = [PRINCIPALS[s.acceptor % PRINCIPALS.length]!];
      if (acceptors[0] !== invitee || s.twice) acceptors.push(invitee);
      for (const who of acceptors) await accepting(who, index);
      return;
    }
    const target = PRINCIPALS[s.target % PRINCIPALS.length]!;
    const roles = s.kind === 'roles' ? s.roles : undefined;
    const outcome = changeMember(model.state, by, org, target.oid, roles, MAX_ORGANIZATIONS);
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

  /** A directory command: the model's answer beside the runtime's. */
  private async directory(
    s: Extract<MemberSpec, { kind: 'directory' }>,
    by: Principal,
    org: string,
    model: ModelSide,
    real: RealApp,
    step: (described: string, expected: Expected, actual: Reply) => void,
  ): Promise<void> {
    const headers = { 'x-atakora-tenant': org };
    if (s.op === 'link') {
      const tid = s.forged ? PRINCIPALS.find((x) => x.tid !== by.tid)!.tid : by.tid;
      const body = {
        tid,
        ...(s.role !== undefined ? { role: s.role } : {}),
        ...(s.requireDirectory !== undefined ? { requireDirectory: s.requireDirectory } : {}),
      };
      const outcome = linkDirectory(model.state, by, org, body, DIRECTORY_ROLES);
      const actual = await real.call('tenant-directory', 'PUT', 'tenant/directory', by, {
        body,
        headers,
      });
      model.state = outcome.state;
      step(`${by.name} links ${tid} to ${org} ${JSON.stringify(body)}`, outcome.expected, actual);
      return;
    }
    const unlink = s.op === 'unlink';
    const outcome = directoryOf(model.state, by, org, unlink);
    const actual = await real.call(
      'tenant-directory',
      unlink ? 'DELETE' : 'GET',
      'tenant/directory',
      by,
      { headers },
    );
    model.state = outcome.state;
    step(`${by.name} ${unlink ? 'unlinks' : 'reads'} ${org}'s directory`, outcome.expected, actual);
  }
}
