import { defineResourceFacts } from '../../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../../kit/pure/resources/resource-providers.js';
import { functionsFacts } from '../facts.js';

/**
 * The SCIM app's facts: a Function App (no data of its own, a global host name, Function Apps' price) with the
 * Cosmos DB data roles of its identity and, with monitoring, its own diagnostic setting and alerts. Its sample is the
 * smallest membership backend, with monitoring on.
 *
 * @example
 * ```ts
 * scimAppFacts.dataHolding; // false
 * ```
 */
export const scimAppFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {
    globalName: ['azurerm_linux_function_app', 'azurerm_function_app_flex_consumption'],
  },
  name: functionsFacts.name,
  // The serving app's (Microsoft.Web, Microsoft.Storage), and the registry's data roles.
  resourceProviders: [
    ...(functionsFacts.resourceProviders ?? []),
    registeredByAzurerm('Microsoft.DocumentDB', 'azurerm_cosmosdb_sql_role_assignment'),
    // With monitoring: its diagnostic setting and metric alerts (scim-monitoring.ts).
    registeredByAzurerm('microsoft.insights', 'azurerm_monitor_'),
  ],
  sample: {
    requirements: [
      {
        resourceType: 'functions',
        config: { runtime: 'node', functionCount: 1, crudRuntime: true },
      },
      { resourceType: 'cosmos', config: {} },
    ],
    backend: {
      tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free', scimApp: true },
      // Monitoring with its default alerting, so the sample plans the app's diagnostic setting and alerts too.
      monitoring: true,
    },
  },
  price: {
    model:
      "one more Function App on the shared app's plan kind (Y1/FC1: the seeds' ~$13/month assumption; Elastic " +
      'Premium and Dedicated: a plan of its own, one instance all month — ../prices.ts); with monitoring.alerting, ' +
      'its two metric alerts',
    sources: [
      'https://azure.microsoft.com/pricing/details/functions/',
      'https://azure.microsoft.com/pricing/details/app-service/linux/',
      'https://azure.microsoft.com/pricing/details/monitor/',
    ],
  },
  // No `diagnostics`: monitoring, planned before this type, would not list the setting, and at apply its finalize runs
  // before the app exists. The SCIM app makes its own with the serving app's categories (scim-monitoring.ts).
});
