/**
 * Seeds, advanced Example 4: the builder with config-driven feature flags. Every builder method returns a
 * new builder, so `let b = ...; if (flag) b = b.addComponent(...)` builds exactly the enabled features.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';
import { ResourceGroupStack } from '@atakora/component/cdk';

export interface FeatureConfig {
  environment: string;
  features: {
    userManagement: boolean;
    productCatalog: boolean;
    orderProcessing: boolean;
    analytics: boolean;
  };
  monitoring: { enabled: boolean; retentionDays: number };
  networking: { isolated: boolean; vnetName: string };
}

// Load configuration (could be from file, env vars, etc.)
export const defaultConfig: FeatureConfig = {
  environment: process.env['DEPLOY_ENV'] || 'production',
  features: { userManagement: true, productCatalog: true, orderProcessing: true, analytics: true },
  monitoring: { enabled: true, retentionDays: 90 },
  networking: { isolated: true, vnetName: 'myapp-vnet' },
};

export function buildFromConfig(config: FeatureConfig) {
  // Start with builder
  let backendBuilder = defineBackend({ environment: config.environment, location: 'eastus' });

  // Conditionally add components based on config
  if (config.features.userManagement) {
    backendBuilder = backendBuilder.addComponent(
      CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string', email: 'string' },
        partitionKey: '/id',
      }),
    );
  }
  if (config.features.productCatalog) {
    backendBuilder = backendBuilder.addComponent(
      CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string', price: 'number' },
        partitionKey: '/id',
      }),
    );
  }
  if (config.features.orderProcessing) {
    backendBuilder = backendBuilder
      .addComponent(
        CrudApi.define('OrderApi', {
          entityName: 'Order',
          schema: { id: 'string', userId: 'string', total: 'number' },
          partitionKey: '/userId',
        }),
      )
      .addComponent(
        FunctionsApp.define('OrderProcessor', {
          runtime: 'node',
          version: '20',
          functions: {
            'process-order': {
              trigger: 'queue',
              queueName: 'orders',
              handler: './examples/order-processing/process-order.ts',
            },
          },
        }),
      );
  }
  if (config.features.analytics) {
    backendBuilder = backendBuilder.addComponent(
      FunctionsApp.define('AnalyticsProcessor', {
        runtime: 'node',
        version: '20',
        functions: {
          'aggregate-metrics': {
            trigger: 'timer',
            schedule: '0 0 * * * *',
            handler: './examples/order-processing/aggregate-metrics.ts#aggregateMetrics',
          },
        }, // Hourly
      }),
    );
  }
  // Configure monitoring
  if (config.monitoring.enabled) {
    backendBuilder = backendBuilder.withMonitoring({
      enabled: true,
      retentionDays: config.monitoring.retentionDays,
      samplingPercentage: config.environment === 'production' ? 100 : 10,
    });
  }
  // Configure networking
  if (config.networking.isolated) {
    backendBuilder = backendBuilder.withNetworking({
      mode: 'isolated',
      vnetName: config.networking.vnetName,
      vnetResourceGroupName: 'rg-network',
      subnetName: 'backend-subnet',
      privateEndpoints: true,
    });
  }
  // Add tags
  backendBuilder = backendBuilder.withTags({
    environment: config.environment,
    project: 'myapp',
    managedBy: 'atakora',
    configDriven: 'true',
  });
  // Build the backend
  return backendBuilder.build();
}

/**
 * The same flags with typed handles: `when(flag, add)` runs `add` only when the flag is on, and what it adds
 * is an optional handle, so reading one without a check is a type error under `strict`.
 */
export function buildTypedFromConfig(config: FeatureConfig) {
  const backend = defineBackend({ environment: config.environment, location: 'eastus' })
    .when(config.features.userManagement, (b) =>
      b.addComponent(
        CrudApi.define('UserApi', {
          entityName: 'User',
          schema: { id: 'string', name: 'string', email: 'string' },
          partitionKey: '/id',
        }),
      ),
    )
    .when(config.features.productCatalog, (b) =>
      b.addComponent(
        CrudApi.define('ProductApi', {
          entityName: 'Product',
          schema: { id: 'string', name: 'string', price: 'number' },
          partitionKey: '/id',
        }),
      ),
    )
    .withTags({ environment: config.environment, project: 'myapp' })
    .build();
  const userApiUrl: string | undefined = backend.components.UserApi?.apiEndpoint;
  return { backend, userApiUrl };
}

/** The backend of the default configuration (what `atakora synth examples/builder-feature-flags.ts` synthesizes). */
export default function featureFlagBackend() {
  return buildFromConfig(defaultConfig);
}

export function synthBuilder(outdir = 'cdktf.out', config: FeatureConfig = defaultConfig) {
  const app = new App({ outdir });
  const backend = buildFromConfig(config);
  const stack = new ResourceGroupStack(app, 'ConfigDrivenStack', {
    resourceGroupName: `rg-myapp-${config.environment}`,
    location: 'eastus',
  });
  backend.addToStack(stack);
  app.synth();
  return { app, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  synthBuilder();
  console.log('\n=== Enabled Features ===');
  Object.entries(defaultConfig.features)
    .filter(([, enabled]) => enabled)
    .forEach(([feature]) => console.log(`  - ${feature}`));
}
