import { globalDnsName } from '../../kit/pure/names/azure-name-rules.js';
import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';

/**
 * Service Bus list prices, USD, eastus, Linux-independent, as recorded 2026-11 from
 * https://azure.microsoft.com/pricing/details/service-bus/: Standard's base charge per hour (it includes the
 * first 13 million operations a month), Premium per messaging unit-hour. Basic bills per operation only
 * ($0.05 per million), which a plan cannot know: 0 here, like the other per-use prices.
 */
export const SERVICEBUS_PRICES = {
  standardBasePerHour: 0.0135,
  premiumPerMessagingUnitHour: 0.928,
} as const;

/**
 * Service Bus's facts: data-holding (messages in queues and topics), a global DNS name, its Private Link
 * target — Premium only: "This feature is supported with the premium tier of Azure Service Bus"
 * (https://learn.microsoft.com/azure/service-bus-messaging/private-link-service) — diagnostics and prices.
 */
export const serviceBusFacts = defineResourceFacts({
  dataHolding: true,
  terraformTypes: {
    data: ['azurerm_servicebus_namespace', 'azurerm_servicebus_queue', 'azurerm_servicebus_topic'],
    globalName: ['azurerm_servicebus_namespace'],
  },
  // Microsoft.ServiceBus/namespaces: 6-50, alphanumerics and hyphens, start with a letter, end with a letter
  // or number; global
  // (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftservicebus).
  name: globalDnsName(6, 50),
  privateLink: {
    targets: [{ subresource: 'namespace', zone: 'privatelink.servicebus.windows.net' }],
    when: (config) => config['sku'] === 'Premium',
  },
  // Service Bus namespaces support the allLogs category group and AllMetrics
  // (https://learn.microsoft.com/azure/service-bus-messaging/monitor-service-bus-reference).
  diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
  resourceProviders: [registeredByAzurerm('Microsoft.ServiceBus', 'azurerm_servicebus_')],
  sample: {
    requirements: [
      {
        resourceType: 'servicebus',
        config: { sku: 'Standard', queues: [{ name: 'jobs' }], topics: [{ name: 'events' }] },
      },
    ],
  },
  price: {
    model:
      'Basic: per operation (0 here); Standard: the base charge all month; Premium: one messaging unit all month',
    sources: ['https://azure.microsoft.com/pricing/details/service-bus/'],
  },
  // azurerm v4.55.0 servicebus_namespace_resource.go, CustomizeDiff: "cannot migrate a namespace from or to
  // Premium SKU" → ForceNew on sku.
  forcesNew: (path, before, after) =>
    path[0] === 'sku' && (before === 'Premium') !== (after === 'Premium'),
});
