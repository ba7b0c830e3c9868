/**
 * `atakora dev` loads each CrudApi's seed into each tenant's empty view, as that tenant's creates would be
 * stored: the dev user's tenant at start, any other tenant at the first request of one of its users (before
 * that request is served). Stamped with the tenant and the creator, defaults and ids filled; an id another
 * tenant already holds (a container keyed by /id) is skipped and reported, never moved. A second start over the
 * same data (--data-dir) loads nothing again. An invalid seed that would be loaded at start stops it with every
 * bad item listed; one that would not be loaded stops nothing, and one a new tenant would get is logged while
 * that tenant is served. A reload that needs a migration prints the guard's message and still serves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { DEFAULT_DEV_USER } from '../../src/cli/dev/sign-in/sign-in.js';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';

const entry = 'test/cli/fixtures/seed-backend.ts';
const dataDir = mkdtempSync(join(tmpdir(), 'atakora-dev-seed-'));
let dev: DevSession | undefined;
afterEach(async () => {
  await dev?.stop();
  dev = undefined;
  delete process.env['SEED_FIXTURE_FILE'];
  delete process.env['SEED_FIXTURE_PRIORITY'];
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const get = async (path: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${dev!.apps[0]!.url}${path}`, { headers });
  return { status: r.status, body: (await r.json()) as { items: Record<string, unknown>[] } };
};

describe('atakora dev: seed data', () => {
  it("seeds the dev user's tenant at start and another tenant at its first request; a second start loads nothing", async () => {
    const lines: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => lines.push(l) });
    expect(lines).toContain(
      'seed TaskApi: 3 created from ./test/cli/fixtures/seed/tasks.json (tenant local-dev)',
    );
    expect(lines).toContain(
      'seed ProductApi: 2 created from ./test/cli/fixtures/seed/products.json (tenant local-dev)',
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

    // fabrikam's first request seeds fabrikam's view before it is served: its own items, created by mallory;
    // t1 and t2 are local-dev's (one document per id under /id) and stay theirs.
    const other = { 'x-atakora-dev-user': 'mallory@fabrikam' };
    const theirs = (await get('/api/tasks', other)).body.items;
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({
      tenantId: 'fabrikam',
      ownerId: 'mallory',
      title: 'A task without an id',
    });
    expect(
      lines.some((l) =>
        /seed TaskApi: 1 created .*\(tenant fabrikam\); skipped 2 id\(s\) held by another tenant, left untouched: t1, t2/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect((await get('/api/tasks')).body.items).toHaveLength(3);
    expect((await get('/api/products', other)).body.items.map((p) => p['name']).sort()).toEqual([
      'Espresso',
      'Flat white',
    ]);
    await dev.stop();
    dev = undefined;

    const again: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => again.push(l) });
    expect(again).toContain(
      "seed TaskApi: not loaded, tenant local-dev's view already holds 3 item(s)",
    );
    expect((await get('/api/tasks')).body.items).toHaveLength(3);
    expect((await get('/api/products')).body.items).toHaveLength(2);
  });

  it('a seed that would not be loaded stops nothing; a new tenant it would fill is served without it', async () => {
    // The file names `done`, a field the schema dropped at version 2: invalid, but local-dev's view holds data.
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/many-invalid-tasks.json';
    const lines: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => lines.push(l) });
    expect(lines).toContain(
      "seed TaskApi: not loaded, tenant local-dev's view already holds 3 item(s)",
    );
    const r = await get('/api/tasks', { 'x-atakora-dev-user': 'nora@northwind' });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
    expect(
      lines.some(
        (l) =>
          l.startsWith('seed for tenant northwind not loaded: CRUD_SEED_INVALID') &&
          l.includes('3 of 4 item(s) are invalid'),
      ),
    ).toBe(true);
  });

  it('a reload that needs a migration prints the guard and still serves', async () => {
    const lines: string[] = [];
    dev = await startDev(entry, { dataDir, log: (l) => lines.push(l) });
    process.env['SEED_FIXTURE_PRIORITY'] = '1';
    await dev.reload();
    const warning = lines.find((l) => l.includes('SCHEMA_MIGRATION_REQUIRED'));
    expect(warning).toMatch(/TaskApi/);
    expect(warning).toMatch(/priority/);
    expect(warning).toMatch(/Resolution: /);
    expect((await get('/api/tasks')).status).toBe(200);
  });

  it('an invalid seed that would be loaded stops the start, every bad item listed', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/invalid-tasks.json';
    await expect(startDev(entry, { log: () => undefined })).rejects.toMatchObject({
      code: 'CRUD_SEED_INVALID',
      message: expect.stringMatching(
        /invalid-tasks\.json: 1 of 2 item\(s\) are invalid — item 1, field "title"/,
      ) as unknown,
    });
  });

  it("atakora seed --local seeds the running dev: another tenant, or the dev user's by default", async () => {
    dev = await startDev(entry, { log: () => undefined });
    const contoso = capturedIo();
    expect(
      await main(
        ['seed', entry, '--local', '--tenant', 'contoso', '--component', 'TaskApi'],
        contoso.io,
      ),
      contoso.err,
    ).toBe(0);
    expect(contoso.out).toMatch(
      /seed TaskApi: 1 created from .*tasks\.json \(tenant contoso\); skipped 2 id\(s\) held by another tenant, left untouched: t1, t2/,
    );
    const theirs = (await get('/api/tasks', { 'x-atakora-dev-user': 'carol@contoso' })).body.items;
    expect(theirs).toHaveLength(1);
    // The creator is the dev session's user unless --owner names another.
    expect(theirs[0]).toMatchObject({ tenantId: 'contoso', ownerId: DEFAULT_DEV_USER.oid });
    const mine = capturedIo();
    expect(
      await main(['seed', entry, '--local', '--component', 'TaskApi'], mine.io),
      mine.err,
    ).toBe(0);
    expect(mine.out).toMatch(/seed TaskApi: 1 created, 2 already there .*\(tenant local-dev\)/);
  });
});
