import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { LANDING_PROVIDER } from '../../model/marketplace.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { ORGANIZATION_ID } from '../../contract/members.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { emptyResponse, problemResponse } from '../http/response.js';
import type { AuthorizedContext, RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import { onlyMethod } from '../http/response.js';
import {
  type Buyer,
  ensureBuyerOrganization,
  newOrganizationId,
  ownsOrganization,
} from './buyer-organization.js';
import { LANDING_CALL_MS, type MarketplaceApi } from './marketplace-api.js';
import {
  MarketplaceCallError,
  type MarketplaceClient,
  type ResolvedPurchase,
} from './marketplace-port.js';
import { ownerBound, releaseOwnerHold } from '../members/owners/owner-bound.js';
import { linkAndActivate } from './purchase-link.js';
import { otherMarketplaceBills, stripeBills } from './organization-billing.js';
import type { PurchaseClaim } from './purchase-claims.js';
import { organizationClosed, organizationOpen } from '../members/life/organization-open.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Learn's words for a token that does not resolve ("SaaS fulfillment Subscription APIs v2", Resolve). */
const UNIDENTIFIED =
  "We couldn't identify this purchase. Reopen this SaaS subscription in the Azure portal or in Microsoft 365 admin " +
  'center and select "Configure account" or "Manage account" again.';

const unidentified = (why: string) =>
  problemResponse('marketplace-token-invalid', `${UNIDENTIFIED} (${why})`);

/**
 * `GET api/marketplace/landing?token=<purchase token>`, the offer's landing page (DESIGN §2; Learn, "Build the landing
 * page for your transactable SaaS offer" and "SaaS fulfillment Subscription APIs v2"). Anonymous to App Service: a
 * buyer who is not signed in is sent to the landing sign-in (`/.auth/login/marketplace`, any Entra directory and
 * personal Microsoft accounts) and back here. Signed in, the token is resolved (Marketplace's answer, never the URL,
 * says which subscription, offer and plan), the purchase claimed once for an organization — the buyer's new one, or
 * with `?organization=<id>` one they own — whose Owner the buyer is, linked (one billing channel: never beside a live
 * Stripe subscription or another purchase), activated while Marketplace still waits for it (billing starts then, and
 * only once) on the mapped plan, and the browser sent to the site (`?organization=<id>`). Opened again ("Manage
 * account") it lands on the same organization; another user's second claim of it is 409
 * `marketplace-purchase-claimed`. Nothing is linked or activated behind an error answer.
 *
 * @example
 * ```ts
 * app.http('atakora-marketplace-landing', { route: 'marketplace/landing', methods: ['GET'], handler: createMarketplaceLanding(policy, api, services) });
 * ```
 */
export function createMarketplaceLanding(
  policy: RuntimeAuth,
  api: MarketplaceApi,
  services: RuntimeServices,
): HttpHandler {
  return serve<null>(
    {
      policy,
      anonymous: true,
      withoutTenant: true,
      limitedPerAddress: true,
      route: onlyMethod('GET'),
      handle: (ctx) => land(api, ctx),
    },
    services,
  );
}

async function land(api: MarketplaceApi, ctx: AuthorizedContext<null>): Promise<HttpResponseInit> {
  const url = new URL(ctx.request.url);
  const token = url.searchParams.get('token')?.trim();
  if (!token) return unidentified('no token in the URL');
  const userId = ctx.caller.id;
  // Not signed in: App Service's landing sign-in, then back to this very URL (a relative path: no open redirect).
  if (userId === undefined)
    return emptyResponse(302, {
      Location: `/.auth/login/${LANDING_PROVIDER}?post_login_redirect_uri=${encodeURIComponent(url.pathname + url.search)}`,
      ...NO_STORE,
    });
  const asked = url.searchParams.get('organization') ?? undefined;
  if (asked !== undefined && !ORGANIZATION_ID.test(asked))
    return problemResponse('validation', 'organization must be an organization id.', {
      errors: [{ field: 'organization', code: 'pattern', message: 'an organization id' }],
    });
  const client = api.client(LANDING_CALL_MS);
  if (!client)
    return problemResponse(
      'marketplace-unavailable',
      `App setting ${api.marketplace.secret} must hold the fulfillment app's client secret; nothing changed.`,
      { headers: { 'Retry-After': '30' } },
    );
  const buyer: Buyer = {
    userId,
    ...(ctx.caller.email !== undefined ? { email: ctx.caller.email } : {}),
  };
  try {
    return await landSignedIn(api, client, token, buyer, asked, url);
  } catch (e) {
    const cosmos = cosmosErrorResponse(e, 'the tenant registry');
    if (cosmos) return cosmos;
    if (e instanceof MarketplaceCallError) {
      api.log({ outcome: 'marketplace-call-failed', status: e.status, message: e.message });
      return problemResponse(
        'marketplace-unavailable',
        'Azure Marketplace could not be reached; nothing changed.',
        {
          headers: { 'Retry-After': '30' },
        },
      );
    }
    throw e;
  }
}

async function landSignedIn(
  api: MarketplaceApi,
  client: MarketplaceClient,
  token: string,
  buyer: Buyer,
  asked: string | undefined,
  url: URL,
): Promise<HttpResponseInit> {
  const purchase = await client.resolve(token);
  if (!purchase) return unidentified('Marketplace did not resolve the token');
  const sub = purchase.subscription;
  if (sub.offerId !== api.marketplace.offer) return unidentified('a purchase of another offer');
  if (sub.status === 'Unsubscribed') return unidentified('the subscription is unsubscribed');
  const plan = api.marketplace.plans[sub.planId];
  if (plan === undefined)
    return problemResponse(
      'plan-not-for-sale',
      `The purchased plan ${sub.planId} is not one this service maps (tenants.billing.marketplace.plans); nothing was ` +
        'linked or activated.',
    );
  const held = await holder(api, purchase, buyer, asked);
  if ('response' in held) return held.response;
  const linked = await linkAndActivate(api, client, held.organization, sub, plan, buyer);
  if (linked) return linked;
  return emptyResponse(302, { Location: siteUrl(api, held.organization, url), ...NO_STORE });
}

/** The organization the purchase bills: its claim's, or claimed now for the buyer's asked or new organization. */
async function holder(
  api: MarketplaceApi,
  purchase: ResolvedPurchase,
  buyer: Buyer,
  asked: string | undefined,
): Promise<PurchaseClaim | { response: HttpResponseInit }> {
  const sub = purchase.subscription;
  let claim = await api.claims.claimOf(sub.id);
  // The buyer's own claim of an organization another channel bills, this purchase never linked there (a landing
  // answered 409 `billing-channel-taken`), is given up when they ask for another — a new organization or another they
  // own — as that answer advises; nothing else moves a claim.
  if (
    claim?.claimedBy === buyer.userId &&
    claim.organization !== asked &&
    (await claimedInVain(api, claim.organization, sub.id)) &&
    (await api.claims.release(sub.id, claim.organization))
  )
    claim = undefined;
  if (!claim) {
    if (asked !== undefined && !(await ownsOrganization(api, asked, buyer.userId)))
      return {
        response: problemResponse(
          'access-denied',
          `Only an Owner of ${asked} links a purchase to it.`,
        ),
      };
    // No door into an organization its Owner deleted (DESIGN §2): a purchase is never claimed for one, so nothing is
    // linked or activated — Marketplace would bill an organization waiting to be erased.
    if (asked !== undefined && !organizationOpen((await api.admin.read(asked))?.record))
      return { response: organizationClosed(asked) };
    const wanted: PurchaseClaim = {
      organization: asked ?? (await newOrganizationId(api, purchase.name || api.marketplace.offer)),
      claimedBy: buyer.userId,
      claimedOn: api.now().toISOString(),
    };
    // A new organization is one more the buyer owns (`maxOrganizationsPerUser`, DESIGN §2): counted — its room held
    // — before anything is claimed, so a buyer at the bound claims nothing (409 `organization-limit`).
    const over =
      asked === undefined
        ? await ownerBound(api.members, buyer.userId, true, wanted.organization)
        : undefined;
    if (over) return { response: over };
    const got = await api.claims.claim(sub.id, wanted);
    if (got !== 'claimed' && asked === undefined)
      await releaseOwnerHold(api.members, buyer.userId, wanted.organization);
    claim = got === 'claimed' ? wanted : got;
  }
  // The buyer's own claim of a new organization: made now, or after a landing page that stopped half-way — reopened,
  // it asks the buyer's life there first (a removed buyer is barred, one who left comes in by no door of its own).
  if (claim.claimedBy === buyer.userId && claim.organization !== asked) {
    const refused = await ensureBuyerOrganization(
      api,
      claim.organization,
      purchase.name,
      buyer,
      claim.claimedOn,
    );
    if (refused) return { response: refused };
  }
  if (!(await ownsOrganization(api, claim.organization, buyer.userId)))
    return {
      response: problemResponse(
        'marketplace-purchase-claimed',
        'This purchase is linked to an organization you are no Owner of: ask its Owner to invite you.',
      ),
    };
  return claim;
}

/**
 * Whether `organization` is billed by another channel and holds no link to the purchase `subscriptionId`: a claim of
 * it bills nothing (purchase-link.ts refuses to link it while the other channel lives).
 */
async function claimedInVain(
  api: MarketplaceApi,
  organization: string,
  subscriptionId: string,
): Promise<boolean> {
  const record = (await api.admin.read(organization))?.record;
  if (!record || record.marketplace?.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
    return false;
  // Deleted by its Owner after the claim (linkAndActivate refuses it): as vain as one another channel bills.
  return (
    !organizationOpen(record) ||
    stripeBills(record) ||
    otherMarketplaceBills(record, subscriptionId)
  );
}

/** Where the buyer lands: the site (`tenants.acceptUrl` or the StaticSite), else the API's origin, in the organization. */
function siteUrl(api: MarketplaceApi, organization: string, url: URL): string {
  let page: URL;
  try {
    page = new URL(api.members.sites?.acceptUrl ?? `${url.origin}/`);
  } catch {
    page = new URL(`${url.origin}/`);
  }
  page.hash = '';
  page.search = '';
  page.searchParams.set('organization', organization);
  page.searchParams.set('marketplace', 'subscribed');
  return page.toString();
}
