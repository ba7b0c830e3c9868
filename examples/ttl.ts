/** Seeds, best practices "Configure TTL for Transient Data": sessions expire after a day, audit logs after 90. */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** Sessions and audit logs with their TTLs (what `atakora synth examples/ttl.ts` synthesizes). */
export default function ttlBackend() {
  return defineBackend({
    sessionApi: CrudApi.define('SessionApi', {
      entityName: 'Session',
      schema: { id: 'string', userId: 'string', expiresAt: 'timestamp' },
      partitionKey: '/userId',
      ttl: 86400, // Auto-delete after 24 hours
    }),
    auditLogApi: CrudApi.define('AuditLogApi', {
      entityName: 'AuditLog',
      schema: { id: 'string', userId: 'string', action: 'string' },
      partitionKey: '/userId',
      ttl: 7776000, // Keep audit logs for 90 days
    }),
  });
}

export function synthTtl(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = ttlBackend();

  const stack = new ResourceGroupStack(app, 'TtlStack', {
    resourceGroupName: 'rg-ttl',
    location: 'eastus',
  });
  backend.addToStack(stack);
  app.synth();
  return { app, stack, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) synthTtl();
