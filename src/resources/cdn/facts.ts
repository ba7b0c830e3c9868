import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';

/** Front Door's facts: no data; endpoint names are global. */
export const cdnFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Cdn/profiles: 1-260; endpoints (global) 1-50.
  name: { min: 1, max: 50, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
  // azurerm registers every namespace here itself (its `legacy` set, internal/resourceproviders/required.go@v4.55.0).
  // A custom domain's TXT token goes into an Azure DNS zone (Microsoft.Network/dnszones).
  resourceProviders: [
    { namespace: 'Microsoft.Cdn', terraformTypes: ['azurerm_cdn_'], registeredByAzurerm: true },
    { namespace: 'Microsoft.Network', terraformTypes: ['azurerm_dns_'], registeredByAzurerm: true },
  ],
  sample: {
    requirements: [
      { resourceType: 'staticsite', config: {} },
      { resourceType: 'cdn', config: {} },
    ],
  },
  price: {
    model: 'Front Door Standard/Premium base fee per profile (cdn/type.ts)',
    sources: ['https://azure.microsoft.com/pricing/details/frontdoor/'],
  },
});
