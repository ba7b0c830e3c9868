/**
 * Seeds, advanced Example 7: multi-tenant SaaS. Auth and data APIs partition by `/tenantId`, tenants by `/id`.
 * Every one of them is confined to the caller's tenant (the `tid` claim of its token): the runtime stamps
 * `tenantId` on each item and filters by it whatever the partition key, so even the `/id`-keyed tenant
 * records are visible only to their own tenant. Data every tenant shares would say `tenancy: 'shared'`.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

export const tenants = [
  { id: 'tenant-acme', name: 'Acme Corp', tier: 'enterprise' },
  { id: 'tenant-globex', name: 'Globex Inc', tier: 'professional' },
  { id: 'tenant-initech', name: 'Initech LLC', tier: 'basic' },
];

/** One backend for every tenant, isolated by partition key (what `atakora synth` synthesizes). */
export default function multiTenantBackend() {
  return defineBackend(
    {
      authApi: CrudApi.define('AuthApi', {
        entityName: 'User',
        schema: {
          id: 'string',
          tenantId: 'string',
          email: 'string',
          role: 'string',
          permissions: 'array',
        },
        partitionKey: '/tenantId', // Partition by tenant for isolation
      }),
      dataApi: CrudApi.define('DataApi', {
        entityName: 'Data',
        schema: {
          id: 'string',
          tenantId: 'string',
          name: 'string',
          value: 'string',
          createdAt: 'timestamp',
        },
        partitionKey: '/tenantId', // Critical: Ensures data isolation
      }),
      tenantApi: CrudApi.define('TenantApi', {
        entityName: 'Tenant',
        schema: {
          id: 'string',
          name: 'string',
          tier: 'string',
          status: 'string',
          limits: 'object',
          createdAt: 'timestamp',
        },
        partitionKey: '/id',
      }),
    },
    {
      environment: 'production',
      location: 'eastus',
      monitoring: { enabled: true, retentionDays: 90 },
      tags: {
        architecture: 'multi-tenant',
        isolation: 'logical',
        tenantCount: tenants.length.toString(),
      },
    },
  );
}

export function synthMultiTenant(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = multiTenantBackend();
  backend.addToStack(
    new ResourceGroupStack(app, 'MultiTenantStack', {
      resourceGroupName: 'rg-saas-prod',
      location: 'eastus',
    }),
  );
  app.synth();
  return { app, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { backend } = synthMultiTenant();
  for (const t of tenants)
    console.log(
      `${t.name}: ${backend.components.dataApi.apiEndpoint} (a token whose tid is ${t.id})`,
    );
}
