import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/** Static Web Apps' facts: no data of their own; the name is not global (Azure assigns the host). */
export const staticSiteFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Web/staticSites: 1-40, alphanumerics and hyphens.
  name: { min: 1, max: 40, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  resourceProviders: [registeredByAzurerm('Microsoft.Web', 'azurerm_static_web_app')],
  sample: { requirements: [{ resourceType: 'staticsite', config: {} }] },
  price: {
    model: 'Free or Standard plan per app (staticsite/type.ts)',
    sources: ['https://azure.microsoft.com/pricing/details/app-service/static/'],
  },
});
