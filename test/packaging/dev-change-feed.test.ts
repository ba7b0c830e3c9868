/**
 * `atakora dev` emulates the change feed for its local containers: what another writer stores there — `atakora
 * seed --local` here — reaches the CrudApi's onChange, as Azure's change feed carries every writer's changes;
 * the runtime's own writes, called inline, reach it once, not again from the feed.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { capturedIo } from '../support/captured-io.js';
import { EVENTUALLY } from '../support/patience.js';

const ENTRY = 'test/packaging/fixtures/change-feed-backend.ts';
const DIR = join(tmpdir(), 'atakora-on-change');
const changesOf = (
  title: string,
): { operation: string; item: Record<string, unknown>; tenant?: string }[] => {
  const file = join(DIR, `${title}.jsonl`);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { operation: string; item: Record<string, unknown> })
    : [];
};

let dev: DevSession;
const remove = (id: string) =>
  fetch(`${dev.apps[0]!.url}/api/bookings/${id}`, { method: 'DELETE' });
beforeAll(async () => {
  for (const t of ['feed-seeded-1', 'feed-seeded-2'])
    rmSync(join(DIR, `${t}.jsonl`), { force: true });
  dev = await startDev(ENTRY, { user: devUserOf('alice@tenant-a')!, log: () => undefined });
});
afterAll(async () => {
  await dev?.stop();
});

describe('atakora dev: the change feed of the local containers', () => {
  it('seed --local under a running dev reaches onChange; a write through the API reaches it once', async () => {
    // Dev seeded tenant-a before its worker started: that is before the feed's start, as a trigger starts from now.
    expect(changesOf('feed-seeded-1')).toEqual([]);
    // Deleted through the API, then created again by seed --local: another writer than the runtime.
    for (const id of ['cf-1', 'cf-2']) expect((await remove(id)).status).toBe(204);
    const c = capturedIo();
    expect(await main(['seed', ENTRY, '--local'], c.io)).toBe(0);
    expect(c.out).toContain('2 created');
    await expect.poll(() => changesOf('feed-seeded-1').length, EVENTUALLY).toBe(1);
    await expect.poll(() => changesOf('feed-seeded-2').length, EVENTUALLY).toBe(1);
    // Another writer's document carries no operation: `update`, as the change feed trigger reads it in Azure.
    expect(changesOf('feed-seeded-1')[0]).toMatchObject({
      operation: 'update',
      item: { id: 'cf-1', title: 'feed-seeded-1' },
      tenant: 'tenant-a',
    });

    const title = `api-${randomUUID()}`;
    const created = await fetch(`${dev.apps[0]!.url}/api/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    });
    expect(created.status).toBe(201);
    expect(changesOf(title)).toHaveLength(1);
    // A later feed write, once read, shows the feed has passed the API's write without delivering it again.
    expect((await remove('cf-1')).status).toBe(204);
    expect(await main(['seed', ENTRY, '--local'], capturedIo().io)).toBe(0);
    await expect.poll(() => changesOf('feed-seeded-1').length, EVENTUALLY).toBe(2);
    expect(changesOf(title)).toHaveLength(1);
    expect(changesOf(title)[0]).toMatchObject({ operation: 'create' });
  });
});
