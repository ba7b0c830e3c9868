/**
 * The webhooks' audit feed under `atakora dev` (DESIGN §2, "Integrations": tenant events delivered from the change
 * feed; "loopback allowed under atakora dev"): a backend whose plan includes `webhooks` has the audit container's
 * feed planned (`ATAKORA_WEBHOOK_AUDIT_FEED`), and dev's worker emulates its trigger on the local `atakora/audit` —
 * so an audit entry that no request of this runtime appended (written straight to the local container, as an
 * instance that stopped right after its write leaves it) reaches the organization's endpoint, signed as the
 * Standard Webhooks specification says (verified with the maintained `standardwebhooks` library), while another
 * organization's entry does not. Through the real dev stack: the built package, its worker, the local Cosmos DB.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCosmos } from '../../src/cli/azure/cosmos.js';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import type { DevState } from '../../src/cli/shared/dev-state.js';
import { type Receiver, startReceiver } from '../runtime/support/webhook-receiver.js';
import { devCall } from '../support/dev-session.js';
import { HANG_MS } from '../support/patience.js';

let dev: DevSession;
let dir: string;
let receiver: Receiver;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atakora-dev-hooks-'));
  receiver = await startReceiver();
  dev = await startDev('test/cli/fixtures/webhooks-backend.ts', {
    log: () => undefined,
    stateDir: dir,
  });
});
afterAll(async () => {
  await dev?.stop();
  await receiver?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, as: string, body?: unknown, org?: string) =>
  devCall(dev, method, path, as, body, org);

/** The local `atakora/audit` container, through the state file dev writes for `--local` commands. */
async function localAudit() {
  const stateDir = join(dir, '.atakora');
  const file = (await readdir(stateDir)).find((f) => f.startsWith('dev-state-'));
  const state = JSON.parse(await readFile(join(stateDir, file!), 'utf8')) as DevState;
  const { client, dispose } = await localCosmos(state.cosmos);
  return { container: client.database('atakora').container('audit'), close: dispose };
}

/** The verified payloads the receiver got so far at `path`, once `done` holds for them. */
async function delivered(
  path: string,
  secret: string,
  done: (payloads: { type: string; data: Record<string, unknown> }[]) => boolean,
) {
  for (const end = performance.now() + HANG_MS; performance.now() < end; ) {
    const payloads = receiver.received
      .filter((r) => r.path === path)
      .map(
        (r) =>
          new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
            type: string;
            data: Record<string, unknown>;
          },
      );
    if (done(payloads)) return payloads;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not delivered: ${JSON.stringify(receiver.received.map((r) => r.body))}`);
}

describe('the webhooks’ audit feed under atakora dev', () => {
  it('delivers a tenant event from its stored audit entry, to its own organization only', async () => {
    const acme = await call('POST', 'tenants', 'alice@example.com', { name: 'Acme' });
    expect(acme.status, JSON.stringify(acme.body)).toBe(201);
    const globex = await call('POST', 'tenants', 'gus@example.com', { name: 'Globex' });
    expect(globex.status, JSON.stringify(globex.body)).toBe(201);
    const [a, g] = [String(acme.body['id']), String(globex.body['id'])];
    const hook = await call(
      'POST',
      'tenant/webhooks',
      'alice@example.com',
      { url: receiver.url('/acme'), events: ['member.added'] },
      a,
    );
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const secret = String(hook.body['secret']);

    // Entries no request of this runtime appended: only the audit container's feed can turn them into deliveries.
    const audit = await localAudit();
    try {
      const entry = (id: string, tenant: string) => ({
        id,
        at: new Date().toISOString(),
        tenant,
        actor: { id: 'u-9', email: 'ops@example.com', via: 'api' },
        action: 'member.added',
        target: 'u-9',
        changes: { roles: { to: ['Member'] } },
        ttl: 86_400,
      });
      await audit.container.items.create(entry('direct-globex', g));
      await audit.container.items.create(entry('direct-acme', a));
    } finally {
      audit.close();
    }
    const payloads = await delivered('/acme', secret, (ps) =>
      ps.some((p) => p.data['id'] === 'direct-acme'),
    );
    const direct = payloads.find((p) => p.data['id'] === 'direct-acme');
    expect(direct).toMatchObject({
      type: 'member.added',
      data: { tenant: a, subject: { kind: 'member', id: 'u-9' } },
    });
    // Globex's entry never reaches Acme's endpoint (Globex has none).
    expect(payloads.map((p) => p.data['id'])).not.toContain('direct-globex');
    expect(receiver.received.every((r) => r.path === '/acme')).toBe(true);
  });
});
