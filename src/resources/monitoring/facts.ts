import { defineResourceFacts } from '../../kit/pure/resource-facts.js';

/** Monitoring's facts: telemetry is not treated as data the guard protects; names are per resource group. */
export const monitoringFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: {},
  // Microsoft.Insights/components and OperationalInsights/workspaces: 4-63 (workspace), hyphens ok.
  name: { min: 4, max: 63, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  price: { model: 'an assumed 1 GB of telemetry per Function App after the free 5 GB, plus metric alerts', sources: ['https://azure.microsoft.com/pricing/details/monitor/'] },
});
