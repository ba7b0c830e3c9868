import {
  MARKETPLACE_FUNCTIONS,
  MARKETPLACE_LANDING_ROUTE,
  MARKETPLACE_WEBHOOK_ROUTE,
} from '../../model/marketplace.js';
import type { RuntimeEventEntry } from '../http/event-log.js';
import { activationBaselineOf } from '../marketplace/activation-baseline.js';
import { createMarketplaceLanding } from '../marketplace/marketplace-landing.js';
import { createMarketplaceWebhook } from '../marketplace/marketplace-webhook.js';
import { marketplaceApiOf } from '../marketplace/marketplace-wiring.js';
import { registerMeteringTimer } from '../marketplace/metering-timer.js';
import { cosmosPurchaseClaims } from '../marketplace/purchase-claims.js';
import type { AppServices } from './app-services.js';
import { countedWebhook } from './counted-webhook.js';
import type { AddRoute, FunctionRegistrar, RegisterDeps } from './register-deps.js';

/**
 * With `tenants.billing.marketplace` on an organization registry (DESIGN §2, "Sold on Azure Marketplace beside
 * Stripe"): the landing page (`api/marketplace/landing`: anonymous to App Service, signing the buyer in itself), the
 * webhook (`api/marketplace/webhook`: anonymous to App Service and to the pipeline — its bearer token is its admission;
 * counted once under `anonymous`, never limited) and the metering timer. Records written here are forgotten by this
 * instance's registry cache; every other instance reads them within 30 s.
 *
 * @example
 * ```ts
 * registerMarketplace(app, deps, appServices(manifest, deps), add);
 * ```
 */
export function registerMarketplace(
  fns: FunctionRegistrar,
  deps: RegisterDeps,
  app: AppServices,
  add: AddRoute,
): void {
  const policy = deps.caller;
  const registry = policy?.registry;
  const members = app.members;
  const database = app.registryDatabase;
  if (
    !policy ||
    !registry?.marketplace ||
    !registry.membership ||
    !app.admin ||
    !members ||
    !database
  )
    return;
  // One JSON line each (as contextEventLogger writes them), on the console the Functions host collects: the landing
  // page's and the webhook's lines come from inside a request's stages, which hand no invocation context down.
  const log = (line: Record<string, unknown>) => {
    const entry: RuntimeEventEntry = {
      component: 'runtime',
      operation: 'marketplace',
      outcome: typeof line['outcome'] === 'string' ? line['outcome'] : 'progress',
      ...line,
    };
    if (entry.outcome === 'failed') console.error(JSON.stringify(entry));
    else console.log(JSON.stringify(entry));
  };
  const api = marketplaceApiOf({
    registry,
    admin: app.admin,
    members,
    claims: cosmosPurchaseClaims(database.container(registry.membership.container), deps.cosmos),
    forget: (tenant) => app.registry?.forget(tenant),
    log,
    audit: app.services.audit,
    activationBaseline: activationBaselineOf(app.services.meter),
    ...(deps.marketplace?.env ? { env: deps.marketplace.env } : {}),
    ...(deps.marketplace?.client ? { client: deps.marketplace.client } : {}),
    ...(deps.marketplace?.now ? { now: deps.marketplace.now } : {}),
  });
  if (!api) return;
  add(
    MARKETPLACE_FUNCTIONS.landing,
    MARKETPLACE_LANDING_ROUTE,
    createMarketplaceLanding(policy, api, app.services),
    { host: ['GET'], listed: ['GET'] },
  );
  add(
    MARKETPLACE_FUNCTIONS.webhook,
    MARKETPLACE_WEBHOOK_ROUTE,
    countedWebhook(createMarketplaceWebhook(api), policy, app.services),
    { host: ['POST'], listed: ['POST'] },
  );
  registerMeteringTimer(fns, api, database.container(registry.usage));
}
