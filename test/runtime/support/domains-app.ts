// The runtime of an organizations backend with verified domains, as the domain and join tests run it: the local
// Cosmos DB with the registry's containers, a DNS stand-in the domains are proven through, the app's functions
// registered into `fns`.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions } from '@azure/functions';
import type { RuntimeAuth } from '../../../src/model/runtime-manifest.js';
import { txtResolverOf } from '../../../src/runtime/members/domains/domain-dns.js';
import { type DnsStandIn, startDnsStandIn } from '../../../src/testing/dns-standin.js';
import { type LocalCosmos, startLocalCosmos } from './local-cosmos.js';
import { registerOrganizationsApp } from './organizations-app.js';

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
  const { members, tenants, audit } = await registerOrganizationsApp(cosmos, fns, policy, {
    members: { resolveTxt: txtResolverOf(dns.address) },
  });
  return { cosmos, dns, members, tenants, audit };
}
