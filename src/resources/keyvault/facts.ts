import { globalDnsName } from '../../kit/pure/names/azure-name-rules.js';
import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/** Key Vault's facts: data-holding (its secrets), a global DNS name, its Private Link target. */
export const keyVaultFacts = defineResourceFacts({
  dataHolding: true,
  terraformTypes: { data: ['azurerm_key_vault'], globalName: ['azurerm_key_vault'] },
  // Microsoft.KeyVault/vaults: 3-24, alphanumerics and hyphens, start with a letter; global.
  name: globalDnsName(3, 24),
  privateLink: { targets: [{ subresource: 'vault', zone: 'privatelink.vaultcore.azure.net' }] },
  diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
  resourceProviders: [registeredByAzurerm('Microsoft.KeyVault', 'azurerm_key_vault')],
  sample: {
    requirements: [{ resourceType: 'keyvault', config: { secrets: ['api-key'], access: 'read' } }],
  },
  price: {
    model: 'no monthly fee (operations bill per 10,000): 0',
    sources: ['https://azure.microsoft.com/pricing/details/key-vault/'],
  },
});
