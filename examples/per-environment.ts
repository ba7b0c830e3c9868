/**
 * Seeds, best practices "Use Different Configurations per Environment" and "Set Appropriate Throughput
 * Levels": one definition, dev and production settings, two stacks.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

// config/dev.ts and config/prod.ts of the seeds, inline.
export const devConfig = { throughput: 400, ttl: 86400, monitoring: false };
export const prodConfig = { throughput: 4000, ttl: 2592000, monitoring: true };

export function buildForEnvironment(environment: 'dev' | 'production') {
  const config = environment === 'production' ? prodConfig : devConfig;
  return defineBackend(
    {
      api: CrudApi.define('Api', {
        entityName: 'Entity',
        schema: { id: 'string', name: 'string' },
        partitionKey: '/id',
        throughput: config.throughput, // Appropriate for environment
        ttl: config.ttl,
      }),
    },
    { environment, monitoring: config.monitoring },
  );
}

/** Both environments' backends (what `atakora synth examples/per-environment.ts` synthesizes). */
export default function perEnvironmentBackends() {
  return (['dev', 'production'] as const).map(buildForEnvironment);
}

export function synthPerEnvironment(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backends = (['dev', 'production'] as const).map((env) => {
    const backend = buildForEnvironment(env);
    backend.addToStack(
      new ResourceGroupStack(app, `Stack-${env}`, {
        resourceGroupName: `rg-myapp-${env}`,
        location: 'eastus',
      }),
    );
    return backend;
  });
  app.synth();
  return { app, backends };
}

if (import.meta.url === `file://${process.argv[1]}`) synthPerEnvironment();
