/**
 * examples/billing/packages.ts, the team SaaS that sells three packaged plans: `atakora plan` prints each plan as a
 * package — price, seats, items, features, cost to serve at its limits, margin — in text, Markdown and JSON (the
 * excerpt docs/packaging.md shows is the CLI's output, kept true here); and served by `startBackend` (atakora dev's
 * stack on loopback, the local Cosmos DB server), the application's feature `reports` holds in the handler
 * (`callerOf(request).features`) and in the access rule with `feature: 'reports'`, and the free plan's item bound
 * holds — an organization on free refused, the same calls on team allowed.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '@atakora/component/testing';
import type { ResourcePlan } from '../../src/model/plan.js';
import packaged from '../../examples/billing/packages.js';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';

const root = resolve(import.meta.dirname, '../..');
const entry = 'examples/billing/packages.ts';

/**
 * `atakora <args>` run in-process (the CLI's `main`, as bin.js runs it) in the repository, its stdout returned: what
 * is checked is the command's output, not the process boundary (test/cli proves the bin, its exit codes and streams).
 * Three `node dist/cli/bin.js` children were ~3 CPU-s of this file.
 */
async function atakora(...args: string[]): Promise<string> {
  const c = capturedIo();
  const code = await main(args, c.io);
  if (code !== 0) throw new Error(`atakora ${args.join(' ')} exited ${code}:\n${c.err}`);
  return c.out;
}

/** The fenced block of docs/packaging.md that follows `<!-- package-output: <name> -->`. */
function docExcerpt(name: string): string {
  const doc = readFileSync(join(root, 'docs/packaging.md'), 'utf8');
  const at = doc.indexOf(`<!-- package-output: ${name} -->`);
  expect(at).toBeGreaterThan(-1);
  const open = doc.indexOf('```', at);
  const body = doc.indexOf('\n', open) + 1;
  return doc.slice(body, doc.indexOf('\n```', body));
}

describe('examples/billing/packages.ts: atakora plan prints the three packages', () => {
  it('JSON: free, team and enterprise as the config sells them', async () => {
    const plan = JSON.parse(await atakora('plan', entry, '--json')) as ResourcePlan;
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const packages = plan.tenantPlans?.packages ?? [];
    expect(packages.map((p) => [p.plan, p.isDefault, p.seats, p.price, p.items])).toEqual([
      [
        'enterprise',
        false,
        null,
        {
          monthlyUsd: null,
          stripePrice: 'price_1QpLansEnterprs',
          perSeat: false,
          trialDays: null,
          marketplacePlan: null,
        },
        [
          { crudApi: 'ProjectApi', limit: null },
          { crudApi: 'ReportApi', limit: null },
        ],
      ],
      [
        'free',
        true,
        3,
        {
          monthlyUsd: 0,
          stripePrice: null,
          perSeat: false,
          trialDays: null,
          marketplacePlan: null,
        },
        [
          { crudApi: 'ProjectApi', limit: 2 },
          { crudApi: 'ReportApi', limit: null },
        ],
      ],
      [
        'team',
        false,
        25,
        {
          monthlyUsd: 15,
          stripePrice: 'price_1QpLansTeamSeat',
          perSeat: true,
          trialDays: 14,
          marketplacePlan: null,
        },
        [
          { crudApi: 'ProjectApi', limit: 100 },
          { crudApi: 'ReportApi', limit: 500 },
        ],
      ],
    ]);
    expect(packages.map((p) => p.features)).toEqual([
      {
        all: false,
        names: ['audit', 'directory', 'domains', 'exports', 'mcp', 'reports', 'scim', 'search'],
        application: ['reports'],
      },
      { all: false, names: [], application: [] },
      { all: false, names: ['audit', 'domains', 'mcp', 'reports'], application: ['reports'] },
    ]);
    // Each cost is the tenant plan cost model's worst case; team's margin is one seat's fee less it.
    for (const [i, p] of packages.entries())
      expect(p.costToServe.monthlyUsd).toBe(plan.tenantPlans?.plans[i]?.worstCaseMonthlyUsd);
    const team = packages[2]!;
    expect(team.costToServe.monthlyUsd).not.toBeNull();
    expect(team.margin?.monthlyUsd).toBe(
      Math.round((15 - team.costToServe.monthlyUsd!) * 100) / 100,
    );
    expect(team.margin?.atSeatLimitUsd).toBe(
      Math.round((15 * 25 - team.costToServe.monthlyUsd!) * 100) / 100,
    );
    // enterprise's amount is Stripe's: no margin; free's fee is 0: its margin is its cost, lost.
    expect(packages[0]?.margin).toBeNull();
    expect(packages[1]?.margin?.monthlyUsd).toBe(-packages[1]!.costToServe.monthlyUsd!);
  });

  it('text: the block docs/packaging.md shows, as the CLI prints it', async () => {
    const text = await atakora('plan', entry);
    expect(text).toContain(docExcerpt('text'));
  });

  it('Markdown: one row per package', async () => {
    const md = await atakora('plan', entry, '--format', 'markdown');
    expect(md).toContain(docExcerpt('markdown'));
  });
});

describe('examples/billing/packages.ts served: the plans’ doors', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startBackend(packaged);
    // Two organizations, each on the default plan (free); the operator moves one to team before it is used.
    for (const [user, id] of [
      ['ada@example.com', 'acme'],
      ['ivy@example.com', 'initech'],
    ] as const) {
      const made = await t.as({ user }).fetch('api/tenants', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, name: id }),
      });
      expect(made.status).toBe(201);
    }
    const moved = await t.as({ user: 'ops', roles: ['TenantAdmin'] }).fetch('api/tenants/initech', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ plan: 'team' }),
    });
    expect(moved.status).toBe(200);
  });
  afterAll(() => t?.stop());

  it('the handler: free is told reports are not in its plan, team gets the summary', async () => {
    const free = await t
      .as({ user: 'ada@example.com', tenant: 'acme' })
      .fetch('api/reports-summary');
    expect(free.status).toBe(402);
    expect(await free.json()).toMatchObject({ plans: ['enterprise', 'team'] });
    const team = await t
      .as({ user: 'ivy@example.com', tenant: 'initech' })
      .fetch('api/reports-summary');
    expect(team.status).toBe(200);
    expect(await team.json()).toEqual({ projects: 0, reports: 0 });
  });

  it('the access rule with feature: creating a report is 403 on free, 201 on team', async () => {
    const post = (user: string, tenant: string) =>
      t.as({ user, tenant }).fetch('api/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Q4' }),
      });
    expect((await post('ada@example.com', 'acme')).status).toBe(403);
    expect((await post('ivy@example.com', 'initech')).status).toBe(201);
    // Reading stays open on every plan.
    const list = await t.as({ user: 'ada@example.com', tenant: 'acme' }).fetch('api/reports');
    expect(list.status).toBe(200);
  });

  it('items: free holds 2 projects, the third is 402 item-limit; team takes it', async () => {
    const post = (user: string, tenant: string, name: string) =>
      t.as({ user, tenant }).fetch('api/projects', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    expect((await post('ada@example.com', 'acme', 'one')).status).toBe(201);
    expect((await post('ada@example.com', 'acme', 'two')).status).toBe(201);
    const third = await post('ada@example.com', 'acme', 'three');
    expect(third.status).toBe(402);
    expect(((await third.json()) as { type: string }).type).toMatch(/item-limit$/);
    for (const name of ['one', 'two', 'three'])
      expect((await post('ivy@example.com', 'initech', name)).status).toBe(201);
  });
});
