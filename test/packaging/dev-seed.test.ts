/**
 * `atakora dev` loads each CrudApi's seed into its empty local container, as the dev user's creates would be
 * stored: readable through the API by the dev user, stamped with the dev tenant and owner, defaults and ids
 * filled; another tenant sees none of it. A second start over the same data (--data-dir) loads nothing again;
 * an invalid seed stops the start with CRUD_SEED_INVALID naming the file, the item and the field.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session.js';
import { DEFAULT_DEV_USER } from '../../src/cli/dev/sign-in.js';

const entry = 'test/cli/fixtures/seed-backend.ts';
const dataDir = mkdtempSync(join(tmpdir(), 'atakora-dev-seed-'));
let dev: DevSession | undefined;
afterEach(async () => {
  await dev?.stop();
  dev = undefined;
  delete process.env['SEED_FIXTURE_FILE'];
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const get = async (path: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${dev!.apps[0]!.url}${path}`, { headers });
  return { status: r.status, body: (await r.json()) as { items: Record<string, unknown>[] } };
};

describe('atakora dev: seed data', () => {
  it('loads the seeds into empty containers, stamped for the dev user; a second start loads nothing', async () => {
    const lines: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => lines.push(l) });
    expect(lines).toContain(
      'seed TaskApi: 3 item(s) from ./test/cli/fixtures/seed/tasks.json (tenant local-dev)',
    );
    expect(lines).toContain(
      'seed ProductApi: 2 item(s) from ./test/cli/fixtures/seed/products.json (tenant local-dev)',
    );
    const tasks = await get('/api/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toHaveLength(3);
    for (const t of tasks.body.items) {
      expect(t['tenantId']).toBe(DEFAULT_DEV_USER.tid);
      expect(t['ownerId']).toBe(DEFAULT_DEV_USER.oid);
      expect(typeof t['id']).toBe('string');
      // The hidden schema version is stored, never returned.
      expect(Object.keys(t).some((k) => k.startsWith('_'))).toBe(false);
    }
    const byId = new Map(tasks.body.items.map((t) => [t['id'], t]));
    expect(byId.get('t1')?.['status']).toBe('closed');
    expect(byId.get('t2')?.['status']).toBe('open');
    // Another tenant's user sees none of the dev tenant's seeded tasks; the shared catalogue is everyone's.
    const other = { 'x-atakora-dev-user': 'mallory@fabrikam' };
    expect((await get('/api/tasks', other)).body.items).toEqual([]);
    expect((await get('/api/products', other)).body.items.map((p) => p['name']).sort()).toEqual([
      'Espresso',
      'Flat white',
    ]);
    await dev.stop();
    dev = undefined;

    const again: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => again.push(l) });
    expect(again).toContain('seed TaskApi: not loaded, the container already holds 3 item(s)');
    expect((await get('/api/tasks')).body.items).toHaveLength(3);
    expect((await get('/api/products')).body.items).toHaveLength(2);
  }, 180_000);

  it('an invalid seed stops the start: CRUD_SEED_INVALID naming file, index and field', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/invalid-tasks.json';
    await expect(startDev(entry, { log: () => undefined })).rejects.toMatchObject({
      code: 'CRUD_SEED_INVALID',
      message: expect.stringMatching(/invalid-tasks\.json: item 1, field "title"/) as unknown,
    });
  }, 120_000);
});
