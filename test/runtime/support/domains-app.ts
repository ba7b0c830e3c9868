// The runtime of an organizations backend with verified domains, as the domain and join tests run it: the local
// Cosmos DB with the registry's containers, a DNS stand-in the domains are proven through, the app's functions
// registered into `fns`.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions } from '@azure/functions';
import type { RuntimeAuth, RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../../src/runtime/audit/audit-store.js';
import { txtResolverOf } from '../../../src/runtime/members/domains/domain-dns.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { type DnsStandIn, startDnsStandIn } from '../../support/dns-standin.js';
import { noteEntity } from './entities.js';
import { type LocalCosmos, startLocalCosmos } from './local-cosmos.js';

export interface DomainsApp {
  readonly cosmos: LocalCosmos;
  readonly dns: DnsStandIn;
  readonly members: Container;
  readonly tenants: Container;
  readonly audit: Container;
}

/** Start it; the caller stops `dns` and `cosmos`. */
export async function startDomainsApp(
  fns: Map<string, HttpFunctionOptions>,
  policy: RuntimeAuth,
): Promise<DomainsApp> {
  const cosmos = await startLocalCosmos();
  const dns = await startDnsStandIn();
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  const container = await cosmos.container(noteEntity.componentId, '/tenantId');
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'orgs',
    entities: [noteEntity],
    auth: policy,
  };
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: () => container,
    caller: policy,
    members: { resolveTxt: txtResolverOf(dns.server) },
    audit: { store: cosmosAuditStore(audit) },
  });
  return { cosmos, dns, members, tenants, audit };
}
