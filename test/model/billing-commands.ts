/**
 * The commands of the subscriptions model (billing.model.test.ts): an organization's billing and Owner routes called
 * by its members and an outsider, what customers do in Stripe (the stand-in, its signed webhooks applied by the
 * runtime), the operator, days passing and the erase timer — each run on the reference (billing-reference.ts) and on
 * the real app (billing-app.ts), answers, the stored record and the webhook's audit lines compared.
 */
import type fc from 'fast-check';
import { expect } from 'vitest';
import { ORGANIZATION_ERASE_FUNCTION } from '../../src/contract/members.js';
import { organizationLifeOf } from '../../src/model/lives/organization-life.js';
import { invoke } from '../runtime/support/http.js';
import { actingAs, type BillingApp, operator, RETURN_URL } from './billing-app.js';
import { eraseTenant } from '../../src/cli/tenant/erase.js';
import { recordCliAudit } from '../../src/cli/tenant/audit/audit-data.js';
import {
  afterCheckoutPaid,
  afterCliErase,
  afterDelete,
  afterErase,
  afterOperator,
  afterSubscription,
  afterUndelete,
  type BillingRoute,
  type BillingState,
  billingAnswer,
  changeable,
  checkoutWithLatePayment,
  DAY_MS,
  type LatePayment,
  type OnCanceled,
  PRICES,
  type Role,
  scheduled,
  type SubscriptionStatus,
  webhookActions,
} from './billing-reference.js';

/** The callers: their roles in the run's organization (null: an Owner of another one). */
export const CALLERS: readonly { readonly user: string; readonly roles: readonly Role[] | null }[] =
  [
    { user: 'ada', roles: ['Owner'] },
    { user: 'bob', roles: ['Admin'] },
    { user: 'mel', roles: ['Member'] },
    { user: 'olga', roles: ['Admin', 'Owner'] },
    { user: 'gus', roles: null },
  ];

/** A page that is not the app's: every call says it comes from there (the return URLs must not follow it). */
const HOSTILE_ORIGIN = 'https://attacker.example';

/** The run's side: the app, its `onCanceled`, a tally of answers (`ATAKORA_MODEL_STATS=1`). */
export interface BillingRun {
  readonly app: BillingApp;
  readonly onCanceled: OnCanceled;
  readonly tally: (k: string) => void;
}

/**
 * The model's side: the organization, the Checkouts opened (their plans) and the one still payable (a new one expires
 * those before it; a delete expires it), the lines of the run.
 */
export interface Model {
  state: BillingState;
  opened: { id: string; plan: string }[];
  payable: string | undefined;
  /** A Checkout paid while Stripe's events could not be delivered (billing-late-commands.ts). */
  late?: LatePayment | undefined;
  readonly script: string[];
}
/** The real side: the run's own organization (fresh each run: no cache holds it) and its display name. */
export interface Real {
  readonly org: string;
  readonly name: string;
  readonly run: BillingRun;
}
type Command = fc.AsyncCommand<Model, Real>;

const ROUTES: Record<BillingRoute, [string, 'GET' | 'POST', string]> = {
  checkout: ['atakora-tenant-billing-checkout', 'POST', 'tenant/billing/checkout'],
  portal: ['atakora-tenant-billing-portal', 'POST', 'tenant/billing/portal'],
  billing: ['atakora-tenant-billing', 'GET', 'tenant/billing'],
  tenant: ['tenant-self', 'GET', 'tenant'],
};

const problemOf = (body: Record<string, unknown> | undefined) =>
  String(body?.['type'] ?? '').replace('urn:atakora:problem:', '') || undefined;

const headers = (who: number, org: string) => ({
  ...actingAs(CALLERS[who]!.user, org),
  origin: HOSTILE_ORIGIN,
  referer: `${HOSTILE_ORIGIN}/billing`,
});

type StoredRecord = Record<string, unknown> & {
  plan?: string;
  status?: string;
  deleteOn?: string;
  billing?: {
    stripeCustomerId?: string;
    subscription?: { id: string; status: string; cancelAtPeriodEnd?: boolean };
  };
};

const stored = async (r: Real): Promise<StoredRecord> => {
  const { resource } = await r.run.app.tenants.item(r.org, r.org).read<StoredRecord>();
  return Object.fromEntries(
    Object.entries(resource ?? {}).filter(([k]) => !k.startsWith('_')),
  ) as StoredRecord;
};

/** After a change: the stored record is the model's — a tombstone and nothing else once erased. */
export async function sameRecord(m: Model, r: Real): Promise<void> {
  await r.run.app.standIn.settled();
  const rec = await stored(r);
  const where = `the run's commands:\n  ${m.script.join('\n  ')}`;
  if (m.state.life === 'erased') {
    expect(Object.keys(rec).sort(), `a tombstone: ${JSON.stringify(rec)}\n${where}`).toEqual([
      'erasedOn',
      'id',
      'status',
    ]);
    expect(rec.status, where).toBe('erased');
    return;
  }
  const sub = rec.billing?.subscription;
  expect(
    {
      plan: rec.plan,
      life: organizationLifeOf(rec),
      deleteOn: rec.status === 'suspended' ? (rec.deleteOn ?? null) : null,
      status: sub?.status ?? null,
      scheduled: sub?.cancelAtPeriodEnd === true,
      customer: rec.billing?.stripeCustomerId ?? null,
    },
    where,
  ).toEqual({
    plan: m.state.plan,
    life: m.state.life,
    deleteOn:
      m.state.life === 'deleted' && m.state.deleteOn !== undefined
        ? new Date(m.state.deleteOn).toISOString()
        : null,
    status: m.state.subscription?.status ?? null,
    scheduled: m.state.subscription?.scheduled ?? false,
    customer: m.state.customer ?? null,
  });
}

/** The organization's audit entries the webhook wrote (`actor.via: 'webhook'`), by id. */
async function webhookEntries(r: Real): Promise<Map<string, string>> {
  const { resources } = await r.run.app.audit.items
    .query<{ id: string; action: string }>({
      query: "SELECT c.id, c.action FROM c WHERE c.tenant = @t AND c.actor.via = 'webhook'",
      parameters: [{ name: '@t', value: r.org }],
    })
    .fetchAll();
  return new Map(resources.map((e) => [e.id, e.action]));
}

/**
 * Run a change in Stripe (`act`), then check the record and that the webhook audited exactly what changed: the
 * model's `webhookActions` between the state before and after.
 */
export async function inStripe(
  m: Model,
  r: Real,
  described: string,
  act: () => Promise<BillingState>,
): Promise<void> {
  m.script.push(described);
  await r.run.app.standIn.settled();
  const before = m.state;
  const seen = await webhookEntries(r);
  m.state = await act();
  await sameRecord(m, r);
  const added = [...(await webhookEntries(r))]
    .filter(([id]) => !seen.has(id))
    .map(([, action]) => action);
  expect(
    [...new Set(added)].sort(),
    `the webhook's audit lines after ${described}\nthe run's commands:\n  ${m.script.join('\n  ')}`,
  ).toEqual(webhookActions(before, m.state));
}

/** A billing route or `GET api/tenant` called by one of the callers, from a hostile page. */
export class CallCommand implements Command {
  constructor(
    readonly who: number,
    readonly route: BillingRoute,
    readonly plan: string,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const caller = CALLERS[this.who]!;
    m.script.push(this.toString());
    const [name, method, path] = ROUTES[this.route];
    const body = this.route === 'checkout' ? { plan: this.plan } : undefined;
    const got = await r.run.app.standIn.settled().then(() =>
      invoke(r.run.app.handler(name), method, path, {
        headers: headers(this.who, r.org),
        ...(body ? { body } : {}),
      }),
    );
    // A Checkout paid whose events are late is read back and linked by the next one (checkoutWithLatePayment).
    const late =
      this.route === 'checkout' && m.late
        ? checkoutWithLatePayment(caller.roles, m.state, this.plan, m.late, r.run.onCanceled)
        : undefined;
    const want = late?.answer ?? billingAnswer(this.route, caller.roles, m.state, this.plan);
    r.run.tally(`${this.route} ${String(got.status)}`);
    const where = `the run's commands:\n  ${m.script.join('\n  ')}`;
    expect(
      {
        status: got.status,
        code: problemOf(got.body),
        ...(want.view
          ? {
              view: {
                plan: got.body?.plan,
                status: got.body?.status,
                scheduled: got.body?.subscription?.cancelAtPeriodEnd === true,
              },
            }
          : {}),
      },
      where,
    ).toEqual({
      status: want.status,
      code: want.code,
      ...(want.view ? { view: want.view } : {}),
    });
    if (late?.linked) {
      m.state = late.state;
      m.late = undefined;
      await sameRecord(m, r);
    }
    if (this.route === 'tenant' && got.status === 200) expect(got.body?.name, where).toBe(r.name);
    if (this.route === 'checkout' && got.status === 200) {
      const id = /\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec(String(got.body?.url))?.[1] ?? '';
      const session = r.run.app.standIn.billing.sessions.get(id);
      // The configured page, never the Origin or Referer the request carried.
      expect([session?.['success_url'], session?.['cancel_url']], where).toEqual([
        `${RETURN_URL}?billing=success`,
        `${RETURN_URL}?billing=canceled`,
      ]);
      m.opened.push({ id, plan: this.plan });
      m.payable = id;
    }
    if (this.route === 'portal' && got.status === 200) {
      const id = /\/p\/session\/(bps_[A-Za-z0-9]+)$/.exec(String(got.body?.url))?.[1] ?? '';
      expect(r.run.app.standIn.billing.portals.get(id)?.['return_url'], where).toBe(RETURN_URL);
    }
  }
  toString = () =>
    `${CALLERS[this.who]!.user} ${this.route}${this.route === 'checkout' ? ` ${this.plan}` : ''}`;
}

/** A customer pays a Checkout opened in the run (`pick`: the latest, or an older one a newer one expired). */
export class PayCommand implements Command {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.opened.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const session = m.opened[m.opened.length - 1 - (this.pick % m.opened.length)]!;
    await inStripe(m, r, `pay ${session.plan} (${session.id})`, async () => {
      await r.run.app.standIn.completeCheckout(session.id);
      if (session.id !== m.payable) {
        r.run.tally('pay: expired, nothing changes');
        return m.state;
      }
      m.payable = undefined;
      const customer = String(r.run.app.standIn.billing.sessions.get(session.id)?.['customer']);
      const next = afterCheckoutPaid(m.state, session.plan, customer, r.run.onCanceled);
      r.run.tally(next === m.state ? 'pay: another customer' : 'pay: applied');
      return next;
    });
  }
  toString = () => `pay #${String(this.pick)}`;
}

const subscriptionId = async (r: Real) => String((await stored(r)).billing?.subscription?.id);

/** The subscription changes in Stripe: a status (failed or recovered payment, cancel) or a plan (the portal). */
export class StripeCommand implements Command {
  constructor(readonly change: { status?: SubscriptionStatus; plan?: 'pro' | 'team' }) {}
  check = (m: Readonly<Model>) => changeable(m.state);
  async run(m: Model, r: Real): Promise<void> {
    await inStripe(m, r, this.toString(), async () => {
      const id = await subscriptionId(r);
      const sub = m.state.subscription!;
      if (this.change.plan) {
        await r.run.app.standIn.updateSubscription(id, { price: PRICES[this.change.plan] });
        return afterSubscription(m.state, { ...sub, plan: this.change.plan }, r.run.onCanceled);
      }
      const status = this.change.status!;
      await r.run.app.standIn.updateSubscription(id, { status });
      return afterSubscription(m.state, { ...sub, status }, r.run.onCanceled);
    });
    r.run.tally(`stripe → ${m.state.plan} ${String(m.state.subscription?.status)}`);
  }
  toString = () => `stripe ${JSON.stringify(this.change)}`;
}

/** The subscription's period ends: one set to cancel is canceled, a trial becomes active, any other renews. */
export class PeriodEndCommand implements Command {
  check = (m: Readonly<Model>) => changeable(m.state);
  async run(m: Model, r: Real): Promise<void> {
    await inStripe(m, r, this.toString(), async () => {
      await r.run.app.standIn.endPeriod(await subscriptionId(r));
      const sub = m.state.subscription!;
      if (scheduled(m.state))
        return afterSubscription(m.state, { ...sub, status: 'canceled' }, r.run.onCanceled);
      // A trial is the subscription's first period: its end makes it `active` ("endPeriod ends the trial", the
      // stand-in as Stripe runs trials: docs/billing.md, "Trials"); any other period renews, nothing changes.
      return sub.status === 'trialing'
        ? afterSubscription(m.state, { ...sub, status: 'active' }, r.run.onCanceled)
        : m.state;
    });
  }
  toString = () => 'the period ends';
}

/** Stripe sends the latest event of the run again (a retry, or a replay after the erase): 2xx, nothing changes. */
export class ReplayCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const standIn = r.run.app.standIn;
    const event = standIn.stripeEvents.at(-1);
    if (!event) return;
    await inStripe(m, r, `replay ${event.type}`, async () => {
      const d = await standIn.resend(event.id);
      expect(d.status, `replay of ${event.id}`).toBeLessThan(300);
      return m.state;
    });
  }
  toString = () => 'replay the latest event';
}

/** The operator suspends or resumes the organization (`PATCH api/tenants/{id}` as the TenantAdmin). */
export class OperatorCommand implements Command {
  constructor(readonly suspend: boolean) {}
  check = (m: Readonly<Model>) => m.state.life !== 'erased';
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    const got = await invoke(r.run.app.handler('tenants-admin-item'), 'PATCH', `tenants/${r.org}`, {
      headers: operator(),
      params: { id: r.org },
      body: { status: this.suspend ? 'suspended' : 'active' },
    });
    expect(got.status).toBe(200);
    m.state = afterOperator(m.state, this.suspend);
    await sameRecord(m, r);
  }
  toString = () => `operator ${this.suspend ? 'suspend' : 'resume'}`;
}

/** `DELETE api/tenant` by one of the callers. */
export class DeleteCommand implements Command {
  constructor(readonly who: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    const got = await invoke(r.run.app.handler('tenant-self'), 'DELETE', 'tenant', {
      headers: headers(this.who, r.org),
    });
    const { answer, state } = afterDelete(m.state, CALLERS[this.who]!.roles, r.run.app.clock.now);
    r.run.tally(`delete ${String(got.status)}`);
    expect({ status: got.status, code: problemOf(got.body) }, m.script.join('\n  ')).toEqual({
      status: answer.status,
      code: answer.code,
    });
    if (answer.status === 202) m.payable = undefined;
    m.state = state;
    await sameRecord(m, r);
  }
  toString = () => `${CALLERS[this.who]!.user} deletes`;
}

/** `POST api/tenant/undelete` by one of the callers, naming the run's organization. */
export class UndeleteCommand implements Command {
  constructor(readonly who: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    const got = await invoke(
      r.run.app.handler('membership-tenant-undelete'),
      'POST',
      'tenant/undelete',
      { headers: headers(this.who, r.org) },
    );
    const { answer, state } = afterUndelete(
      m.state,
      CALLERS[this.who]!.roles,
      r.run.app.clock.now,
      r.run.onCanceled,
    );
    r.run.tally(`undelete ${String(got.status)}`);
    expect({ status: got.status, code: problemOf(got.body) }, m.script.join('\n  ')).toEqual({
      status: answer.status,
      code: answer.code,
    });
    m.state = state;
    await sameRecord(m, r);
  }
  toString = () => `${CALLERS[this.who]!.user} undeletes`;
}

/** A day passes on the app's clock (the registry's, the members' and the erase's). */
export class DayCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    r.run.app.clock.now += DAY_MS;
  }
  toString = () => 'a day passes';
}

/** The daily erase timer runs: a deleted organization past `deleteOn` is a tombstone; its audit log keeps one line. */
export class EraseCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    const line = await r.run.app.runTimer(ORGANIZATION_ERASE_FUNCTION);
    // The caches' 30 s bound passes (never waited for): an erased membership is read as gone everywhere.
    r.run.app.clock.now += 31_000;
    const before = m.state;
    m.state = afterErase(m.state, r.run.app.clock.now);
    const erased = ((line?.['erased'] as { tenant: string }[] | undefined) ?? []).map(
      (e) => e.tenant,
    );
    expect(erased.includes(r.org), `${JSON.stringify(line)}\n${m.script.join('\n  ')}`).toBe(
      m.state !== before,
    );
    if (m.state !== before) {
      m.opened = [];
      m.payable = undefined;
      // The log is evidence, kept to its retention and never deleted — read by no one through the API any more:
      // its former Owner and Admin are not members of a tombstone.
      const { resources } = await r.run.app.audit.items
        .query<{ action: string }>({
          query: 'SELECT c.action FROM c WHERE c.tenant = @t ORDER BY c.id DESC',
          parameters: [{ name: '@t', value: r.org }],
        })
        .fetchAll();
      expect(resources[0]?.action, m.script.join('\n  ')).toBe('tenant.erased');
      for (const who of [0, 1]) {
        const got = await invoke(r.run.app.handler('tenant-audit'), 'GET', 'tenant/audit', {
          headers: headers(who, r.org),
        });
        expect([got.status, problemOf(got.body)], m.script.join('\n  ')).toEqual([
          403,
          'not-a-member',
        ]);
      }
    }
    await sameRecord(m, r);
  }
  toString = () => 'the erase runs';
}

/** The operator creates an organization with the run's id (`POST api/tenants`): 409, live or erased. */
export class RecreateCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    const got = await invoke(r.run.app.handler('tenants-admin'), 'POST', 'tenants', {
      headers: operator(),
      body: { id: r.org, name: 'Newcomer' },
    });
    r.run.tally(`recreate ${String(got.status)}`);
    expect({ status: got.status, code: problemOf(got.body) }, m.script.join('\n  ')).toEqual({
      status: 409,
      code: 'conflict',
    });
    await sameRecord(m, r);
  }
  toString = () => 'the operator creates an organization of the same id';
}

/**
 * The operator erases the organization with the CLI (`atakora tenant delete`, in-process on the run's containers):
 * a tombstone whatever its place; a live subscription named on the receipt, left to the operator in Stripe.
 */
export class CliEraseCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.script.push(this.toString());
    // Once erased, the command runs all the same: the tombstone keeps its day, nothing else is there to erase.
    const live = changeable(m.state);
    const receipt = await eraseTenant(r.run.app.target, r.org, { progress: () => undefined });
    await recordCliAudit(
      r.run.app.target,
      r.org,
      [{ action: 'tenant.erased', changes: { ...receipt.items } }],
      () => undefined,
    );
    r.run.app.clock.now += 31_000;
    const where = m.script.join('\n  ');
    expect(receipt.subscriptionLeft !== undefined, where).toBe(live);
    m.state = afterCliErase(m.state);
    m.opened = [];
    m.payable = undefined;
    await sameRecord(m, r);
  }
  toString = () => 'the operator erases it (atakora tenant delete)';
}
