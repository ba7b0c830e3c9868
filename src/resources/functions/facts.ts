import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';
import { FUNCTION_APP_DIAGNOSTICS } from '../../kit/pure/resources/function-app-monitoring.js';

/** The seeds' "Total functions < 200" sharing rule for one Function App. */
export const AZURE_FUNCTIONS_PER_APP = 200;

/** Function Apps' facts: no data of their own, a global host name, the inbound Private Link target. */
export const functionsFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {
    globalName: ['azurerm_linux_function_app', 'azurerm_function_app_flex_consumption'],
  },
  // Microsoft.Web/sites: 2-60, alphanumerics and hyphens, not starting/ending with hyphen; global.
  name: { min: 2, max: 60, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  // The Function App's inbound endpoint: its public access is off in isolated mode.
  privateLink: { targets: [{ subresource: 'sites', zone: 'privatelink.azurewebsites.net' }] },
  diagnostics: () => [FUNCTION_APP_DIAGNOSTICS],
  resourceProviders: [
    registeredByAzurerm(
      'Microsoft.Web',
      'azurerm_linux_function_app',
      'azurerm_function_app_flex_consumption',
      'azurerm_service_plan',
    ),
    registeredByAzurerm('Microsoft.Storage', 'azurerm_storage_'),
  ],
  sample: {
    requirements: [{ resourceType: 'functions', config: { runtime: 'node', functionCount: 1 } }],
  },
  price: {
    model:
      "Y1/FC1: the seeds' ~$13/month assumption per app; Elastic Premium and Dedicated: one instance all " +
      'month (./prices.ts)',
    sources: [
      'https://azure.microsoft.com/pricing/details/functions/',
      'https://azure.microsoft.com/pricing/details/app-service/linux/',
    ],
  },
  limits: [
    // The opted-in SCIM app (tenants.scimApp) is one more Function App of the backend's.
    { limit: 'maxFunctionApps', what: 'Function Apps', measure: 'count', alsoCounts: ['scim'] },
    {
      limit: 'maxFunctionsPerApp',
      what: 'functions per Function App',
      azure: AZURE_FUNCTIONS_PER_APP,
      measure: (r) => [{ requested: Number(r.config['functionCount'] ?? 0), where: r.name }],
    },
  ],
});
