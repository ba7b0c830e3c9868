/**
 * `atakora tenant add | set | suspend | resume | list` against a real local Cosmos DB server (verified TLS, the
 * real @azure/cosmos client): the registry records the runtime reads, each command safe to run twice, an unknown
 * plan refused with the plans named, and `--local` through the running atakora dev's state file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { removeDevState } from '../../src/cli/shared/dev-state.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';
import { localDevState } from './support/local-dev-state.js';
import { cliOnStandIn } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
const A = '72f988bf-0000-4000-8000-0000000000aa';
const B = '72f988bf-0000-4000-8000-0000000000bb';

const dir = mkdtempSync(join(tmpdir(), 'atakora-registry-'));
const tls = loopbackCertificate(dir);
let local: TlsCosmos;
let tenants: Container;

const saved = { ...process.env };
const run = cliOnStandIn(() => local.endpoint, tls.certFile, 'tenant');
const stored = async (tid: string) =>
  (await tenants.item(tid, tid).read<Record<string, unknown>>()).resource;

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  tenants = await local.container('atakora', 'tenants', '/id');
});
beforeEach(async () => {
  const { resources } = await tenants.items.query<{ id: string }>('SELECT c.id FROM c').fetchAll();
  for (const r of resources) await tenants.item(r.id, r.id).delete();
});
afterEach(() => {
  for (const k of [
    'ATAKORA_COSMOS_ENDPOINT',
    'ATAKORA_COSMOS_CA',
    'ATAKORA_ARM_TOKEN',
    'TENANT_FIXTURE_SUBSCRIPTIONS',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('atakora tenant add | set | suspend | resume | list', () => {
  it('add registers active on the default plan; twice leaves the record as it is', async () => {
    const first = await run('add', entry, A, '--name', 'Contoso', '--environment', 'test');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Tenant ${A} (test): active, plan free, "Contoso".`);
    const record = await stored(A);
    expect(record).toMatchObject({ id: A, plan: 'free', status: 'active', name: 'Contoso' });
    const again = await run('add', entry, A, '--name', 'Contoso', '--environment', 'test');
    expect(again.code).toBe(0);
    expect(again.out).toContain('(unchanged)');
    expect(await stored(A)).toEqual(record);
  });

  it('add of a registered tenant with another plan or name is refused, naming tenant set; nothing written', async () => {
    expect((await run('add', entry, A, '--name', 'Contoso', '--environment', 'test')).code).toBe(0);
    const record = await stored(A);
    const plan = await run('add', entry, A, '--plan', 'pro', '--environment', 'test');
    expect(plan.code).toBe(1);
    expect(plan.err).toMatch(
      /TENANT_ALREADY_REGISTERED.*registered already .* with plan free \(not pro\)/,
    );
    expect(plan.err).toContain(`atakora tenant set <entry> ${A} --plan pro`);
    const name = await run('add', entry, A, '--name', 'Fabrikam', '--environment', 'test');
    expect(name.code).toBe(1);
    expect(name.err).toMatch(/with name "Contoso" \(not "Fabrikam"\)/);
    expect(await stored(A)).toEqual(record);
  });

  it('add and set refuse a name with control characters, as the TenantAdmin API does; nothing written', async () => {
    for (const n of ['Contoso\u001b[2J', 'Contoso\u009b31m', 'evil\u202egnp.exe', 'two\nlines']) {
      const r = await run('add', entry, A, '--name', n, '--environment', 'test');
      expect(r.code, JSON.stringify(n)).toBe(1);
      expect(r.err).toMatch(/TENANT_RECORD_INVALID.*--name: name must not hold control characters/);
    }
    expect(await stored(A)).toBeUndefined();
    expect((await run('add', entry, A, '--environment', 'test')).code).toBe(0);
    const set = await run('set', entry, A, '--name', 'x\u0007', '--environment', 'test');
    expect([set.code, set.err.includes('TENANT_RECORD_INVALID')]).toEqual([1, true]);
    expect((await stored(A))?.['name']).toBeUndefined();
  });

  it('list escapes what a registry writer chose; --json keeps it exact', async () => {
    const name = 'Evil\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eCorp';
    // A record written before names were checked (or by another writer of the container).
    await tenants.items.create({
      id: A,
      plan: 'free\u001b[5m',
      status: 'active',
      name,
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-01-01T00:00:00Z',
    });
    const table = await run('list', entry, '--environment', 'test');
    expect(table.code).toBe(0);
    expect(table.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(table.out).toContain('Evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eCorp');
    expect(table.out).toContain('free\\x1b[5m');
    const json = await run('list', entry, '--environment', 'test', '--json');
    expect((JSON.parse(json.out) as { name: string }[])[0]?.name).toBe(name);
    // An error quoting the stored name is escaped as well (main prints messages as they are).
    const refused = await run('add', entry, A, '--name', 'Other', '--environment', 'test');
    expect(refused.err).toContain('TENANT_ALREADY_REGISTERED');
    expect(refused.err).toContain(']0;pwned');
    expect(refused.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    // A record's own line (set, suspend) is escaped too.
    const suspended = await run('suspend', entry, A, '--environment', 'test');
    expect(suspended.out).toContain(']0;pwned');
    expect(suspended.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('add refuses an unknown plan, naming the plans; nothing written', async () => {
    const r = await run('add', entry, B, '--plan', 'gold', '--environment', 'test');
    expect(r.code).toBe(1);
    expect(r.err).toContain('TENANT_PLAN_UNKNOWN');
    expect(r.err).toContain('(free, pro)');
    const { resources } = await tenants.items.query('SELECT * FROM c').fetchAll();
    expect(resources).toEqual([]);
  });

  it('add refuses the reserved ids (shared, anonymous), as the TenantAdmin API does; nothing written', async () => {
    for (const id of ['shared', 'Anonymous']) {
      const r = await run('add', entry, id, '--environment', 'test');
      expect(r.code).toBe(1);
      expect(r.err).toContain('TENANT_COMMAND_REFUSED');
      expect(r.err).toContain('reserved');
    }
    const { resources } = await tenants.items.query('SELECT * FROM c').fetchAll();
    expect(resources).toEqual([]);
  });

  it('set changes the plan, suspend and resume the status; each twice; an unregistered tenant refused', async () => {
    expect((await run('add', entry, A, '--environment', 'test')).code).toBe(0);
    expect((await run('set', entry, A, '--plan', 'pro', '--environment', 'test')).code).toBe(0);
    expect(await stored(A)).toMatchObject({ plan: 'pro', status: 'active' });
    expect((await run('suspend', entry, A, '--environment', 'test')).code).toBe(0);
    const twice = await run('suspend', entry, A, '--environment', 'test');
    expect([twice.code, twice.out.includes('(unchanged)')]).toEqual([0, true]);
    expect(await stored(A)).toMatchObject({ plan: 'pro', status: 'suspended' });
    expect((await run('resume', entry, A, '--environment', 'test')).code).toBe(0);
    expect(await stored(A)).toMatchObject({ status: 'active' });
    const missing = await run('suspend', entry, B, '--environment', 'test');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('TENANT_COMMAND_REFUSED');
    expect(
      await tenants
        .item(B, B)
        .read()
        .then((r) => r.resource),
    ).toBeUndefined();
  });

  it('set --stripe-customer sets the Stripe customer, "" removes it, a malformed id is refused unwritten', async () => {
    expect((await run('add', entry, A, '--environment', 'test')).code).toBe(0);
    const set = await run(
      'set',
      entry,
      A,
      '--stripe-customer',
      'cus_NffrFeUfNV2Hib',
      '--environment',
      'test',
    );
    expect(set.code).toBe(0);
    expect(set.out).toContain('billed to Stripe customer cus_NffrFeUfNV2Hib');
    expect((await stored(A))?.['billing']).toEqual({ stripeCustomerId: 'cus_NffrFeUfNV2Hib' });
    const plan = await run('set', entry, A, '--plan', 'pro', '--environment', 'test');
    expect([plan.code, (await stored(A))?.['billing']]).toEqual([
      0,
      { stripeCustomerId: 'cus_NffrFeUfNV2Hib' },
    ]);
    for (const bad of ['cus_x?y=1', 'acct_123', 'cus_']) {
      const r = await run('set', entry, A, '--stripe-customer', bad, '--environment', 'test');
      expect([r.code, r.err.includes('BILLING_CUSTOMER_INVALID')]).toEqual([1, true]);
    }
    expect((await stored(A))?.['billing']).toEqual({ stripeCustomerId: 'cus_NffrFeUfNV2Hib' });
    expect(
      (await run('set', entry, A, '--stripe-customer', '', '--environment', 'test')).code,
    ).toBe(0);
    expect((await stored(A))?.['billing']).toBeUndefined();
  });

  it('set --plan warns (stderr, exit 0) when the subscription names another plan, and writes the plan', async () => {
    process.env['TENANT_FIXTURE_SUBSCRIPTIONS'] = '1';
    expect((await run('add', entry, A, '--environment', 'test')).code).toBe(0);
    const subscribed = async (status: string) => {
      const r = (await stored(A)) as Record<string, unknown>;
      await tenants.items.upsert({
        ...r,
        plan: 'pro',
        billing: {
          stripeCustomerId: 'cus_NffrFeUfNV2Hib',
          subscription: { id: 'sub_1Pq2Rs', status, price: 'price_1Pq2Rs3Tu4' },
        },
      });
    };
    await subscribed('active');
    const free = await run('set', entry, A, '--plan', 'free', '--environment', 'test');
    expect(free.code).toBe(0);
    expect(free.err).toMatch(/^warning: tenant .*subscription sub_1Pq2Rs \(active\).*pro/m);
    expect((await stored(A))?.['plan']).toBe('free');
    const pro = await run('set', entry, A, '--plan', 'pro', '--environment', 'test');
    expect([pro.code, pro.err]).toEqual([0, '']);
    // A subscription that ended names no plan any more: nothing to disagree with.
    await subscribed('canceled');
    const ended = await run('set', entry, A, '--plan', 'free', '--environment', 'test');
    expect([ended.code, ended.err]).toEqual([0, '']);
  });

  it('list prints a table and --json the records, with --local through the dev state', async () => {
    expect((await run('add', entry, B, '--plan', 'pro', '--environment', 'test')).code).toBe(0);
    expect((await run('add', entry, A, '--environment', 'test')).code).toBe(0);
    expect((await run('suspend', entry, B, '--environment', 'test')).code).toBe(0);
    const file = localDevState(entry, local.endpoint, tls.cert);
    try {
      const table = await run('list', entry, '--local');
      expect(table.code).toBe(0);
      const rows = table.out.trim().split('\n');
      expect(rows[0]).toMatch(/^TENANT\s+STATUS\s+PLAN\s+NAME\s+UPDATED$/);
      expect(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 3))).toEqual([
        [A, 'active', 'free'],
        [B, 'suspended', 'pro'],
      ]);
      const json = await run('list', entry, '--local', '--json');
      expect(
        (JSON.parse(json.out) as { id: string; status: string }[]).map((r) => [r.id, r.status]),
      ).toEqual([
        [A, 'active'],
        [B, 'suspended'],
      ]);
      expect((await run('resume', entry, B, '--local')).code).toBe(0);
      expect((await stored(B))?.['status']).toBe('active');
    } finally {
      removeDevState(file);
    }
  });
});
