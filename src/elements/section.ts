/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What the enterprise, audit-log and agents elements build their parts from: the element's words and actions handed
// to a part's builder (one file per part), a button that acts (asking first when it destroys), and a feature the
// organization's plan lacks told honestly — the plans that have it, and for an Owner the upgrade.
import type { PlanOffer } from '../contract/plans/plan-offers.js';
import { type Child, h, uid } from './dom.js';
import type { UpgradeRoute } from './membership.js';

/** An element's words and actions, as a part's builder uses them (AtakoraElement.section()). */
export interface Section {
  t(key: string, values?: Readonly<Record<string, string | number | undefined>>): string;
  date(iso: string | undefined): string;
  /** The element's locale (`lang`). */
  locale(): string;
  /**
   * Run an action: its problem shown (its field errors on the controls of `fields`, the form or control that sent
   * them), its success announced, the data read again.
   */
  act(run: () => Promise<unknown>, done?: string, fields?: HTMLElement): Promise<boolean>;
  /** Ask in a modal dialog; true when confirmed. */
  confirm(text: string, action: string): Promise<boolean>;
  /** Start Checkout on `plan` (an Owner's). */
  upgrade(plan: string): void;
  /** Open the Customer Portal (an Owner's, while a subscription lives). */
  portal(): void;
}

/** What {@link actionButton} takes. */
export interface ActionOptions {
  readonly label: string;
  /** The accessible name when the label alone is ambiguous in a list (`Revoke the token ci`). */
  readonly aria?: string;
  /** Keeps the focus on it across a re-render (`data-key`). */
  readonly key: string;
  readonly kind?: 'primary' | 'danger';
  /** Ask this first (what destroys). */
  readonly confirm?: string;
  readonly run: () => Promise<unknown>;
  readonly done?: string;
}

/**
 * A button that acts: confirmed first when `confirm` is given, then run through the element's `act`.
 *
 * @example
 * ```ts
 * actionButton(section, { label: 'Verify', key: 'verify-contoso.com', run: () => verify(), done: 'Verified.' });
 * ```
 */
export function actionButton(s: Section, o: ActionOptions): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      part: o.kind ? `button ${o.kind}` : 'button',
      class: o.kind ? `atk-${o.kind}` : undefined,
      'data-key': o.key,
      'aria-label': o.aria,
      onclick: async () => {
        if (o.confirm && !(await s.confirm(o.confirm, o.label))) return;
        await s.act(o.run, o.done);
      },
    },
    o.label,
  );
}

/**
 * Whether the organization's plan has `feature` (`GET api/tenant`'s `features`; absent: no plan lists features, so
 * every plan has every feature — model/plans/plan-features.ts).
 *
 * @example
 * ```ts
 * hasFeature(['audit'], 'scim'); // false
 * hasFeature(undefined, 'scim'); // true
 * ```
 */
export function hasFeature(features: readonly string[] | undefined, feature: string): boolean {
  return features === undefined || features.includes(feature);
}

/**
 * A part whose feature the plan lacks: its heading, what it is not in, the plans that have it and, for an Owner,
 * Upgrade to the smallest of those Checkout sells — or Manage billing (the portal) while a subscription lives, whose
 * Checkout the route refuses (409 `subscription-exists`) — (else, to others, that an Owner can upgrade).
 *
 * @example
 * ```ts
 * lockedPart(section, { title: 'SCIM provisioning', feature: 'scim', plans, owner: true });
 * ```
 */
export function lockedPart(
  s: Section,
  o: {
    readonly title: string;
    readonly feature: string;
    readonly plans: readonly PlanOffer[];
    readonly owner: boolean;
    /**
     * How the plan changes (membership.ts `upgradeRoute`): Checkout (the default); the portal while a subscription
     * lives; in Azure for a Marketplace-billed organization, where no Stripe control is offered.
     */
    readonly route?: UpgradeRoute;
  },
): HTMLElement {
  const withIt = o.plans.filter((p) => p.features.includes(o.feature));
  const upgrade = o.owner
    ? withIt.filter((p) => p.checkout).sort((a, b) => a.features.length - b.features.length)[0]
    : undefined;
  const heading = uid('atk-locked');
  const note: Child = withIt.length
    ? s.t('inPlans', { plans: withIt.map((p) => p.name).join(', ') })
    : s.t('inNoPlan');
  const subscribed = o.route === 'portal';
  return h(
    'section',
    { 'aria-labelledby': heading, part: 'locked', 'data-feature': o.feature },
    h('h3', { id: heading }, o.title),
    h('p', {}, `${s.t('notInPlan')} · `, note),
    o.route === 'marketplace' && o.owner
      ? h('p', { part: 'marketplace' }, s.t('marketplace'))
      : upgrade
        ? h(
            'button',
            {
              type: 'button',
              class: 'atk-primary',
              part: 'button primary',
              ...(subscribed
                ? { 'data-key': `portal-${o.feature}` }
                : { 'data-key': `upgrade-${o.feature}`, 'data-upgrade': upgrade.name }),
              onclick: () => {
                if (subscribed) s.portal();
                else s.upgrade(upgrade.name);
              },
            },
            subscribed ? s.t('portal') : s.t('upgradeTo', { name: upgrade.name }),
          )
        : !o.owner && withIt.some((p) => p.checkout)
          ? h('p', { class: 'atk-muted' }, s.t('askOwner'))
          : null,
  );
}

/** A part's frame: a labelled section with its heading. */
export function part(name: string, title: string, ...children: Child[]): HTMLElement {
  const heading = uid(`atk-${name}`);
  return h(
    'section',
    { 'aria-labelledby': heading, part: name },
    h('h3', { id: heading }, title),
    ...children,
  );
}
