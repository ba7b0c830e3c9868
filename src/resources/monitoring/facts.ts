import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/** Monitoring's facts: telemetry is not treated as data the guard protects; names are per resource group. */
export const monitoringFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Insights/components and OperationalInsights/workspaces: 4-63 (workspace), hyphens ok.
  name: { min: 4, max: 63, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  resourceProviders: [
    registeredByAzurerm('microsoft.insights', 'azurerm_application_insights', 'azurerm_monitor_'),
    registeredByAzurerm('Microsoft.OperationalInsights', 'azurerm_log_analytics_'),
  ],
  sample: {
    requirements: [{ resourceType: 'functions', config: { runtime: 'node', functionCount: 1 } }],
    backend: { monitoring: true },
  },
  price: {
    model:
      'ingestion of the traces kept at monitoring.samplingPercentage, at an assumed 1,000,000 requests a month per Function App, after the free 5 GB; plus metric alerts',
    sources: ['https://azure.microsoft.com/pricing/details/monitor/'],
  },
});
