/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import type { Tenant } from '../contract/tenants.js';
import type { TenantBillingView } from '../contract/tenant-billing.js';
import { AtakoraElement } from './base.js';
import { connectionOf } from './connection.js';
import { type Child, h, uid } from './dom.js';
import { checkoutRefused, inOrganization, plansOnce } from './membership.js';
import { may } from './rules.js';

interface Data {
  readonly org: MyTenant;
  readonly tenant: Tenant;
  readonly plans: readonly PlanOffer[];
  readonly billing?: TenantBillingView;
}

/**
 * `<atakora-plan>`: the organization's plan (`GET api/tenant`) — its features, each feature of the other plans it
 * lacks with the plans that have it, its seats and items against the plan's limits (`over` marked) — and every
 * plan as a package (`GET api/plans`). An Owner gets Upgrade on each plan Checkout sells (`POST
 * api/tenant/billing/checkout`: the browser goes to Stripe; the `atakora-checkout` event, cancelable, carries the
 * URL first) and Manage billing while subscribed (the Customer Portal); an organization billed through Azure
 * Marketplace says so instead. Admins and Members see the plan, not the buttons.
 *
 * @example
 * ```html
 * <atakora-plan></atakora-plan>
 * ```
 */
export class AtakoraPlan extends AtakoraElement<Data> {
  protected heading(): string {
    return this.t('plan');
  }

  protected async load(): Promise<Data> {
    const org = await inOrganization();
    const { client } = await connectionOf();
    const [tenant, { items: plans }] = await Promise.all([client.tenant(), plansOnce()]);
    // Owners and Admins read the subscription (for the portal); a backend without subscriptions serves no route.
    const sold = plans.some((p) => p.checkout);
    const billing =
      sold && may('billing:read', org.roles)
        ? await client.billing.get().catch(() => undefined)
        : undefined;
    return { org, tenant, plans, ...(billing ? { billing } : {}) };
  }

  protected view(data: Data): Child[] {
    const { tenant, plans } = data;
    const current = plans.find((p) => p.name === tenant.plan);
    const owner = may('billing:checkout', data.org.roles);
    const marketplace = tenant.billedThrough === 'marketplace';
    // Checkout only where the route opens one: while a subscription lives it answers 409 `subscription-exists` (one
    // subscription an organization, billing-checkout.ts, the same life table) — the portal changes the plan then.
    const checkout = owner && !marketplace && !checkoutRefused(data.billing?.subscription);
    return [
      h(
        'p',
        { part: 'current', 'data-plan': tenant.plan },
        h('strong', {}, this.t('planName', { name: tenant.plan })),
      ),
      marketplace ? h('p', { part: 'marketplace' }, this.t('marketplace')) : null,
      this.#features(data, current, checkout),
      this.#limits(data, current),
      this.#plans(data, checkout),
      owner && !marketplace && data.billing?.subscription
        ? h(
            'p',
            {},
            h(
              'button',
              {
                type: 'button',
                part: 'button',
                'data-key': 'portal',
                onclick: () =>
                  void this.openBilling(async () => (await connectionOf()).client.billing.portal()),
              },
              this.t('portal'),
            ),
          )
        : null,
    ];
  }

  #features(data: Data, current: PlanOffer | undefined, owner: boolean): HTMLElement {
    const have = new Set(data.tenant.features ?? current?.features ?? []);
    const others = [...new Set(data.plans.flatMap((p) => p.features))]
      .filter((f) => !have.has(f))
      .sort();
    const heading = uid('atk-features');
    return h(
      'section',
      { 'aria-labelledby': heading, part: 'features' },
      h('h3', { id: heading }, this.t('features')),
      have.size
        ? h(
            'ul',
            { part: 'list' },
            ...[...have]
              .sort()
              .map((f) => h('li', { part: 'item', 'data-feature': f, 'data-included': 'true' }, f)),
          )
        : h('p', { part: 'empty' }, this.t('noFeatures')),
      others.length
        ? h(
            'ul',
            { part: 'list', 'aria-label': this.t('notInPlan') },
            ...others.map((f) => {
              const withIt = data.plans.filter((p) => p.features.includes(f));
              // The smallest step up: of the plans Checkout sells with it, the one with the fewest features.
              const upgrade = owner
                ? withIt
                    .filter((p) => p.checkout)
                    .sort((a, b) => a.features.length - b.features.length)[0]
                : undefined;
              return h(
                'li',
                { part: 'item', 'data-feature': f, 'data-included': 'false' },
                h(
                  'span',
                  { class: 'atk-grow' },
                  f,
                  ' ',
                  h(
                    'span',
                    { class: 'atk-muted' },
                    `${this.t('notInPlan')} · ${this.t('inPlans', { plans: withIt.map((p) => p.name).join(', ') })}`,
                  ),
                ),
                upgrade ? this.#upgrade(upgrade, `feature-${f}`) : null,
              );
            }),
          )
        : null,
    );
  }

  #limits(data: Data, current: PlanOffer | undefined): HTMLElement | null {
    if (!current) return null;
    const over = new Set(data.tenant.over ?? []);
    const counts = data.tenant.counts;
    const line = (key: string, label: string, used: number | undefined, limit: number | null) =>
      h(
        'li',
        { part: 'item', 'data-limit': key, 'data-over': over.has(key) ? 'true' : 'false' },
        h('span', { class: 'atk-grow' }, label),
        h(
          'span',
          {},
          used === undefined
            ? limit === null
              ? this.t('unlimited')
              : String(limit)
            : this.t('usedOf', { used, limit: limit === null ? this.t('unlimited') : limit }),
        ),
        over.has(key) ? h('span', { class: 'atk-over', part: 'over' }, this.t('over')) : null,
      );
    const heading = uid('atk-limits');
    return h(
      'section',
      { 'aria-labelledby': heading, part: 'limits' },
      h('h3', { id: heading }, this.t('limits')),
      h(
        'ul',
        { part: 'list' },
        line('members', this.t('seats'), counts?.members, current.seats),
        ...Object.entries(current.items).map(([api, limit]) =>
          line(`items.${api}`, api, counts?.items[api], limit),
        ),
      ),
      over.size ? h('p', { class: 'atk-over', part: 'over' }, this.t('overNote')) : null,
    );
  }

  #plans(data: Data, owner: boolean): HTMLElement {
    const heading = uid('atk-plans');
    return h(
      'section',
      { 'aria-labelledby': heading, part: 'plans' },
      h('h3', { id: heading }, this.t('plans')),
      h(
        'ul',
        { part: 'list' },
        ...data.plans.map((p) => {
          const isCurrent = p.name === data.tenant.plan;
          const price =
            p.price === null
              ? this.t('noPrice')
              : this.t(p.perSeat ? 'perSeatMonth' : 'perMonth', { price: p.price });
          return h(
            'li',
            { part: 'item', 'data-plan': p.name, 'aria-current': isCurrent ? 'true' : undefined },
            h(
              'span',
              { class: 'atk-grow' },
              h('strong', {}, p.name),
              isCurrent ? ` (${this.t('current')})` : '',
              ' ',
              h(
                'span',
                { class: 'atk-muted' },
                [
                  price,
                  p.trialDays ? this.t('trial', { days: p.trialDays }) : '',
                  `${this.t('seats')}: ${p.seats ?? this.t('unlimited')}`,
                  p.features.join(', '),
                ]
                  .filter(Boolean)
                  .join(' · '),
              ),
            ),
            owner && p.checkout && !isCurrent ? this.#upgrade(p, `plan-${p.name}`) : null,
          );
        }),
      ),
    );
  }

  #upgrade(p: PlanOffer, key: string): HTMLElement {
    return h(
      'button',
      {
        type: 'button',
        class: 'atk-primary',
        part: 'button primary',
        'data-key': key,
        'data-upgrade': p.name,
        onclick: () =>
          void this.openBilling(async () => (await connectionOf()).client.billing.checkout(p.name)),
      },
      this.t('upgradeTo', { name: p.name }),
    );
  }
}
