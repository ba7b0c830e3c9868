import type { NormalizedConfig } from '../model/config.js';
import { LANDING_SECRET } from '../model/marketplace.js';
import type { PlanMarketplace, PlannedResource } from '../model/plan.js';
import {
  createsLandingRegistration,
  landingNames,
  marketplaceUrls,
} from '../kit/pure/marketplace-landing.js';
import { compare } from '../kit/pure/resources/merge-strategies.js';

/**
 * Microsoft's standard store service fee: "We charge a 3% standard store service fee when customers purchase your
 * transact offer from the commercial marketplace" (Learn, "Commercial marketplace transact capabilities").
 */
export const STORE_SERVICE_FEE_PERCENT = 3;

/**
 * The plan's Marketplace part (`ResourcePlan.marketplace`), or undefined without `tenants.billing.marketplace`: the
 * URLs of the Function App that runs the CRUD runtime (its planned name: `tgtxxx` until apply fills the token, as every
 * endpoint of the plan), the publisher tenant and fulfillment app to name in Partner Center, the landing sign-in the
 * stack registers, the secrets to set and what selling there costs — nothing Azure bills (the landing page, the webhook
 * and one timer run in the app already planned; the registration is free), 3% of what buyers pay kept by Microsoft.
 *
 * @example
 * ```ts
 * marketplacePlan(resources, config)?.webhookUrl; // 'https://func-saas-prod-tgtxxx.azurewebsites.net/api/marketplace/webhook'
 * ```
 */
export function marketplacePlan(
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlanMarketplace | undefined {
  const m = config.tenants?.billing?.marketplace;
  if (!m) return undefined;
  const host = resources
    .filter((r) => r.type === 'functions' && r.config['crudRuntime'] === true)
    .sort((a, b) => compare(a.key, b.key))[0];
  const urls = marketplaceUrls(
    host ? `https://${host.name}.azurewebsites.net` : 'https://<function app>',
  );
  const landing = createsLandingRegistration(config);
  const meters = Object.keys(m.dimensions ?? {});
  return {
    offer: m.offer,
    landingPageUrl: urls.landingPageUrl,
    webhookUrl: urls.webhookUrl,
    tenantId: m.publisherTenantId,
    applicationId: m.clientId,
    landingSignIn: landing
      ? {
          registration: landingNames(config.backendId).application,
          signInAudience: 'AzureADandPersonalMicrosoftAccount',
          redirectUri: urls.redirectUri,
        }
      : null,
    plans: { ...m.plans },
    dimensions: { ...m.dimensions },
    secrets: [m.secret, ...(landing ? [LANDING_SECRET] : [])],
    storeServiceFeePercent: STORE_SERVICE_FEE_PERCENT,
    notes: [
      `Partner Center → the offer → Technical configuration: Landing page URL ${urls.landingPageUrl}, Connection ` +
        `webhook ${urls.webhookUrl}, Microsoft Entra tenant ID ${m.publisherTenantId}, Microsoft Entra application ID ` +
        `${m.clientId}.`,
      `Set the fulfillment app's client secret: atakora secret set <entry> ${m.secret}` +
        (landing
          ? `; and a client secret of the landing sign-in registration: atakora secret set <entry> ${LANDING_SECRET}.`
          : '.'),
      'Azure cost: none of its own — the landing page, the webhook and the hourly metering timer run in the Function ' +
        `App already planned; the registration is free. Microsoft keeps a ${String(STORE_SERVICE_FEE_PERCENT)}% ` +
        'store service fee on what buyers pay through the Marketplace.',
      meters.length > 0
        ? `Metered per hour above each plan's included quantity: ${meters
            .map((k) => `${k} → ${String(m.dimensions?.[k as keyof typeof m.dimensions])}`)
            .join(', ')}.`
        : "No usage is metered (no dimensions): only the plans' fees are billed.",
    ],
  };
}
