/**
 * The join commands of the membership model test (members.model.test.ts): an organization's domain verified (or
 * lapsed: its record gone for 3 days at the daily re-check) as fixtures through the runtime's own domain store and
 * re-check, then real requests — `GET api/me/joinable`, `POST api/tenants/{id}/join` with a verified e-mail or one
 * the token does not vouch for, an Owner setting the domain's join, an Owner or Admin answering a request — each
 * run on the reference model (src/access/model/joins.ts) and the runtime, answers compared. Every principal's
 * e-mail is `<oid>@example.com`: `example.com` is everybody's domain, `example.org` nobody's.
 */
import {
  answer,
  join,
  joinable,
  lapsed,
  setJoin,
  verifiedDomain,
} from '../../src/access/model/joins.js';
import type { Expected } from '../../src/access/model/model-state.js';
import { changeMember } from '../../src/access/model/membership.js';
import { claimDomain, recheckDomains } from '../../src/runtime/members/domains/domain-claims.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import { principalHeader } from '../runtime/support/built-app.js';
import type { Reply } from '../runtime/support/http.js';
import { ORGANIZATIONS, PRINCIPALS } from './backend.js';
import { difference, type ModelSide } from './commands.js';
import type { RealApp } from './real-app.js';
import { ScriptedCommand } from './scripted-command.js';

/** The domains a command names: everybody's, and one nobody's e-mail is on. */
export const DOMAINS = ['example.com', 'example.org'] as const;
const JOINS = ['off', 'request', 'auto'] as const;
/** The roles a domain may give (never Owner: the runtime refuses it). */
const JOIN_ROLES = ['Member', 'Admin'] as const;

/** One generated join command (principals, organizations, domains, modes and roles by index). */
export type JoinSpec =
  | { readonly kind: 'domain'; readonly org: number; readonly domain: number }
  | { readonly kind: 'lapse'; readonly domain: number }
  | {
      readonly kind: 'set-join';
      readonly p: number;
      readonly org: number;
      readonly domain: number;
      readonly join: number;
      readonly role: number;
    }
  | { readonly kind: 'joinable'; readonly p: number; readonly unverified: boolean }
  | {
      readonly kind: 'join';
      readonly p: number;
      readonly org: number;
      readonly unverified: boolean;
    }
  | {
      readonly kind: 'answer';
      readonly p: number;
      readonly org: number;
      readonly requester: number;
      readonly approve: boolean;
    }
  /**
   * At once: `p` removes `target` from `org` while `target` joins it through its domain — the removal stands
   * whichever reaches the store first (the join is 409 `already-a-member` before it, 403 `member-barred` after).
   */
  | { readonly kind: 'race'; readonly p: number; readonly org: number; readonly target: number };

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

/** A principal's header carrying their e-mail, vouched for (`xms_edov`) unless `unverified`. */
const withEmail = (oid: string, tid: string, roles: readonly string[], unverified: boolean) =>
  principalHeader([
    ['tid', tid],
    ['oid', oid],
    ...roles.map((r) => ['roles', r] as const),
    ['email', `${oid}@example.com`],
    ...(unverified ? [] : ([['xms_edov', 'true']] as const)),
  ]);

/** One join command, model and runtime side by side. */
export class JoinCommand extends ScriptedCommand<JoinSpec> {
  async run(model: ModelSide, real: RealApp): Promise<void> {
    const s = this.spec;
    const step = (described: string, expected: Expected, actual: Reply) =>
      this.step(model, described, expected, actual);
    const store = cosmosDomainStore(real.members!);
    if (s.kind === 'domain' || s.kind === 'lapse') {
      const domain = pick(DOMAINS, s.domain);
      if (s.kind === 'lapse') {
        // The daily re-check, twice: the record missed, then missed 3 days later (other domains: DNS down, kept).
        const resolve = (name: string) =>
          Promise.resolve(name === `_atakora.${domain}` ? [] : ('unreachable' as const));
        const t0 = Date.parse('2026-03-01T00:00:00.000Z');
        await recheckDomains(store, resolve, new Date(t0));
        await recheckDomains(store, resolve, new Date(t0 + 3 * 24 * 60 * 60 * 1000));
        model.state = lapsed(model.state, domain);
        model.script.push((this.described = `${domain}'s TXT record gone for 3 days`));
        return;
      }
      const org = pick(ORGANIZATIONS, s.org);
      if (!model.state.registry?.has(org)) return;
      const outcome = verifiedDomain(model.state, org, domain);
      const claimed = await claimDomain(store, domain, org);
      model.script.push((this.described = `${org} verifies ${domain}`));
      if (claimed !== outcome.outcome)
        throw new Error(`${this.described}: expected ${outcome.outcome}, got ${claimed}`);
      model.state = outcome.state;
      if (claimed === 'taken') return;
      const found = await store.read(org, domain);
      const at = '2026-01-01T00:00:00.000Z';
      if (found) {
        const { missingSince: _cleared, ...kept } = found.value;
        await store.replace({ ...kept, status: 'verified', verifiedOn: at }, found.etag);
      } else
        await store.create({
          tenant: org,
          domain,
          status: 'verified',
          txt: { name: `_atakora.${domain}`, value: 'atakora-verify=model' },
          join: 'off',
          role: 'Member',
          createdOn: at,
          verifiedOn: at,
        });
      return;
    }
    const by = pick(PRINCIPALS, s.p);
    const email = `${by.oid}@example.com`;
    if (s.kind === 'joinable' || s.kind === 'join') {
      const headers = withEmail(by.oid, by.tid, by.roles, s.unverified);
      const how = s.unverified ? ' (e-mail not verified)' : '';
      if (s.kind === 'joinable') {
        const outcome = joinable(model.state, by, email, !s.unverified);
        const actual = await real.call('membership-me-joinable', 'GET', 'me/joinable', by, {
          headers,
        });
        // The model's organizations are named by their ids (MemberCommand creates them so).
        const body = { items: outcome.items.map((i) => ({ ...i, name: i.id })) };
        step(`${by.name} lists what they may join${how}`, { ...outcome.expected, body }, actual);
        return;
      }
      const org = pick(ORGANIZATIONS, s.org);
      const outcome = join(model.state, by, email, !s.unverified, org);
      const actual = await real.call('membership-tenant-join', 'POST', `tenants/${org}/join`, by, {
        headers,
        params: { id: org },
      });
      model.state = outcome.state;
      step(`${by.name} joins ${org}${how}`, outcome.expected, actual);
      return;
    }
    const org = pick(ORGANIZATIONS, s.org);
    const inOrg = { 'x-atakora-tenant': org };
    if (s.kind === 'set-join') {
      const domain = pick(DOMAINS, s.domain);
      const [mode, role] = [pick(JOINS, s.join), pick(JOIN_ROLES, s.role)];
      const outcome = setJoin(model.state, by, org, domain, mode, role);
      const actual = await real.call('membership-domain', 'PATCH', `tenant/domains/${domain}`, by, {
        headers: inOrg,
        params: { domain },
        body: { join: mode, role },
      });
      model.state = outcome.state;
      step(`${by.name} sets ${domain} of ${org} to ${mode} as ${role}`, outcome.expected, actual);
      return;
    }
    if (s.kind === 'race') {
      await this.race(s, model, real);
      return;
    }
    const requester = pick(PRINCIPALS, s.requester);
    const how = s.approve ? 'approve' : 'decline';
    const outcome = answer(model.state, by, org, requester.oid, s.approve);
    const actual = await real.call(
      `membership-join-request-${how}`,
      'POST',
      `tenant/join-requests/${requester.oid}/${how}`,
      by,
      { headers: inOrg, params: { id: requester.oid } },
    );
    model.state = outcome.state;
    step(`${by.name} ${how}s ${requester.name}'s request to join ${org}`, outcome.expected, actual);
  }

  /**
   * A removal and a join of the same person at once, where the removal is due to stand (the person a member, the
   * remover an Owner, not the last): the removal 204 and the person barred, the join refused in either order — 409
   * `already-a-member` when it reached the store first, 403 `member-barred` after — never a membership.
   */
  private async race(
    s: Extract<JoinSpec, { kind: 'race' }>,
    model: ModelSide,
    real: RealApp,
  ): Promise<void> {
    const [by, target] = [pick(PRINCIPALS, s.p), pick(PRINCIPALS, s.target)];
    const org = pick(ORGANIZATIONS, s.org);
    const removal = changeMember(model.state, by, org, target.oid, undefined);
    const described = `${by.name} removes ${target.name} from ${org} while ${target.name} joins it`;
    this.described = described;
    if (removal.expected.status !== 204 || by.oid === target.oid) {
      model.script.push(`${described} (skipped: no removal to race)`);
      return;
    }
    model.script.push(described);
    const [removed, joined] = await Promise.all([
      real.call('membership-member', 'DELETE', `tenant/members/${target.oid}`, by, {
        params: { userId: target.oid },
        headers: { 'x-atakora-tenant': org },
      }),
      real.call('membership-tenant-join', 'POST', `tenants/${org}/join`, target, {
        headers: withEmail(target.oid, target.tid, target.roles, false),
        params: { id: org },
      }),
    ]);
    const first = join(model.state, target, `${target.oid}@example.com`, true, org).expected;
    const after = join(removal.state, target, `${target.oid}@example.com`, true, org).expected;
    const diff =
      difference(removal.expected, removed) ??
      (difference(first, joined) && difference(after, joined)
        ? `the join answered ${String(joined.status)} ${joined.text.slice(0, 200)}, where ` +
          `${JSON.stringify(first)} (before the removal) or ${JSON.stringify(after)} (after it)`
        : undefined);
    if (diff)
      throw new Error(`${described}: ${diff}\nthe run's requests:\n  ${model.script.join('\n  ')}`);
    model.state = removal.state;
  }
}
