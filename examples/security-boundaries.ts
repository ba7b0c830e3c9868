/**
 * Seeds, best practices "Use Separate Backends for Different Security Boundaries": a public backend and
 * an isolated one, each with its own resources, tags and network policy.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** The public and the isolated backend (what `atakora synth examples/security-boundaries.ts` synthesizes). */
export default function securityBoundaryBackends() {
  // Public-facing APIs
  const publicBackend = defineBackend(
    {
      publicApi: CrudApi.define('PublicApi', {
        entityName: 'Article',
        schema: { id: 'string', title: 'string' },
        operations: ['read', 'list'],
      }),
    },
    { backendId: 'public', networking: 'public', tags: { security: 'public' } },
  );
  // Internal/private APIs
  const privateBackend = defineBackend(
    {
      internalApi: CrudApi.define('InternalApi', {
        entityName: 'Payroll',
        schema: { id: 'string', amount: 'number' },
      }),
    },
    {
      backendId: 'internal',
      networking: {
        mode: 'isolated',
        vnetName: 'internal-vnet',
        vnetResourceGroupName: 'rg-network',
        privateEndpoints: true,
      },
      tags: { security: 'private' },
    },
  );
  return [publicBackend, privateBackend] as const;
}

export function synthSecurityBoundaries(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const [publicBackend, privateBackend] = securityBoundaryBackends();
  publicBackend.addToStack(
    new ResourceGroupStack(app, 'PublicStack', {
      resourceGroupName: 'rg-public',
      location: 'eastus',
    }),
  );
  privateBackend.addToStack(
    new ResourceGroupStack(app, 'PrivateStack', {
      resourceGroupName: 'rg-private',
      location: 'eastus',
    }),
  );
  app.synth();
  return { app, publicBackend, privateBackend };
}

if (import.meta.url === `file://${process.argv[1]}`) synthSecurityBoundaries();
