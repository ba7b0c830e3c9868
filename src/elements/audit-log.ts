/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { AUDIT_ACTIONS, AUDIT_VIAS, type AuditEntry } from '../contract/audit.js';
import type { MyTenant } from '../contract/member-shapes.js';
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import type { AuditListOptions } from '../client/types.js';
import { AtakoraElement } from './base.js';
import { connectionOf } from './connection.js';
import { type Child, h } from './dom.js';
import { auditFilterForm, type AuditFilter, auditTable } from './audit-table.js';
import { inOrganization, plansOnce, type UpgradeRoute, upgradeRoute } from './membership.js';
import { may } from './rules.js';
import { hasFeature, lockedPart } from './section.js';

interface Data {
  readonly org: MyTenant;
  readonly plans: readonly PlanOffer[];
  /** The page (undefined: not readable, or the plan lacks `audit`). */
  readonly page?: { readonly items: readonly AuditEntry[]; readonly next: string | null };
  readonly locked?: boolean;
  /** How the locked part's Owner changes the plan (membership.ts `upgradeRoute`). */
  readonly route?: UpgradeRoute;
}

/** At most this many entries in one export (the CLI's `atakora tenant audit --export` takes them all). */
const EXPORT_MAX = 10_000;

/**
 * `<atakora-audit-log>`: the organization's audit log (`GET api/tenant/audit`, Owners and Admins; docs/tenants.md)
 * newest first, a page at a time (`page-size`, default 25) — filtered by action, door and target, Next and Previous,
 * and Export (the filtered entries as a JSON file, at most 10,000; the `atakora-audit-export` event, cancelable,
 * carries them first). A Member is told who may read it; a plan without `audit` shows the plans that have it and,
 * for an Owner, the upgrade.
 *
 * @example
 * ```html
 * <atakora-audit-log page-size="50"></atakora-audit-log>
 * ```
 */
export class AtakoraAuditLog extends AtakoraElement<Data> {
  static override get observedAttributes(): string[] {
    return ['lang', 'page-size'];
  }
  #filter: AuditFilter = {};
  /** The tokens of the pages before this one (Previous pops one); the current page's own token last. */
  #trail: (string | undefined)[] = [];
  #after: string | undefined;

  protected heading(): string {
    return this.t('auditLog');
  }

  get #pageSize(): number {
    const n = Number(this.getAttribute('page-size') ?? 25);
    return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 25;
  }

  #options(after: string | undefined, first = this.#pageSize): AuditListOptions {
    return {
      first,
      ...(after ? { after } : {}),
      filter: this.#filter as AuditListOptions['filter'],
    };
  }

  protected async load(): Promise<Data> {
    const org = await inOrganization();
    if (!may('audit:list', org.roles)) return { org, plans: [] };
    const { client } = await connectionOf();
    const [tenant, { items: plans }] = await Promise.all([client.tenant(), plansOnce()]);
    if (!hasFeature(tenant.features, 'audit'))
      return { org, plans, locked: true, route: await upgradeRoute(org.roles, plans, tenant) };
    const page = await client.tenant.audit(this.#options(this.#after)).page();
    return { org, plans, page: { items: page.items, next: page.continuationToken } };
  }

  protected view(data: Data): Child[] {
    if (data.locked)
      return [
        lockedPart(this.section(), {
          title: this.t('auditLog'),
          feature: 'audit',
          plans: data.plans,
          owner: may('billing:checkout', data.org.roles),
          ...(data.route ? { route: data.route } : {}),
        }),
      ];
    const page = data.page;
    if (!page) return [h('p', { part: 'empty' }, this.t('auditOwners'))];
    const go = (after: string | undefined, back: boolean) => {
      if (back) this.#after = this.#trail.pop();
      else {
        this.#trail.push(this.#after);
        this.#after = after;
      }
      this.#show();
    };
    return [
      auditFilterForm(this.section(), {
        filter: this.#filter,
        actions: AUDIT_ACTIONS,
        vias: AUDIT_VIAS,
        apply: (filter) => {
          this.#filter = filter;
          this.#trail = [];
          this.#after = undefined;
          this.#show();
        },
      }),
      page.items.length
        ? auditTable(this.section(), page.items)
        : h('p', { part: 'empty' }, this.t('noEntries')),
      h(
        'nav',
        { part: 'paging', 'aria-label': this.t('pages') },
        this.#trail.length
          ? this.#button('previous', this.t('previousPage'), () => {
              go(undefined, true);
            })
          : null,
        page.next
          ? this.#button('next', this.t('nextPage'), () => {
              go(page.next ?? undefined, false);
            })
          : null,
        page.items.length
          ? this.#button('export', this.t('export'), () => void this.#export())
          : null,
      ),
    ];
  }

  /** Read the page again and say how many entries it shows. */
  #show(): void {
    void this.refresh().then(() => {
      if (this.data?.page)
        this.announce(this.t('entriesShown', { count: this.data.page.items.length }));
    });
  }

  #button(key: string, label: string, onclick: () => void): HTMLElement {
    return h('button', { type: 'button', part: 'button', 'data-key': key, onclick }, label);
  }

  /** Every entry the filter matches (up to EXPORT_MAX), as a JSON file the browser downloads. */
  async #export(): Promise<void> {
    const entries: AuditEntry[] = [];
    const ok = await this.act(async () => {
      const { client } = await connectionOf();
      for await (const e of client.tenant.audit(this.#options(undefined, 1000))) {
        entries.push(e);
        if (entries.length >= EXPORT_MAX) break;
      }
    });
    const event = new CustomEvent('atakora-audit-export', {
      detail: { entries },
      bubbles: true,
      cancelable: true,
    });
    if (!ok) return;
    this.announce(this.t('exported', { count: entries.length }));
    if (!this.dispatchEvent(event)) return;
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(entries, null, 2)], { type: 'application/json' }),
    );
    const a = h('a', {
      href: url,
      download: `audit-${this.data?.org.id ?? 'log'}.json`,
      hidden: true,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  }
}
