/**
 * `atakora usage` on a backend with a tenant registry reads the usage ledger (items in the formats the runtime
 * writes: `hour` per instance, `stored` running totals, live `connection`s) from a real local Cosmos DB server
 * (verified TLS, the real @azure/cosmos client): exact sums per tenant for --json, --csv, --tenant and --since,
 * CSV quoting and formula escaping, control characters escaped in text, --local through the dev state file, and a
 * property: the totals equal the sum of random items in the window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { main } from '../../src/cli/main.js';
import { removeDevState } from '../../src/cli/shared/dev-state.js';
import { readLedger } from '../../src/cli/logs/usage-ledger-read.js';
import { hourStart } from '../../src/cli/logs/usage-ledger-sums.js';
import type { LedgerUsage } from '../../src/cli/logs/usage-ledger-report.js';
import { capturedIo } from '../support/captured-io.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';
import { localDevState } from './support/local-dev-state.js';
import { cliOnStandIn } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
const A = '72f988bf-0000-4000-8000-0000000000aa';
const B = '72f988bf-0000-4000-8000-0000000000bb';
const C = '72f988bf-0000-4000-8000-0000000000cc';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const dir = mkdtempSync(join(tmpdir(), 'atakora-usage-'));
const tls = loopbackCertificate(dir);
let local: TlsCosmos;
let usage: Container;

const saved = { ...process.env };
const run = cliOnStandIn(() => local.endpoint, tls.certFile, 'usage', entry);

/** An `hour` item of one instance, `back` ms before now. */
function hour(tenant: string, back: number, instance: string, n: Record<string, number>) {
  const h = hourStart(Date.now() - back);
  return {
    id: `hour:${h.slice(0, 13)}:${instance}`,
    tenant,
    kind: 'hour',
    hour: h,
    instance,
    requests: 0,
    refused: 0,
    ru: 0,
    messages: 0,
    itemBytes: 0,
    fileBytes: 0,
    ...n,
  };
}

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  usage = await local.container('atakora', 'usage', '/tenant');
  const tenants = await local.container('atakora', 'tenants', '/id');
  const now = new Date().toISOString();
  for (const [id, plan, name] of [
    [A, 'pro', '=HYPERLINK("http://evil")'],
    [B, 'free', 'Fabrikam, "Inc"'],
    [C, 'free', 'evil\u001b[2J\u202e'],
  ] as const)
    await tenants.items.create({
      id,
      plan,
      status: 'active',
      name,
      createdOn: now,
      updatedOn: now,
    });
  const items = [
    hour(A, 1 * HOUR, 'i1', { requests: 10, refused: 1, ru: 12.5, messages: 3, itemBytes: 100 }),
    hour(A, 5 * HOUR, 'i1', { requests: 20, refused: 2, ru: 7.25 }),
    hour(A, 5 * HOUR, 'i2', { requests: 5, ru: 1.1, messages: 4 }),
    hour(A, 60 * HOUR, 'i1', { requests: 100, refused: 10, ru: 2_000_000, messages: 10 }),
    hour(A, 31 * DAY, 'i1', { requests: 1000, refused: 1000, ru: 9_000_000, messages: 99 }),
    hour(B, 2 * HOUR, 'i2', { requests: 7, refused: 7, ru: 3.3 }),
    hour(B, 10 * DAY, 'i1', { requests: 50, ru: 4_000_000 }),
    hour('anonymous', 3 * HOUR, 'i1', { requests: 4, refused: 4 }),
    {
      id: 'stored:i1',
      tenant: A,
      kind: 'stored',
      instance: 'i1',
      itemBytes: 1_000_000,
      fileBytes: 2_000_000,
      ttl: -1,
    },
    {
      id: 'stored:i2',
      tenant: A,
      kind: 'stored',
      instance: 'i2',
      itemBytes: -100_000,
      fileBytes: 0,
      ttl: -1,
    },
    {
      id: 'stored:cli-x1',
      tenant: A,
      kind: 'stored',
      instance: 'cli-x1',
      itemBytes: 500,
      fileBytes: 0,
      ttl: -1,
    },
    {
      id: 'stored:i1',
      tenant: B,
      kind: 'stored',
      instance: 'i1',
      itemBytes: 1024,
      fileBytes: 0,
      ttl: -1,
    },
    {
      id: 'connection:c1',
      tenant: A,
      kind: 'connection',
      user: 'o1',
      connectedAt: new Date().toISOString(),
      ttl: 86400,
    },
    {
      id: 'connection:c2',
      tenant: A,
      kind: 'connection',
      user: 'o2',
      connectedAt: new Date().toISOString(),
      ttl: 86400,
    },
    {
      id: 'connection:c3',
      tenant: B,
      kind: 'connection',
      user: 'o3',
      connectedAt: new Date().toISOString(),
      ttl: 86400,
    },
    // The limits' rate windows are not usage.
    {
      id: `minute:${new Date().toISOString().slice(0, 16)}:i1`,
      tenant: A,
      kind: 'minute',
      minute: new Date().toISOString().slice(0, 16),
      instance: 'i1',
      requests: 500,
      users: { o1: 500 },
      ttl: 180,
    },
  ];
  for (const item of items) await usage.items.create(item);
});
afterEach(() => {
  for (const k of ['ATAKORA_COSMOS_ENDPOINT', 'ATAKORA_COSMOS_CA', 'ATAKORA_ARM_TOKEN'])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

const pick = (t: LedgerUsage['tenants'][number]) => [
  t.tenant,
  t.requests,
  t.refused,
  t.requestUnits,
  t.messages,
  t.storedItemBytes,
  t.storedFileBytes,
  t.connections,
];

describe('atakora usage on the usage ledger', () => {
  it('--json sums each tenant over 30 days: hours of every instance, stored bytes, live connections', async () => {
    const r = await run('--environment', 'test', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toContain('ledger item(s) read');
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.source).toBe('ledger');
    expect(u.where).toBe('test');
    expect(u.tenants.map(pick)).toEqual([
      [A, 135, 13, 2_000_020.85, 17, 900_500, 2_000_000, 2],
      [B, 57, 7, 4_000_003.3, 0, 1024, 0, 1],
      [C, 0, 0, 0, 0, 0, 0, 0],
      ['anonymous', 4, 4, 0, 0, 0, 0, 0],
    ]);
    expect(u.tenants[0]).toMatchObject({
      plan: 'pro',
      status: 'active',
      name: '=HYPERLINK("http://evil")',
    });
    expect(u.tenants[3]).not.toHaveProperty('plan');
    expect([u.total.requests, u.total.refused, u.total.requestUnits, u.total.connections]).toEqual([
      196, 24, 6_000_024.15, 3,
    ]);
    // Serverless: $0.25 per million RU; FC1: $0.40 per million executions (the plan's own price tables).
    expect(u.prices).toMatchObject({
      ruPricing: 'serverless',
      usdPerMillionRu: 0.25,
      usdPerMillionRequests: 0.4,
    });
    const b = u.tenants[1]!;
    expect(b.estimatedUsd.requestUnits).toBe(1);
    expect(b.estimatedUsd.requests).toBe(0);
    expect(b.estimatedUsd.total).toBe(1);
    expect(u.tenants[0]!.estimatedUsd.requestUnits).toBe(0.5);
    expect(u.estimate).toContain('Estimated at 2026-11 list prices');
  });

  it('--since 2d keeps the hours of the last two days only; stored bytes and connections are as now', async () => {
    const r = await run('--environment', 'test', '--json', '--since', '2d');
    expect(r.code).toBe(0);
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.from).toBe(hourStart(Date.parse(u.to) - 2 * DAY));
    expect(u.tenants.map(pick)).toEqual([
      [A, 35, 3, 20.85, 7, 900_500, 2_000_000, 2],
      [B, 7, 7, 3.3, 0, 1024, 0, 1],
      [C, 0, 0, 0, 0, 0, 0, 0],
      ['anonymous', 4, 4, 0, 0, 0, 0, 0],
    ]);
  });

  it('--tenant reads one tenant', async () => {
    const r = await run('--environment', 'test', '--json', '--tenant', B);
    expect(r.code).toBe(0);
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.tenants.map(pick)).toEqual([[B, 57, 7, 4_000_003.3, 0, 1024, 0, 1]]);
    expect(u.total.requests).toBe(57);
  });

  it('--csv is a header row and a row per tenant, RFC 4180 quoted, formula-leading text escaped', async () => {
    const r = await run('--environment', 'test', '--csv', '--since', '2d');
    expect(r.code).toBe(0);
    const rows = r.out.split('\r\n');
    expect(rows.at(-1)).toBe('');
    expect(rows[0]).toBe(
      'tenant,name,plan,status,requests,refused,request_units,messages,stored_item_bytes,stored_file_bytes,' +
        'connections,usd_request_units,usd_storage,usd_messages,usd_requests,usd_total',
    );
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatch(
      new RegExp(
        `^${A},"'=HYPERLINK\\(""http://evil""\\)",pro,active,35,3,20.85,7,900500,2000000,2,`,
      ),
    );
    expect(rows[2]).toMatch(
      new RegExp(`^${B},"Fabrikam, ""Inc""",free,active,7,7,3.3,0,1024,0,1,`),
    );
    expect(rows[4]).toMatch(/^anonymous,,,,4,4,0,0,0,0,0,/);
  });

  it('text escapes what the registry holds and says what the estimate is', async () => {
    const r = await run('--environment', 'test');
    expect(r.code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none is printed.
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.out).toContain('evil\\x1b[2J\\u202e');
    expect(r.out).toContain('usage per tenant from the usage ledger');
    expect(r.out).toMatch(
      new RegExp(`${A}\\s+.*pro\\s+active\\s+135\\s+13\\s+2000020.85\\s+17\\s`),
    );
    expect(r.out).toContain('total: 196 requests (24 refused)');
    expect(r.out).toContain('RU at the serverless price ($0.25 per million)');
  });

  it('--local reads the running atakora dev through its state file', async () => {
    const file = localDevState(entry, local.endpoint, tls.cert);
    try {
      const r = await run('--local', '--json', '--tenant', A, '--since', '2d');
      expect(r.code).toBe(0);
      const u = JSON.parse(r.out) as LedgerUsage;
      expect(u.where).toBe('local');
      expect(u.tenants.map(pick)).toEqual([[A, 35, 3, 20.85, 7, 900_500, 2_000_000, 2]]);
    } finally {
      removeDevState(file);
    }
    const gone = await run('--local');
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('USAGE_DEV_NOT_RUNNING');
  });

  it('USAGE_NO_LEDGER for --local without a registry; USAGE_LEDGER_UNREADABLE for an account without the ledger', async () => {
    const seed = 'test/cli/fixtures/seed-backend.ts';
    const file = localDevState(seed, local.endpoint, tls.cert);
    try {
      const io = capturedIo();
      expect(await main(['usage', seed, '--local'], io.io)).toBe(1);
      expect(io.err).toContain('USAGE_NO_LEDGER');
    } finally {
      removeDevState(file);
    }
    // An account deployed before the registry (or the ledger) existed: nothing to read, and the way out said.
    const empty = await startTlsCosmos(tls);
    try {
      process.env['ATAKORA_COSMOS_ENDPOINT'] = empty.endpoint;
      process.env['ATAKORA_COSMOS_CA'] = tls.certFile;
      process.env['ATAKORA_ARM_TOKEN'] = 'not-a-jwt';
      const io = capturedIo();
      expect(await main(['usage', entry, '--environment', 'test'], io.io)).toBe(1);
      expect(io.err).toContain('USAGE_LEDGER_UNREADABLE');
      expect(io.err).toContain('Reading the usage ledger of tenanted (test) failed');
    } finally {
      await empty.stop();
    }
  });

  it('refuses bad flags as usage errors (exit 2), before reading anything', async () => {
    for (const args of [
      ['--json', '--csv'],
      ['--local', '--environment', 'test'],
      ['--since', 'forever'],
      ['--since', '0d'],
      ['--tenant', 'x" OR 1=1'],
    ]) {
      const r = await run(...args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err).toContain('Usage error:');
    }
  });
});

describe('the ledger sums (property)', () => {
  const key = (x: { tenant: string; back: number; instance: string }) =>
    `${x.tenant}|${String(x.back)}|${x.instance}`;
  it('per tenant, the totals equal the sum of the random hour items inside the window, none outside', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            tenant: fc.constantFrom('t1', 't2', 't3'),
            // Hours back; 47-49 are left out so a clock crossing an hour while the test runs changes nothing.
            back: fc.oneof(fc.integer({ min: 0, max: 46 }), fc.integer({ min: 50, max: 120 })),
            instance: fc.constantFrom('i1', 'i2', 'i3'),
            requests: fc.nat({ max: 1_000_000 }),
            refused: fc.nat({ max: 1000 }),
            cents: fc.nat({ max: 100_000_000 }),
            messages: fc.nat({ max: 100_000 }),
          }),
          { selector: key, maxLength: 25 },
        ),
        async (rows) => {
          run += 1;
          const c = await local.container('prop', `usage-${String(run)}`, '/tenant');
          for (const x of rows)
            await c.items.create(
              hour(x.tenant, x.back * HOUR, x.instance, {
                requests: x.requests,
                refused: x.refused,
                ru: x.cents / 100,
                messages: x.messages,
              }),
            );
          const { sums } = await readLedger(c, { fromHour: hourStart(Date.now() - 48 * HOUR) });
          for (const t of ['t1', 't2', 't3']) {
            const inside = rows.filter((x) => x.tenant === t && x.back <= 46);
            const want = {
              requests: inside.reduce((s, x) => s + x.requests, 0),
              refused: inside.reduce((s, x) => s + x.refused, 0),
              cents: inside.reduce((s, x) => s + x.cents, 0),
              messages: inside.reduce((s, x) => s + x.messages, 0),
            };
            const got = sums.get(t);
            const seen = rows.some((x) => x.tenant === t && x.back <= 46);
            expect(got !== undefined).toBe(seen);
            expect({
              requests: got?.requests ?? 0,
              refused: got?.refused ?? 0,
              cents: Math.round((got?.requestUnits ?? 0) * 100),
              messages: got?.messages ?? 0,
            }).toEqual(want);
          }
          await c.delete();
        },
      ),
      { numRuns: 12 },
    );
  });
});
