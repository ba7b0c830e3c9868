import { globalDnsName } from '../../kit/pure/names/azure-name-rules.js';
import { defineResourceFacts } from '../../kit/pure/resources/resource-facts.js';
import { registeredByAzurerm } from '../../kit/pure/resources/resource-providers.js';
import type { RealtimeSku } from '../../model/config.js';

/**
 * Web PubSub list prices, USD, eastus, recorded 2026-11 from https://azure.microsoft.com/pricing/details/web-pubsub/:
 * per unit-day by tier, and per million messages beyond those a unit includes. The service bills outbound
 * messages only, in 2 KB steps (Learn, "Billing model for Azure Web PubSub service": "The message count … is
 * defined as the size of outbound traffic (bytes) in 2-KB increments"; messages sent into the service are free).
 */
export const WEBPUBSUB_PRICES = {
  perUnitDay: { Free_F1: 0, Standard_S1: 1.61, Premium_P1: 2 } satisfies Record<
    RealtimeSku,
    number
  >,
  perMillionMessages: 1,
} as const;

/**
 * What one unit of each tier holds (Learn, "Billing model for Azure Web PubSub service": "Each unit supports up to
 * 1,000 concurrent connections"; pricing page: Free — 20 concurrent connections and 20,000 messages a day, one
 * unit; Standard and Premium — 1,000,000 messages a day included per unit, more billed per million).
 */
export const WEBPUBSUB_LIMITS = {
  Free_F1: { connectionsPerUnit: 20, messagesPerUnitDay: 20_000, hardMessageCap: true },
  Standard_S1: { connectionsPerUnit: 1000, messagesPerUnitDay: 1_000_000, hardMessageCap: false },
  Premium_P1: { connectionsPerUnit: 1000, messagesPerUnitDay: 1_000_000, hardMessageCap: false },
} as const satisfies Record<
  RealtimeSku,
  { connectionsPerUnit: number; messagesPerUnitDay: number; hardMessageCap: boolean }
>;

/** The most bytes one event should take to stay one billed message (2 KB increments, see {@link WEBPUBSUB_PRICES}). */
export const ONE_MESSAGE_BYTES = 2048;

/**
 * Azure Web PubSub's facts: it holds no data (messages are delivered, never stored: a replacement loses open
 * connections, which reconnect, not data), a global DNS name (`<name>.webpubsub.azure.com`), its Private Link
 * target on Standard and Premium only (the Free tier has no private endpoints: pricing page, "Private Endpoint"),
 * its diagnostics, prices and resource provider.
 */
export const webPubSubFacts = defineResourceFacts({
  dataHolding: false,
  terraformTypes: { globalName: ['azurerm_web_pubsub'] },
  // Microsoft.SignalRService/webPubSub: 3-63, alphanumerics and hyphens, start with a letter, end with a letter
  // or number; global (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules;
  // azurerm v4.55.0 internal/services/signalr/validate/webpubsub_name.go: ^[a-zA-Z][-a-zA-Z0-9]{1,61}[a-zA-Z0-9]$).
  name: globalDnsName(3, 63),
  // Learn, "Use private endpoints for Azure Web PubSub": group id (subresource) `webpubsub`, private DNS zone
  // privatelink.webpubsub.azure.com.
  privateLink: {
    targets: [{ subresource: 'webpubsub', zone: 'privatelink.webpubsub.azure.com' }],
    when: (config) => config['sku'] !== 'Free_F1',
  },
  // Microsoft.SignalRService/WebPubSub resource logs (ConnectivityLogs, MessagingLogs, HttpRequestLogs: the allLogs
  // group) and AllMetrics (Learn, "Monitoring data reference for Azure Web PubSub").
  diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
  // azurerm registers Microsoft.SignalRService itself (its `legacy` set, internal/resourceproviders/required.go@v4.55.0).
  resourceProviders: [
    registeredByAzurerm('Microsoft.SignalRService', 'azurerm_web_pubsub', 'azurerm_web_pubsub_'),
  ],
  sample: { requirements: [{ resourceType: 'webpubsub', config: {} }] },
  price: {
    model:
      'units × the tier’s price per unit-day (Free 0, Standard $1.61, Premium $2.00) all month; messages beyond the ' +
      '1,000,000 a day each Standard/Premium unit includes at $1 per million (usage: not in the estimate)',
    sources: [
      'https://azure.microsoft.com/pricing/details/web-pubsub/',
      'https://learn.microsoft.com/azure/azure-web-pubsub/concept-billing-model',
    ],
  },
  // azurerm v4.55.0 web_pubsub_resource.go: only `name` is ForceNew; sku and capacity change in place (a Free ↔
  // Standard change moves the public IP: Learn, "How to scale an Azure Web PubSub Service instance").
  forcesNew: () => false,
});
