/**
 * `atakora dev` passes the developer's `ATAKORA_DNS_SERVER` on to each worker (the DNS server verified domains' TXT
 * proofs are resolved at, docs/enterprise.md), as it passes a Stripe stand-in; unset, the worker has none (the
 * system's resolver).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { workerEnv, type WorkerContext } from '../../src/cli/dev/host/hosts.js';
import type { PlannedResource } from '../../src/model/plan.js';

const app = {
  type: 'functions',
  key: 'api',
  name: 'func-api',
  config: {},
} as unknown as PlannedResource;
const context: WorkerContext = {
  nodePath: '/n',
  identity: { endpoint: 'http://127.0.0.1:1', secret: 's' },
  certFile: '/c.pem',
  user: { oid: 'u', tid: 't' } as WorkerContext['user'],
  adminKey: 'k',
  origins: [],
  tenantClaim: 'tid',
  auth: true,
};
const saved = process.env['ATAKORA_DNS_SERVER'];
afterEach(() => {
  if (saved === undefined) delete process.env['ATAKORA_DNS_SERVER'];
  else process.env['ATAKORA_DNS_SERVER'] = saved;
});

describe("dev's worker environment", () => {
  it('carries ATAKORA_DNS_SERVER when the developer sets it, and not otherwise', () => {
    delete process.env['ATAKORA_DNS_SERVER'];
    expect(workerEnv(app, {}, context)).not.toHaveProperty('ATAKORA_DNS_SERVER');
    process.env['ATAKORA_DNS_SERVER'] = '127.0.0.1:5353';
    expect(workerEnv(app, {}, context)['ATAKORA_DNS_SERVER']).toBe('127.0.0.1:5353');
  });
});
