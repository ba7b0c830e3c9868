/**
 * examples/saas/backend.ts as its header says to run it, under `atakora dev` (the real CLI's code in this process,
 * the built runtime in its worker, the local Cosmos DB server): the home directory's TenantAdmin registers one
 * customer through the API and the operator another with `atakora tenant add --local`; an unregistered directory
 * is refused; one user of a customer makes requests until the per-user bound answers 429 `rate-limited` with
 * `Retry-After` and the RateLimit headers, while a colleague of the same tenant and a user of the other tenant are
 * still served; a user's fourth live socket is refused 429 `too-many-connections` while a colleague negotiates and
 * the three open sockets hear a write; GET api/tenant shows the plan and the ledger's usage; a suspended tenant's open
 * socket is closed though it asks nothing, then it is refused; `atakora usage --local --json` lists every request
 * each tenant made, the refused ones included;
 * `atakora plan` prints each plan's worst-case monthly cost. No wall-clock wait: the limits are met by making the
 * requests, and what runs in the background (the ledger's flush, the registry cache) is polled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LedgerUsage } from '../../src/cli/logs/usage-ledger-report.js';
import { main } from '../../src/cli/main.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import saas from '../../examples/saas/backend.js';
import { capturedIo } from '../support/captured-io.js';
import { EVENTUALLY } from '../support/patience.js';

const entry = 'examples/saas/backend.ts';
// The example's bounds, read from it: the test follows the numbers a reader changes.
const bounds = saas.config.tenants!;
const PER_USER = bounds.perUser!.requestsPerMinute!;
const SOCKETS = bounds.perUser!.realtimeConnections!;
const rate = (plan: string) => bounds.plans[plan]!.requestsPerMinute!;
const ADMIN = 'ops@local-dev;roles=TenantAdmin'; // the home directory (dev's session user's) with the app role

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev(entry, { log: () => {}, quietWorkers: true });
});
afterAll(async () => {
  await dev?.stop();
});

const cli = async (...argv: string[]) => {
  const io = capturedIo();
  const code = await main(argv, io.io);
  return { code, out: io.out, err: io.err };
};

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** What each tenant was answered, as the ledger should count it: every request, and those answered 4xx/5xx. */
const made = new Map<string, { requests: number; refused: number }>();

/** One request as `caller` (`<user>@<tenant>`), counted in {@link made} under the caller's tenant. */
async function call(caller: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(`${dev.apps[0]!.url}${path}`, {
    ...init,
    headers: { 'x-atakora-dev-user': caller, 'content-type': 'application/json' },
  });
  const text = await r.text();
  const tenant = caller.split(';')[0]!.split('@')[1]!;
  const n = made.get(tenant) ?? { requests: 0, refused: 0 };
  made.set(tenant, { requests: n.requests + 1, refused: n.refused + (r.status >= 400 ? 1 : 0) });
  return {
    status: r.status,
    headers: r.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

const problem = (a: Answer) => String(a.body['type']).replace('urn:atakora:problem:', '');
const utcMinute = () => new Date().toISOString().slice(0, 16);

/**
 * Run `scenario` until one run begins and ends in the same UTC minute, at most three times: the rate windows are
 * UTC minutes, so a run that crosses a minute's end starts counting again halfway and proves nothing. The
 * scenario only records what it was answered (with fresh users each attempt); the test asserts on the run kept.
 */
async function inOneUtcMinute<T>(scenario: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const before = utcMinute();
    const seen = await scenario(attempt);
    if (utcMinute() === before || attempt === 3) return seen;
  }
}

describe('examples/saas: a SaaS owner runs it under atakora dev', () => {
  it('registers tenants by API and CLI, bounds each user without touching others, ledgers it all', async () => {
    // A directory nobody registered is refused (and its requests are ledgered as `anonymous`, adding no tenant).
    const early = await call('eve@northwind', '/api/projects');
    expect([early.status, problem(early)]).toEqual([403, 'tenant-not-registered']);

    // The home directory's TenantAdmin registers Contoso on pro through the API; a home user without the role
    // cannot, and the operator registers Fabrikam (default plan) with the CLI.
    const denied = await call('dev@local-dev', '/api/tenants', {
      method: 'POST',
      body: JSON.stringify({ id: 'contoso' }),
    });
    expect([denied.status, problem(denied)]).toEqual([403, 'tenant-admin-required']);
    const created = await call(ADMIN, '/api/tenants', {
      method: 'POST',
      body: JSON.stringify({ id: 'contoso', plan: 'pro', name: 'Contoso' }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'contoso', plan: 'pro', status: 'active' });
    const added = await cli('tenant', 'add', entry, 'fabrikam', '--name', 'Fabrikam', '--local');
    expect(added.code).toBe(0);
    expect(added.out).toContain(
      'Tenant fabrikam (local): active, plan free, "Fabrikam". atakora dev applies it within a second.',
    );
    const listed = await call(ADMIN, '/api/tenants');
    expect(
      (listed.body['items'] as { id: string; plan: string }[]).map((t) => [t.id, t.plan]),
    ).toEqual([
      ['contoso', 'pro'],
      ['fabrikam', 'free'],
    ]);

    const run = await inOneUtcMinute(async (attempt) => {
      const alice = `alice-${attempt}@contoso`;
      const answers: Answer[] = [
        await call(alice, '/api/projects', {
          method: 'POST',
          body: JSON.stringify({ name: `Launch ${attempt}` }),
        }),
      ];
      while (answers.length <= PER_USER * 2 && answers.at(-1)!.status < 400)
        answers.push(await call(alice, '/api/projects'));
      const again = await call(alice, '/api/projects');
      const colleague = await call(`bob-${attempt}@contoso`, '/api/projects');
      const otherTenant = await call(`carol-${attempt}@fabrikam`, '/api/projects');
      return { attempt, answers, again, colleague, otherTenant };
    });

    // Alice: her PER_USER requests of the minute served (the create among them), the next refused, and again.
    const served = run.answers.filter((a) => a.status < 400);
    expect(served.map((a) => a.status)).toEqual([201, ...Array<number>(PER_USER - 1).fill(200)]);
    const refusal = run.answers.at(-1)!;
    expect([refusal.status, problem(refusal), refusal.body['policy']]).toEqual([
      429,
      'rate-limited',
      'user',
    ]);
    const retryAfter = Number(refusal.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refusal.headers.get('ratelimit-policy')).toBe(
      `"tenant";q=${rate('pro')};w=60, "user";q=${PER_USER};w=60`,
    );
    expect(refusal.headers.get('ratelimit')).toMatch(
      new RegExp(`^"tenant";r=\\d+;t=${retryAfter}, "user";r=0;t=${retryAfter}$`),
    );
    // Every answer she was served said what was left of her minute, one fewer each time.
    expect(served.map((a) => /"user";r=(\d+)/.exec(a.headers.get('ratelimit') ?? '')?.[1])).toEqual(
      Array.from({ length: PER_USER }, (_, i) => String(PER_USER - 1 - i)),
    );
    expect([run.again.status, problem(run.again)]).toEqual([429, 'rate-limited']);

    // Her colleague and a user of another tenant (on another plan) are served.
    expect(run.colleague.status).toBe(200);
    expect(run.colleague.headers.get('ratelimit')).toMatch(`"user";r=${PER_USER - 1};`);
    // She wrote, within her bound, what her colleague reads (an attempt cut by a minute's end wrote one too).
    const projects = run.colleague.body['items'] as { tenantId: string; name: string }[];
    expect(projects.map((p) => p.tenantId)).toEqual(projects.map(() => 'contoso'));
    expect(projects.map((p) => p.name)).toContain(`Launch ${run.attempt}`);
    expect(run.otherTenant.status).toBe(200);
    expect(run.otherTenant.headers.get('ratelimit-policy')).toBe(
      `"tenant";q=${rate('free')};w=60, "user";q=${PER_USER};w=60`,
    );
    expect(run.otherTenant.body['items']).toEqual([]);

    // Live data: one user holds at most SOCKETS sockets (perUser.realtimeConnections), counted from the hub's connect
    // events, not from tokens; a colleague still gets one, and a write reaches the tenant's open sockets.
    const sockets: WebSocket[] = [];
    const heard: unknown[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const token = await call('dana@contoso', '/api/realtime/negotiate', { method: 'POST' });
      expect(token.status).toBe(200);
      const socket = new WebSocket(String(token.body['url']), 'json.webpubsub.azure.v1');
      socket.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as { type: string; data?: unknown };
        if (m.type === 'message') heard.push(m.data);
      });
      sockets.push(socket);
      expect(
        await new Promise<number>((resolve) => {
          socket.once('open', () => resolve(101));
          socket.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
        }),
      ).toBe(101);
    }
    try {
      const oneMore = await call('dana@contoso', '/api/realtime/negotiate', { method: 'POST' });
      expect([oneMore.status, problem(oneMore), oneMore.body['scope']]).toEqual([
        429,
        'too-many-connections',
        'user',
      ]);
      expect(oneMore.headers.get('retry-after')).toBe('30');
      expect(
        (await call('erin@contoso', '/api/realtime/negotiate', { method: 'POST' })).status,
      ).toBe(200);
      const written = await call('erin@contoso', '/api/projects', {
        method: 'POST',
        body: JSON.stringify({ name: 'Live' }),
      });
      expect(written.status).toBe(201);
      await expect.poll(() => heard.length, EVENTUALLY).toBe(SOCKETS);
      expect(heard[0]).toMatchObject({
        entity: 'ProjectApi',
        operation: 'create',
        id: written.body['id'],
      });
      const live = async () => {
        const r = await cli('usage', entry, '--local', '--json', '--tenant', 'contoso');
        return (JSON.parse(r.out) as LedgerUsage).tenants[0]?.connections;
      };
      await expect.poll(live, { ...EVENTUALLY, interval: 250 }).toBe(SOCKETS);
      // Any user of the tenant reads its plan, bounds and usage (from the same ledger) in GET api/tenant.
      const own = await call('erin@contoso', '/api/tenant');
      expect(own.body).toMatchObject({ id: 'contoso', plan: 'pro', status: 'active' });
      expect(own.body['limits']).toEqual(bounds.plans['pro']);
      const usage = own.body['usage'] as { month: { requests: number }; storedBytes: number };
      expect(usage).toMatchObject({ realtimeConnections: SOCKETS });
      expect(usage.month.requests).toBeGreaterThan(PER_USER);
      expect(usage.storedBytes).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.close();
    }

    // A Fabrikam tab is live when Fabrikam stops paying.
    const tab = await call('carol@fabrikam', '/api/realtime/negotiate', { method: 'POST' });
    expect(tab.status).toBe(200);
    const carolSocket = new WebSocket(String(tab.body['url']), 'json.webpubsub.azure.v1');
    await new Promise((resolve) => carolSocket.once('open', resolve));
    // Fabrikam stops paying: suspended without a deploy, its tab closed by the sweep though it asks nothing (15 s
    // documented; dev's worker sweeps each second), then refused (dev reads the registry ≤ 1 s late).
    expect((await cli('tenant', 'suspend', entry, 'fabrikam', '--local')).code).toBe(0);
    await expect.poll(() => carolSocket.readyState, EVENTUALLY).toBe(WebSocket.CLOSED);
    await expect
      .poll(async () => problem(await call('carol@fabrikam', '/api/projects')), EVENTUALLY)
      .toBe('tenant-suspended');

    // The ledger holds every request of each tenant, the refused ones included (flushed once a second).
    const ledger = async () => {
      const r = await cli('usage', entry, '--local', '--json');
      expect(r.code).toBe(0);
      const u = JSON.parse(r.out) as LedgerUsage;
      return Object.fromEntries(
        u.tenants
          .filter((t) => t.tenant !== 'anonymous' && t.tenant !== 'local-dev')
          .map((t) => [t.tenant, { requests: t.requests, refused: t.refused }]),
      );
    };
    const expected = {
      contoso: made.get('contoso'),
      fabrikam: made.get('fabrikam'),
    };
    expect(expected.contoso!.refused).toBeGreaterThanOrEqual(2);
    await expect.poll(ledger, { ...EVENTUALLY, interval: 500 }).toEqual(expected);
    const table = await cli('usage', entry, '--local', '--json', '--tenant', 'contoso');
    const contoso = (JSON.parse(table.out) as LedgerUsage).tenants[0]!;
    expect(contoso).toMatchObject({
      tenant: 'contoso',
      name: 'Contoso',
      plan: 'pro',
      status: 'active',
    });
    expect(contoso.requestUnits).toBeGreaterThan(0);
    expect(contoso.storedItemBytes).toBeGreaterThan(0);
  });

  it("the stats handler counts the caller's projects with dataOf, as the projects route lists them", async () => {
    const caller = 'dana@contoso';
    await call(caller, '/api/projects', {
      method: 'POST',
      body: JSON.stringify({ name: 'Stats' }),
    });
    const stats = await call(caller, '/api/stats/projects');
    expect(stats.status).toBe(200);
    const open = await call(caller, '/api/projects?$filter=done eq false&$count=true&$first=1');
    const done = await call(caller, '/api/projects?$filter=done eq true&$count=true&$first=1');
    expect(stats.body).toMatchObject({ open: open.body['count'], done: done.body['count'] });
    expect((stats.body['newest'] as string[]).length).toBeGreaterThan(0);
    // A user of a suspended tenant never reaches the handler (the gate's registry answer).
    const other = await call('erin@fabrikam', '/api/stats/projects');
    expect(other.status).toBe(403);
  });

  it('atakora plan prices each plan at its worst case: every bound set, no plan unbounded', async () => {
    const text = await cli('plan', entry);
    expect(text.code).toBe(0);
    const json = await cli('plan', entry, '--json');
    const plans = (
      JSON.parse(json.out) as {
        tenantPlans: {
          plans: { plan: string; isDefault: boolean; worstCaseMonthlyUsd: number | null }[];
        };
      }
    ).tenantPlans.plans;
    expect(plans.map((p) => [p.plan, p.isDefault])).toEqual([
      ['free', true],
      ['pro', false],
    ]);
    expect(text.out).toContain(
      'Tenant plans (worst-case monthly cost per tenant, every limit used all month):',
    );
    for (const p of plans) {
      expect(p.worstCaseMonthlyUsd).toBeGreaterThan(0);
      const line = text.out
        .split('\n')
        .find((l) => l.startsWith(`  ${p.plan}${p.isDefault ? ' (default)' : ''}:`));
      expect(line).toBeDefined();
      expect(line).not.toContain('unbounded');
    }
    expect(plans[1]!.worstCaseMonthlyUsd!).toBeGreaterThan(plans[0]!.worstCaseMonthlyUsd!);
  });
});
