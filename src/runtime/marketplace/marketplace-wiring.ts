import { marketplaceBases, settingSecret } from '../../model/marketplace.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { MembersApi } from '../members/members-api.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { ActivationBaseline } from './activation-baseline.js';
import type { MarketplaceApi } from './marketplace-api.js';
import { marketplaceHttp } from './marketplace-http.js';
import type { MarketplaceClient } from './marketplace-port.js';
import type { PurchaseClaims } from './purchase-claims.js';
import { webhookTokenVerifier } from './webhook-token.js';

/**
 * The Marketplace wiring at start, or undefined without `registry.marketplace`: the fulfillment app's secret read from
 * the app settings on each use (a rotated secret holds from the next call; a client is made again only when it
 * changed), Marketplace and the publisher tenant at `ATAKORA_MARKETPLACE_API` when set (a stand-in), else Microsoft's;
 * `client` a test's own Marketplace.
 *
 * @example
 * ```ts
 * const api = marketplaceApiOf({ registry, admin, members, claims, forget: (t) => cache.forget(t), log });
 * ```
 */
export function marketplaceApiOf(w: {
  readonly registry: RuntimeTenantRegistry;
  readonly admin: RegistryAdminStore;
  readonly members: MembersApi;
  readonly claims: PurchaseClaims;
  readonly forget: (tenant: string) => void;
  readonly log: (line: Record<string, unknown>) => void;
  readonly audit?: AuditLog | undefined;
  readonly activationBaseline?: ActivationBaseline | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly client?: MarketplaceClient;
  readonly now?: () => Date;
}): MarketplaceApi | undefined {
  const marketplace = w.registry.marketplace;
  if (!marketplace) return undefined;
  const env = w.env ?? process.env;
  const bases = () => marketplaceBases(env);
  const clients = new Map<string, MarketplaceClient>();
  let verifier: { login: string; check: ReturnType<typeof webhookTokenVerifier> } | undefined;
  return {
    marketplace,
    registry: w.registry,
    admin: w.admin,
    members: w.members,
    claims: w.claims,
    audit: w.audit,
    activationBaseline: w.activationBaseline,
    forget: w.forget,
    log: w.log,
    now: w.now ?? (() => new Date()),
    client(timeoutMs) {
      if (w.client) return w.client;
      const secret = settingSecret(env[marketplace.secret]);
      if (!secret) return undefined;
      const { api, login } = bases();
      const key = `${String(timeoutMs)}|${api}|${login}|${secret}`;
      let c = clients.get(key);
      if (!c) {
        // A rotated secret replaces its clients (the old one's token is never asked for again).
        for (const k of clients.keys()) if (!k.endsWith(`|${secret}`)) clients.delete(k);
        c = marketplaceHttp({
          api,
          login,
          tenantId: marketplace.publisherTenantId,
          clientId: marketplace.clientId,
          secret,
          timeoutMs,
        });
        clients.set(key, c);
      }
      return c;
    },
    verifyToken(authorization) {
      const { login } = bases();
      if (verifier?.login !== login)
        verifier = {
          login,
          check: webhookTokenVerifier({
            login,
            publisherTenantId: marketplace.publisherTenantId,
            clientId: marketplace.clientId,
          }),
        };
      return verifier.check(authorization);
    },
  };
}
