/**
 * Seeds, advanced Example 8: disaster recovery. The primary backend's Cosmos account replicates to the DR
 * region with automatic failover; the DR backend reads that same account (`useExisting`) instead of
 * creating one, and gets only role assignments on it.
 *
 * Two deliberate changes from the seeds: they hard-code `accountName: 'cosmos-app-primary'`, which is not
 * the name the primary gets, and `resourceGroupName: 'rg-app-primary'`, which is not where `atakora deploy`
 * puts the primary (`rg-<backendId>-<environment>`). Here the DR backend takes the primary's planned account
 * name, and both paths — `atakora synth|deploy examples/disaster-recovery.ts` and `synthDisasterRecovery()` —
 * put each backend in the group the CLI gives it, so the pair really connects either way. (With
 * `--resource-group`, the CLI numbers the groups instead: deploy this example without it.)
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

export const primaryRegion = 'eastus';
export const drRegion = 'westus2';
/** Where the CLI puts each backend: `rg-<backendId>-<environment>` (src/cli/entry/synth-stacks.ts). */
export const primaryResourceGroup = 'rg-backend-production';
export const drResourceGroup = 'rg-backend-production-dr';

const components = () => ({
  userApi: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', email: 'string', name: 'string', lastModified: 'timestamp' },
    partitionKey: '/id',
  }),
  transactionApi: CrudApi.define('TransactionApi', {
    entityName: 'Transaction',
    schema: { id: 'string', userId: 'string', amount: 'number', timestamp: 'timestamp' },
    partitionKey: '/userId',
  }),
});

/** The primary and the standby backend (what `atakora synth examples/disaster-recovery.ts` synthesizes). */
export default function disasterRecoveryBackends() {
  // PRIMARY DEPLOYMENT
  const primaryBackend = defineBackend(components(), {
    environment: 'production',
    location: primaryRegion,
    // The DR backend reads the primary's account name from its plan: a seed (the deployment target) makes
    // the plan's names final instead of waiting for apply (docs/deploying.md, "Names").
    naming: { uniqueSeed: `${process.env['ARM_SUBSCRIPTION_ID'] ?? ''}/${primaryResourceGroup}` },
    // Enable geo-replication for Cosmos DB
    cosmosConfig: {
      enableMultiRegion: true,
      failoverPolicies: [
        { locationName: primaryRegion, priority: 0 },
        { locationName: drRegion, priority: 1 },
      ],
      consistencyLevel: 'Session', // Balance between consistency and availability
      enableAutomaticFailover: true,
    },
    monitoring: { enabled: true, retentionDays: 180, workspaceName: 'dr-workspace-primary' },
    tags: { role: 'primary', dr: 'enabled', rto: '1-hour', rpo: '15-minutes' },
  });

  // DR DEPLOYMENT (Standby)
  const drBackend = defineBackend(components(), {
    environment: 'production-dr',
    location: drRegion,
    // Point to replicated Cosmos DB
    cosmosConfig: {
      useExisting: true, // Use replicated data from primary
      accountName: primaryBackend.components.userApi.cosmosAccountName, // Same Cosmos account
      resourceGroupName: primaryResourceGroup, // the group the primary is deployed in, by the CLI as below
      readLocation: drRegion, // Read from DR region
    },
    monitoring: { enabled: true, retentionDays: 180, workspaceName: 'dr-workspace-secondary' },
    tags: { role: 'dr', dr: 'enabled', status: 'standby' },
  });
  return [primaryBackend, drBackend] as const;
}

export function synthDisasterRecovery(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const [primaryBackend, drBackend] = disasterRecoveryBackends();
  primaryBackend.addToStack(
    new ResourceGroupStack(app, 'PrimaryStack', {
      resourceGroupName: primaryResourceGroup,
      location: primaryRegion,
    }),
  );
  drBackend.addToStack(
    new ResourceGroupStack(app, 'DRStack', {
      resourceGroupName: drResourceGroup,
      location: drRegion,
    }),
  );
  app.synth();
  return { app, primaryBackend, drBackend };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { primaryBackend, drBackend } = synthDisasterRecovery();
  console.log('\n=== Disaster Recovery Setup ===');
  console.log(`Primary Region: ${primaryRegion}\nDR Region: ${drRegion}`);
  console.log(`Primary User API: ${primaryBackend.components.userApi.apiEndpoint}`);
  console.log(`DR User API (standby): ${drBackend.components.userApi.apiEndpoint}`);
}
