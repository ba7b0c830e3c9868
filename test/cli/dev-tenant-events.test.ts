/**
 * Tenant events under `atakora dev` (DESIGN §2, "Organizations their Owners run"): a FunctionsApp function with
 * `trigger: 'tenant-events'` receives `tenant.created` after `POST api/tenants`, `invitation.created`, then
 * `invitation.accepted` and `member.added` when the invitee accepts, `tenant.deleted` after an Owner's `DELETE
 * api/tenant` — and a delivery whose handler threw comes again with the same id. Through the real dev stack (the
 * built package, its worker, the local Cosmos DB, dev's emulated change feed trigger).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import type { TenantEvent } from '../../src/contract/tenant-events.js';
import { devCall } from '../support/dev-session.js';
import { HANG_MS } from '../support/patience.js';

let dev: DevSession;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atakora-dev-events-'));
  file = join(dir, 'events.jsonl');
  process.env['ATAKORA_TEST_EVENTS_FILE'] = file;
  dev = await startDev('test/cli/fixtures/events-backend.ts', {
    log: () => undefined,
    stateDir: dir,
  });
});
afterAll(async () => {
  await dev?.stop();
  delete process.env['ATAKORA_TEST_EVENTS_FILE'];
  if (dir) await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, as: string, body?: unknown, org?: string) =>
  devCall(dev, method, path, as, body, org);

/** The deliveries so far, once `done` holds for them (the emulated trigger polls every 250 ms). */
async function deliveries(done: (events: TenantEvent[]) => boolean): Promise<TenantEvent[]> {
  for (const end = performance.now() + HANG_MS; performance.now() < end; ) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const events = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TenantEvent);
    if (done(events)) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not delivered: ${await readFile(file, 'utf8').catch(() => '(none)')}`);
}
const ofType = (events: TenantEvent[], type: string) => events.filter((e) => e.type === type);

describe('tenant events under atakora dev', () => {
  it('reach the handler at least once, each with its idempotency id', async () => {
    const org = await call('POST', 'tenants', 'alice@example.com', { name: 'Events' });
    expect(org.status).toBe(201);
    const id = String(org.body['id']);
    const created = await deliveries((es) => ofType(es, 'tenant.created').length > 0);
    expect(ofType(created, 'tenant.created')[0]).toMatchObject({
      tenant: id,
      subject: { kind: 'organization', id },
      actor: { via: 'api' },
    });

    const invite = await call(
      'POST',
      'tenant/invitations',
      'alice@example.com',
      { email: 'bob@example.com', roles: ['Member'] },
      id,
    );
    expect(invite.status).toBe(201);
    const token = new URL(String(invite.body['acceptUrl'])).searchParams.get('invitation');
    const accepted = await call('POST', 'invitations/accept', 'bob@example.com', { token });
    expect(accepted.status).toBe(201);
    const bob = String(accepted.body['userId']);
    // The acceptance writes bob's member.added and invitation.accepted as two audit lines (the Owner's own
    // member.added, from the organization's creation, may come first): wait for both.
    const bobAdded = (es: Parameters<typeof ofType>[0]) =>
      ofType(es, 'member.added').filter(
        (e) => (e as { subject?: { id?: string } }).subject?.id === bob,
      );
    const joined = await deliveries(
      (es) => bobAdded(es).length > 0 && ofType(es, 'invitation.accepted').length > 0,
    );
    expect(ofType(joined, 'invitation.created')).toHaveLength(1);
    expect(ofType(joined, 'invitation.accepted')[0]).toMatchObject({
      tenant: id,
      subject: { kind: 'invitation' },
      actor: { id: bob },
    });
    expect(bobAdded(joined)[0]).toMatchObject({
      tenant: id,
      subject: { kind: 'member', id: bob },
      changes: { roles: { to: ['Member'] } },
    });

    const deleted = await call('DELETE', 'tenant', 'alice@example.com', undefined, id);
    expect(deleted.status).toBe(202);
    // The handler throws on the first delivery of tenant.deleted: the batch comes again, the id the same.
    const all = await deliveries((es) => ofType(es, 'tenant.deleted').length >= 2);
    const [first, again] = ofType(all, 'tenant.deleted');
    expect(first?.id).toBeTruthy();
    expect(again).toEqual(first);
    // Every other event was delivered once here, each under an id of its own.
    const ids = all.filter((e) => e.type !== 'tenant.deleted').map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
