import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/** The network's facts: no data; the VNet's name is per resource group. */
export const networkFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Network/virtualNetworks: 2-64.
  name: { min: 2, max: 64, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  resourceProviders: [
    registeredByAzurerm(
      'Microsoft.Network',
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_subnet_',
      'azurerm_network_security_group',
      'azurerm_private_',
      'azurerm_dns_',
    ),
  ],
  sample: {
    requirements: [{ resourceType: 'storage', config: { containers: ['uploads'] } }],
    backend: { networking: { mode: 'isolated', privateEndpoints: true } },
  },
  price: {
    model:
      'private endpoints per hour and private DNS zones per month (network/type.ts NETWORK_PRICES)',
    sources: [
      'https://azure.microsoft.com/pricing/details/private-link/',
      'https://azure.microsoft.com/pricing/details/dns/',
    ],
  },
});
