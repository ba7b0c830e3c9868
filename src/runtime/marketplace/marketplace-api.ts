import type { RuntimeMarketplace, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { ActivationBaseline } from './activation-baseline.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { MembersApi } from '../members/members-api.js';
import type { MarketplaceClient } from './marketplace-port.js';
import type { PurchaseClaims } from './purchase-claims.js';
import type { TokenVerdict } from './webhook-token.js';

/**
 * What the landing page, the webhook and the metering export share, made once at start (routes/marketplace-wiring.ts):
 * the offer, the registry and its records, the members (an organization's Owners), the purchases' claims, Marketplace
 * through the fulfillment app's secret (read from the app settings on each use: a rotated secret holds from the next
 * call), the webhook's token check, this instance's registry cache, a clock and the runtime's logger.
 */
export interface MarketplaceApi {
  readonly marketplace: RuntimeMarketplace;
  readonly registry: RuntimeTenantRegistry;
  readonly admin: RegistryAdminStore;
  readonly members: MembersApi;
  readonly claims: PurchaseClaims;
  /** Marketplace with this deadline per call; undefined when the secret is unset or an unresolved reference. */
  client(timeoutMs: number): MarketplaceClient | undefined;
  verifyToken(authorization: string | null): Promise<TokenVerdict>;
  /** Forget `tenant` in this instance's registry cache (the others hold at most 30 s). */
  forget(tenant: string): void;
  now(): Date;
  /** One line of the runtime's log (a refused token's reason: never answered, always logged). */
  log(line: Record<string, unknown>): void;
  readonly audit?: AuditLog | undefined;
  /** The usage of the hour of an activation so far, written with it (activation-baseline.ts); none without a ledger. */
  readonly activationBaseline?: ActivationBaseline | undefined;
}

/** The landing page's calls: resolve, activate, get subscription (each ≤ 8 s; the buyer waits in a browser). */
export const LANDING_CALL_MS = 8_000;
/** The webhook's calls: get operation and its PATCH, each ≤ 3 s, inside Microsoft's 10 s (a token ≤ 3 s more). */
export const WEBHOOK_CALL_MS = 3_000;
