/**
 * What Owners do with their organization, as commands of the membership model (owners.model.test.ts): rename it,
 * delete it, undelete it, list one's organizations, days passing on the run's clock and the daily erase run through
 * the timer the app registered — each on the reference model (src/access/model/owner-states.ts) and the real runtime,
 * answers compared. A command reads as what it sends (`bob deletes org-one`).
 */
import {
  DAY_MS,
  deleted,
  eraseDue,
  MAX_NAME,
  myOrganizations,
  renamed,
  undeleted,
} from '../../src/access/model/owner-states.js';
import { joinByDirectory, joinOwnDirectory } from '../../src/access/model/directory.js';
import type { Expected } from '../../src/access/model/model-state.js';
import { ORGANIZATION_ERASE_FUNCTION } from '../../src/contract/members.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import type { Reply } from '../runtime/support/http.js';
import { ORGANIZATIONS, PRINCIPALS } from './backend.js';
import type { ModelSide } from './commands.js';
import type { RealApp } from './real-app.js';
import { ScriptedCommand } from './scripted-command.js';

/** The names a rename sends: two valid (one to trim), an empty one and one too long (400 `validation`). */
export const NAMES = ['Acme', '  Globex  ', '   ', 'x'.repeat(MAX_NAME + 1)] as const;
/**
 * How far the run's clock may move (days): under the invitations' 7-day lifetime, which the model leaves out (an
 * invitation expires only by its use or its inviter's loss of the right to send it).
 */
export const MAX_DAYS = 6;
/** The registry's cache bound (30 s): after an erase the clock moves past it, as the tenants model does. */
const CACHE_MS = 30_000;

/** One generated Owner command (principals and organizations by index). */
export type OwnerSpec =
  | { readonly kind: 'rename'; readonly p: number; readonly org: number; readonly name: number }
  | { readonly kind: 'delete'; readonly p: number; readonly org: number }
  | { readonly kind: 'undelete'; readonly p: number; readonly org: number }
  | { readonly kind: 'mine'; readonly p: number }
  /** `days` days pass (the run's clock: the runtime's registry, members and erase read it). */
  | { readonly kind: 'days'; readonly days: number }
  /** The daily erase timer runs now. */
  | { readonly kind: 'erase' };

/** The run's clock, shared by the model's commands and the runtime (`registryCache.now`). */
export interface RunClock {
  readonly start: number;
  now: number;
}

const CLOCKS = new WeakMap<ModelSide, RunClock>();
/** Give the run (its model side) its clock: every Owner command reads it. */
export function runsOn(model: ModelSide, clock: RunClock): void {
  CLOCKS.set(model, clock);
  model.clock = clock;
}

/** One Owner command, model and runtime side by side. */
export class OwnerCommand extends ScriptedCommand<OwnerSpec> {
  async run(model: ModelSide, real: RealApp): Promise<void> {
    const s = this.spec;
    const clock = CLOCKS.get(model);
    if (!clock) throw new Error('an Owner command needs the run’s clock (runsOn)');
    const step = (described: string, expected: Expected, actual: Reply) =>
      this.step(model, described, expected, actual);
    if (s.kind === 'days') {
      if (clock.now + s.days * DAY_MS - clock.start > MAX_DAYS * DAY_MS) return;
      clock.now += s.days * DAY_MS;
      // Days pass: every instance's once-a-second flush of its counts has run (the erase finds them in the ledger).
      const registry = real.policy.registry;
      if (registry) await boundUsageMeter(registry)?.flush();
      // A new UTC day: each organization's invitation e-mails count from zero.
      model.state = { ...model.state, emailsSent: new Map() };
      this.described = `${String(s.days)} day(s) pass`;
      model.script.push(this.described);
      return;
    }
    if (s.kind === 'erase') {
      const outcome = eraseDue(model.backend, model.state, clock.now);
      const line = await real.runTimer(ORGANIZATION_ERASE_FUNCTION);
      model.state = outcome.state;
      // The registry's cache may answer for a record up to its bound: the clock moves past it (never waited for).
      clock.now += CACHE_MS + 1;
      const erased = ((line?.['erased'] as { tenant: string }[] | undefined) ?? [])
        .map((e) => e.tenant)
        .sort();
      const expected = { status: 200, body: { outcome: 'done', erased: outcome.erased } };
      const actual = {
        outcome: line?.['outcome'],
        erased,
        ...(line?.['message'] === undefined ? {} : { message: line['message'] }),
      };
      step(`the erase runs (${JSON.stringify(outcome.erased)} due)`, expected, {
        status: 200,
        body: actual,
        text: JSON.stringify(actual),
      } as Reply);
      return;
    }
    const by = PRINCIPALS[s.p % PRINCIPALS.length]!;
    if (s.kind === 'mine') {
      // The page's first call runs the first join (a linked directory's user sees its organization at once).
      model.state = joinOwnDirectory(model.state, by);
      const expected = myOrganizations(model.state, by);
      const actual = await real.call('membership-me-tenants', 'GET', 'me/tenants', by, {
        query: { $first: '50' },
      });
      step(`${by.name} lists their organizations`, expected, sortedTenants(actual));
      return;
    }
    const org = ORGANIZATIONS[s.org % ORGANIZATIONS.length]!;
    const headers = { 'x-atakora-tenant': org };
    if (s.kind === 'undelete') {
      const outcome = undeleted(model.state, by, org, clock.now);
      const actual = await real.call('membership-tenant-undelete', 'POST', 'tenant/undelete', by, {
        headers,
      });
      model.state = outcome.state;
      step(`${by.name} undeletes ${org}`, outcome.expected, actual);
      return;
    }
    // A request to the organization: a linked directory's user joins it first.
    model.state = joinByDirectory(model.state, by, org);
    if (s.kind === 'delete') {
      const days = model.backend.deleteAfterDays ?? 30;
      const outcome = deleted(model.state, by, org, clock.now, days);
      const actual = await real.call('tenant-self', 'DELETE', 'tenant', by, { headers });
      model.state = outcome.state;
      step(`${by.name} deletes ${org}`, outcome.expected, actual);
      return;
    }
    const name = NAMES[s.name % NAMES.length]!;
    const outcome = renamed(model.state, by, org, name);
    const actual = await real.call('tenant-self', 'PATCH', 'tenant', by, {
      body: { name },
      headers,
    });
    model.state = outcome.state;
    step(
      `${by.name} renames ${org} ${JSON.stringify(name.slice(0, 12))}`,
      outcome.expected,
      actual,
    );
  }
}

/** `GET api/me/tenants`'s page with its items by id and each one's roles sorted (the model's order). */
function sortedTenants(reply: Reply): Reply {
  if (reply.status !== 200) return reply;
  const items = (reply.body.items as { id: string; roles: string[] }[])
    .map((t) => ({ ...t, roles: [...t.roles].sort() }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const body = { ...reply.body, items };
  return { ...reply, body, text: JSON.stringify(body) };
}
