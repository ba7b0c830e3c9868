import type { HttpResponseInit } from '@azure/functions';
import type { MarketplaceLink } from '../../contract/marketplace/marketplace-link.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import { problemResponse } from '../http/response.js';
import type { Buyer } from './buyer-organization.js';
import { organizationClosed, organizationOpen } from '../members/life/organization-open.js';
import type { MarketplaceApi } from './marketplace-api.js';
import type { MarketplaceClient, SaasSubscription } from './marketplace-port.js';
import {
  organizationGone,
  otherMarketplaceBills,
  reinstated,
  stripeBills,
  suspendedByBilling,
} from './organization-billing.js';

const channelTaken = () =>
  problemResponse(
    'billing-channel-taken',
    'This organization is billed by another subscription (Stripe, or another Marketplace purchase): an organization ' +
      'is billed by one channel. Open the landing page again without organization (a new organization) or with ' +
      'another organization you own, or cancel the other subscription first and open it again.',
  );

/** Write `next` over the version `etag` names: the record written, or undefined when it changed meanwhile. */
async function written(
  api: MarketplaceApi,
  next: TenantRecord,
  etag: string,
): Promise<{ record: TenantRecord; etag: string } | undefined | 'missing'> {
  const w = await api.admin.replace(next, etag);
  return w === 'changed' ? undefined : w;
}

/**
 * Link the purchase `sub` to `organization` and activate it (DESIGN §2): the organization must be live and billed by
 * no other channel (409 `billing-channel-taken`); the link is written first (status as Marketplace has it), then — only
 * while Marketplace still waits (`PendingFulfillmentStart`) — `POST …/activate` with the purchased plan and quantity
 * ("The customer won't be billed unless this API call is successful", Learn), then the record on the mapped `plan`
 * with the subscription's status and term. A refused activation (400: activated meanwhile, by a landing page that
 * stopped before writing) is read back with Get Subscription. Opened again, a purchase already Subscribed is never
 * activated twice. Undefined when done; an error answer otherwise (nothing activated behind it).
 *
 * @example
 * ```ts
 * const refused = await linkAndActivate(api, client, 'acme-k3x9qa', sub, 'pro', buyer);
 * ```
 */
export async function linkAndActivate(
  api: MarketplaceApi,
  client: MarketplaceClient,
  organization: string,
  sub: SaasSubscription,
  plan: string,
  buyer: Buyer,
): Promise<HttpResponseInit | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(organization);
    if (!tagged || organizationGone(tagged.record))
      return problemResponse(
        'marketplace-purchase-claimed',
        `The organization this purchase is linked to (${organization}) is gone; nothing changed.`,
      );
    const record = tagged.record;
    const link = record.marketplace;
    // The first channel holds: reopened ("Manage account"), a purchase linked here keeps its organization even when
    // the operator gave it a Stripe customer since (that customer waits, unmetered: billing-channel.ts).
    const linkedHere = link?.subscriptionId.toLowerCase() === sub.id.toLowerCase();
    // An organization its Owner deleted (after the claim) gets no new purchase: nothing linked, nothing activated.
    if (!linkedHere && !organizationOpen(record)) return organizationClosed(organization);
    if (stripeBills(record, linkedHere) || otherMarketplaceBills(record, sub.id))
      return channelTaken();
    if (!linkedHere) {
      const first: MarketplaceLink = {
        subscriptionId: sub.id,
        offerId: sub.offerId,
        planId: sub.planId,
        status: sub.status,
        ...(sub.quantity !== undefined ? { quantity: sub.quantity } : {}),
      };
      const w = await written(
        api,
        { ...record, marketplace: first, updatedOn: api.now().toISOString() },
        tagged.etag,
      );
      if (w === 'missing') continue;
      if (!w) continue;
      return settle(api, client, organization, w, sub, plan, buyer, true);
    }
    return settle(api, client, organization, tagged, sub, plan, buyer, false);
  }
  return problemResponse(
    'marketplace-unavailable',
    'The organization changed too often meanwhile; try again.',
    {
      headers: { 'Retry-After': '5' },
    },
  );
}

/**
 * Activate when Marketplace waits, then put the record on the plan and status Marketplace has (once). The
 * organization's suspension follows the subscription's only when this link is new or the subscription's status
 * changed since the record last said it: a purchase reopened from "Manage account" never undoes what the operator
 * decided since (the webhook carries every change of status).
 */
async function settle(
  api: MarketplaceApi,
  client: MarketplaceClient,
  organization: string,
  tagged: { record: TenantRecord; etag: string },
  resolved: SaasSubscription,
  plan: string,
  buyer: Buyer,
  fresh: boolean,
): Promise<HttpResponseInit | undefined> {
  let current: SaasSubscription | undefined = resolved;
  let activated = false;
  if (resolved.status === 'PendingFulfillmentStart') {
    const answer = await client.activate(resolved.id, {
      planId: resolved.planId,
      ...(resolved.quantity !== undefined ? { quantity: resolved.quantity } : {}),
    });
    activated = answer === 'activated';
    current = await client.subscription(resolved.id);
    if (
      !current ||
      current.status === 'PendingFulfillmentStart' ||
      current.status === 'Unsubscribed'
    )
      return problemResponse(
        'marketplace-unavailable',
        'Azure Marketplace did not activate the subscription; nothing was billed. Open the landing page again.',
        { headers: { 'Retry-After': '30' } },
      );
  } else if (resolved.term === undefined)
    current = (await client.subscription(resolved.id)) ?? resolved;
  const activation =
    tagged.record.marketplace?.activatedOn === undefined &&
    current.status !== 'PendingFulfillmentStart'
      ? await activationOf(api, organization)
      : undefined;
  for (let attempt = 0, t = tagged; attempt < 5; attempt++) {
    const link = t.record.marketplace as MarketplaceLink;
    const nextLink: MarketplaceLink = {
      ...link,
      planId: current.planId,
      status: current.status,
      ...(current.quantity !== undefined ? { quantity: current.quantity } : {}),
      ...(current.term ? { term: current.term } : {}),
      ...(link.activatedOn === undefined && activation ? activation : {}),
    };
    const mapped = api.marketplace.plans[current.planId] ?? plan;
    const follow = fresh || link.status !== current.status;
    const statusOf = !follow
      ? (r: TenantRecord) => r
      : current.status === 'Suspended'
        ? suspendedByBilling
        : reinstated;
    const next: TenantRecord = {
      ...statusOf({ ...t.record, plan: mapped }),
      marketplace: nextLink,
    };
    if (same(next, t.record)) return undefined;
    const w = await written(api, { ...next, updatedOn: api.now().toISOString() }, t.etag);
    if (w === 'missing') return undefined;
    if (w) {
      api.forget(organization);
      await recordAudit(api, {
        tenant: organization,
        actor: {
          id: buyer.userId,
          ...(buyer.email !== undefined ? { email: buyer.email } : {}),
          via: 'api',
        },
        action: 'organization.billing-changed',
        target: organization,
        changes: {
          channel: 'marketplace',
          subscriptionId: resolved.id,
          plan: mapped,
          status: current.status,
          ...(activated ? { activated: true } : {}),
        },
      });
      return undefined;
    }
    const again = await api.admin.read(organization);
    if (!again) return undefined;
    t = again;
    // Another write landed meanwhile — Microsoft's webhook, whose calls may come as soon as the subscription is active,
    // while this landing waited for the hour's usage: the subscription as Get Subscription answers it now, read after
    // the record, decides, never the one read before (an ended one is the webhook's to apply).
    current = (await client.subscription(resolved.id)) ?? current;
    if (current.status === 'Unsubscribed') return undefined;
  }
  return undefined;
}

/**
 * The activation's stamp and, in the same write, its hour's usage so far (activation-baseline.ts): the export bills
 * that hour less it, so its usage before the activation (a trial on our side, the landing's first requests) is neither
 * billed nor counted against the included quantity. Unread (no ledger, the ledger unavailable), none is written and
 * the export bills from the next hour — the rule that never bills usage before the activation.
 */
async function activationOf(
  api: MarketplaceApi,
  organization: string,
): Promise<Pick<MarketplaceLink, 'activatedOn' | 'activationHourBaseline'>> {
  const at = api.now();
  let baseline: MarketplaceLink['activationHourBaseline'];
  try {
    baseline = await api.activationBaseline?.(organization, at);
  } catch (e) {
    api.log({
      outcome: 'baseline_unread',
      tenant: organization,
      message: `The usage of the hour of activation was not read (${e instanceof Error ? e.message : String(e)}): that hour is not billed.`,
    });
  }
  return {
    activatedOn: at.toISOString(),
    ...(baseline ? { activationHourBaseline: baseline } : {}),
  };
}

/** Whether the record already says all of it (a purchase reopened from "Manage account"): nothing to write. */
const same = (a: TenantRecord, b: TenantRecord): boolean =>
  a.plan === b.plan &&
  a.status === b.status &&
  a.suspendedBy === b.suspendedBy &&
  JSON.stringify(a.marketplace) === JSON.stringify(b.marketplace);
