import { defineResourceFacts } from '../../kit/pure/resource-facts.js';

/** The network's facts: no data; the VNet's name is per resource group. */
export const networkFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Network/virtualNetworks: 2-64.
  name: { min: 2, max: 64, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  price: {
    model: 'private endpoints per hour and private DNS zones per month (network/type.ts NETWORK_PRICES)',
    sources: ['https://azure.microsoft.com/pricing/details/private-link/', 'https://azure.microsoft.com/pricing/details/dns/'],
  },
});
