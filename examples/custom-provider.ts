/**
 * Seeds, advanced Example 1: a custom Service Bus provider. Two event-driven components ask for Service
 * Bus queues and a topic; the provider merges them into one namespace, added to the built-in providers.
 *
 * `servicebus` is now a built-in type (src/resources/servicebus): the same requirements are planned by it,
 * identity-only and private in isolated mode, and the provider passed below is not used (the plan warns
 * PROVIDER_TYPE_BUILT_IN). Without `providers` the backend is the same: docs/migration-guide.md shows it.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { ServiceBusProvider } from './custom-providers/service-bus-provider.js';

// Create custom component with Service Bus requirement (the seeds' factory-only shape).
class EventDrivenComponent {
  static define(
    id: string,
    config: Record<string, unknown>,
    sku: 'Basic' | 'Standard' = 'Standard',
  ) {
    return {
      componentId: id,
      componentType: 'EventDrivenComponent',
      config,
      factory: (
        _scope: unknown,
        componentId: string,
        componentConfig: Record<string, unknown>,
      ) => ({
        componentId,
        componentType: 'EventDrivenComponent',
        config: componentConfig,
        getRequirements: () => [
          {
            resourceType: 'servicebus',
            requirementKey: `${componentId}-servicebus`,
            priority: 20,
            config: {
              sku,
              queues: [
                { name: 'orders-queue', maxSize: 2048 },
                { name: 'notifications-queue', maxSize: 1024 },
              ],
              topics: [{ name: 'events-topic', maxSize: 2048 }],
            },
          },
        ],
        initialize: () => {
          /* Initialize with Service Bus */
        },
        validateResources: () => ({ valid: true }),
        getOutputs: () => ({}),
      }),
    };
  }
}

export function buildEventDrivenBackend(sku: 'Basic' | 'Standard' = 'Standard') {
  return defineBackend(
    {
      orderProcessor: EventDrivenComponent.define('OrderProcessor', {}, sku),
      notificationService: EventDrivenComponent.define('NotificationService', {}, sku),
    },
    {
      environment: 'production',
      location: 'eastus',
      providers: [new ServiceBusProvider()], // default providers still included
    },
  );
}

export function synthCustomProvider(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = buildEventDrivenBackend();
  const stack = new ResourceGroupStack(app, 'EventDrivenStack', {
    resourceGroupName: 'rg-eventdriven-prod',
    location: 'eastus',
  });
  backend.addToStack(stack);
  app.synth();
  return { app, stack, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) synthCustomProvider();
