/**
 * Webhook delivery time under `atakora dev` (DESIGN §2, "Integrations"; the bar: "a delivery leaves within 5 s of the
 * write under `atakora dev`"), over real HTTP to dev's worker on examples/integrations.ts: an organization on the
 * `team` plan (its operator's `PATCH api/tenants/{id}`), one endpoint taking `order.created` and
 * `member.roles-changed` on a receiver on 127.0.0.1 that verifies every request with the `standardwebhooks` library,
 * then N writes of each kind — an order created (`POST api/orders`: an entity event) and a member's roles changed
 * (`PATCH api/tenant/members/{id}`: a tenant event, from the audit log; under dev through the worker's emulated audit
 * change feed, read every 250 ms, since the example's `team` plan lists 'webhooks') — one at a time, each timed from
 * the moment its request is sent to the moment the receiver has its verified delivery. Prints p50, p95 and max per
 * kind with the load average; asserts nothing (a shared machine is noisy).
 *
 *   npx tsx bench/webhooks-dev.ts [writes=40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startDev } from '../src/cli/dev/session/session.js';
import { TENANT_ADMIN_ROLE } from '../src/model/runtime-manifest.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const WRITES = Math.min(Math.max(Number(process.argv[2] ?? 40) || 40, 5), 500);
const WARMUP = 2;
/** The bar for one delivery under dev. */
const BUDGET_MS = 5000;
/** A write not delivered by then counts as lost (and ends the run: something is wrong, not slow). */
const GIVE_UP_MS = 20_000;

const work = mkdtempSync(join(tmpdir(), 'atakora-bench-webhooks-'));
let secret = '';
const waiting = new Map<string, (at: number) => void>();
const arrivedFor = new Map<string, number>();
const failures: string[] = [];
// The customer's receiver: verified before anything is read, keyed by what the write made (an order's id, or the
// member's new role list) so each write's own delivery ends its clock.
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const event = new Webhook(secret).verify(body, req.headers as Record<string, string>) as {
        type: string;
        data: Record<string, unknown>;
      };
      const key = keyOf(event);
      if (key !== undefined) {
        arrivedFor.set(key, at);
        waiting.get(key)?.(at);
      }
      res.writeHead(204).end();
    } catch (e) {
      failures.push(String(e));
      res.writeHead(400).end();
    }
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hooks`;

function keyOf(event: { type: string; data: Record<string, unknown> }): string | undefined {
  if (event.type === 'order.created') return `order:${String(event.data['id'])}`;
  if (event.type === 'member.roles-changed') {
    const changes = event.data['changes'] as { roles?: { to?: unknown } } | undefined;
    return `roles:${JSON.stringify(changes?.roles?.to)}`;
  }
  return undefined;
}

/** Resolves with the receipt time of `key`'s delivery (or rejects after {@link GIVE_UP_MS}). */
function receipt(key: string): Promise<number> {
  const had = arrivedFor.get(key);
  if (had !== undefined) return Promise.resolve(had);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(key);
      reject(
        new Error(
          `no delivery for ${key} within ${String(GIVE_UP_MS)} ms` +
            (failures.length > 0 ? ` (refused by the receiver: ${failures.join('; ')})` : ''),
        ),
      );
    }, GIVE_UP_MS);
    waiting.set(key, (at) => {
      clearTimeout(timer);
      waiting.delete(key);
      resolve(at);
    });
  });
}

const dev = await startDev('examples/integrations.ts', {
  // BENCH_VERBOSE=1 shows dev's own log (the worker's lines: a refused or failed delivery says why).
  log: process.env['BENCH_VERBOSE'] ? (l) => console.error(l) : () => undefined,
  stateDir: join(work, 'state'),
  sitePort: 0,
  port: 0,
});
try {
  const app = dev.apps.find((a) => a.functions.some((f) => f.name === 'membership-webhooks'));
  const api = `${app?.url ?? ''}/api`;
  const call = async (
    method: string,
    path: string,
    who: string,
    body?: unknown,
    org?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${api}/${path}`, {
      method,
      headers: {
        'x-atakora-dev-user': who,
        ...(org ? { 'x-atakora-tenant': org } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (res.status >= 300)
      throw new Error(
        `${method} api/${path} answered ${String(res.status)}: ${text.slice(0, 300)}`,
      );
    return { status: res.status, body: parsed };
  };
  const owner = 'owner@example.com';
  const org = String((await call('POST', 'tenants', owner, { name: 'Bench' })).body['id']);
  // The operator (the home directory's TenantAdmin: dev's directory) sells the organization the team plan.
  await call('PATCH', `tenants/${org}`, `operator@local-dev;roles=${TENANT_ADMIN_ROLE}`, {
    plan: 'team',
  });
  // dev's registry cache answers at most a second late (cli/dev/host/app-settings.ts).
  await new Promise((r) => setTimeout(r, 1500));
  // The orders' writer is an Admin (the example's rules: Owners read, Admins write); the reader's roles change.
  const join = async (email: string, roles: string[]): Promise<string> => {
    const invite = await call('POST', 'tenant/invitations', owner, { email, roles }, org);
    const token = new URL(String(invite.body['acceptUrl'])).searchParams.get('invitation');
    return String((await call('POST', 'invitations/accept', email, { token })).body['userId']);
  };
  const writer = 'writer@example.com';
  await join(writer, ['Admin']);
  const reader = await join('reader@example.com', ['Reader']);
  const hook = await call(
    'POST',
    'tenant/webhooks',
    owner,
    { url: hookUrl, events: ['order.created', 'member.roles-changed'] },
    org,
  );
  secret = String(hook.body['secret']);

  const entity: number[] = [];
  const tenant: number[] = [];
  for (let i = 0; i < WARMUP + WRITES; i++) {
    const id = `o-${String(i)}`;
    const t0 = performance.now();
    const done = receipt(`order:${id}`);
    await call('POST', 'orders', writer, { id, customer: 'c', total: i }, org);
    const orderMs = (await done) - t0;
    // Alternate the reader's roles so each change is a new one (and its event names the new list).
    const roles = i % 2 === 0 ? ['Member'] : ['Reader'];
    const t1 = performance.now();
    arrivedFor.delete(`roles:${JSON.stringify(roles)}`);
    const changed = receipt(`roles:${JSON.stringify(roles)}`);
    await call('PATCH', `tenant/members/${encodeURIComponent(reader)}`, owner, { roles }, org);
    const rolesMs = (await changed) - t1;
    if (i >= WARMUP) {
      entity.push(orderMs);
      tenant.push(rolesMs);
    }
  }
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1] ?? 0;
  const line = (label: string, xs: number[]) =>
    `  ${label}: p50 ${median(xs).toFixed(0)} ms  p95 ${p95(xs).toFixed(0)} ms  max ${Math.max(...xs).toFixed(0)} ms` +
    `  ${p95(xs) <= BUDGET_MS ? 'ok' : 'OVER'} (≤ ${String(BUDGET_MS)} ms)`;
  console.log(
    `Webhook write → verified receipt under atakora dev (${String(WRITES)} writes each, load ${load})`,
  );
  console.log(line('entity events (order.created)       ', entity));
  console.log(line('tenant events (member.roles-changed)', tenant));
  if (failures.length > 0)
    console.log(`  ${String(failures.length)} deliveries failed verification`);
  const worst = Math.max(p95(entity), p95(tenant));
  recordRatio('webhook-dev-delivery', {
    label:
      'a webhook delivery under atakora dev, write → verified receipt: the worse p95 ÷ its 5 s bar',
    ratio: worst / BUDGET_MS,
    budget: 1,
    detail:
      `entity p95 ${p95(entity).toFixed(0)} ms, tenant p95 ${p95(tenant).toFixed(0)} ms of ${String(WRITES)} writes ` +
      `each at load ${load} (bench/webhooks-dev.ts)`,
  });
} finally {
  await dev.stop();
  receiver.closeAllConnections();
  receiver.close();
  rmSync(work, { recursive: true, force: true });
}
