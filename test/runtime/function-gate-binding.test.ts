/**
 * A FunctionsApp's gate reads the registry this process bound when it serves its first request, not when it is
 * built: a handler module may wrap its functions before the runtime's registration binds the registry (its imports
 * run first), and a gate built then must not keep the earlier binding — or none.
 */
import { describe, expect, it } from 'vitest';
import { gateHandler } from '../../src/runtime/pipeline/function-gate.js';
import { bindTenantRegistry } from '../../src/runtime/tenants/registry-binding.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { registryAuth } from './support/registry-auth.js';

// A database of its own: no other file's registry or usage ledger is bound under these names in this process.
const policy = registryAuth('home-dir', {
  database: 'gate-binding',
  container: 'tenants',
  usage: 'usage',
  plans: { free: { requestsPerMinute: 600 } },
});
const registry = policy.registry ?? { database: '', container: '' };
const active = (id: string): TenantRecord => ({
  id,
  plan: 'free',
  status: 'active',
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});
const customer = principalHeader([
  ['tid', 'contoso'],
  ['oid', 'u1'],
]);

describe("a function's gate and the process's registry", () => {
  it('uses the registry bound after the gate was built (built first, bound next, served last)', async () => {
    // What an earlier start-up left bound: a registry that knows nobody.
    bindTenantRegistry(registry, { read: async () => undefined, create: async (r) => r });
    const fn = gateHandler(
      async () => ({ status: 200, body: '"ran"' }),
      policy,
      undefined,
      'Me-fn',
    );
    bindTenantRegistry(registry, {
      read: async (id) => (id === 'contoso' ? active(id) : undefined),
      create: async (r) => r,
    });
    const reply = await invoke(fn, 'GET', 'fn', { headers: customer });
    expect([reply.status, reply.body]).toEqual([200, 'ran']);
  });

  it('keeps the registry it read at its first request', async () => {
    bindTenantRegistry(registry, {
      read: async (id) => (id === 'contoso' ? active(id) : undefined),
      create: async (r) => r,
    });
    const fn = gateHandler(
      async () => ({ status: 200, body: '"ran"' }),
      policy,
      undefined,
      'Me-fn',
    );
    expect((await invoke(fn, 'GET', 'fn', { headers: customer })).status).toBe(200);
    // A later binding (another registration in the same process) does not change a gate already serving.
    bindTenantRegistry(registry, { read: async () => undefined, create: async (r) => r });
    expect((await invoke(fn, 'GET', 'fn', { headers: customer })).status).toBe(200);
  });
});
