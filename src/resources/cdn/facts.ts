import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/** Front Door's facts: no data; endpoint names are global. */
export const cdnFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Cdn/profiles: 1-260; endpoints (global) 1-50.
  name: { min: 1, max: 50, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
  // A custom domain's TXT token goes into an Azure DNS zone (Microsoft.Network/dnszones).
  resourceProviders: [
    registeredByAzurerm('Microsoft.Cdn', 'azurerm_cdn_'),
    registeredByAzurerm('Microsoft.Network', 'azurerm_dns_'),
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
