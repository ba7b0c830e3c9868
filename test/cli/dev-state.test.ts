/**
 * `atakora dev`'s state file, by which `migrate --local` and `seed --local` find the local Cosmos DB server: one per
 * entry, so two devs of two entries in one folder each keep theirs (neither overwrites the other's, and one's stop
 * does not remove the other's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  devStateFile,
  type DevState,
  readDevState,
  recordDevBlobs,
  removeDevState,
  writeDevState,
} from '../../src/cli/shared/dev-state.js';

const dir = mkdtempSync(join(tmpdir(), 'atakora-dev-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stateOf = (entry: string, port: number): DevState => ({
  version: 1,
  pid: process.pid,
  entry: join(dir, entry),
  cosmos: { endpoint: `https://127.0.0.1:${String(port)}/`, key: 'k', ca: 'PEM' },
});

describe('dev state', () => {
  it('is kept per entry: two devs in one folder, each found by its own entry, one stopping leaves the other', () => {
    const shop = writeDevState(dir, stateOf('shop.ts', 8081));
    const admin = writeDevState(dir, stateOf('admin/backend.ts', 8082));
    expect(shop).not.toBe(admin);
    expect(readDevState(dir, 'shop.ts').cosmos.endpoint).toBe('https://127.0.0.1:8081/');
    expect(readDevState(dir, './admin/backend.ts', 'seed').cosmos.endpoint).toBe(
      'https://127.0.0.1:8082/',
    );
    removeDevState(admin);
    expect(readDevState(dir, 'shop.ts').cosmos.endpoint).toBe('https://127.0.0.1:8081/');
    expect(() => readDevState(dir, 'admin/backend.ts', 'seed')).toThrow(
      /SEED_DEV_NOT_RUNNING|does not exist/,
    );
  });

  it('lives under .atakora, named after its entry', () => {
    const file = devStateFile(dir, 'shop.ts');
    expect(relative(dir, file)).toMatch(/^\.atakora[/\\]dev-state-shop-[0-9a-f]{10}\.json$/);
    expect(devStateFile(dir, './shop.ts')).toBe(file);
    expect(devStateFile(dir, 'other/shop.ts')).not.toBe(file);
  });

  it('records dev’s Azurite for the tenant commands only in its own dev’s file, and only on loopback', () => {
    const file = writeDevState(dir, stateOf('files.ts', 8083));
    recordDevBlobs(
      dir,
      'files.ts',
      { endpoint: 'https://127.0.0.1:10000/devstoreaccount1/', ca: 'PEM' },
      1,
    );
    expect(readDevState(dir, 'files.ts').blobs).toBeUndefined();
    recordDevBlobs(dir, 'files.ts', {
      endpoint: 'https://127.0.0.1:10000/devstoreaccount1/',
      ca: 'PEM',
    });
    expect(readDevState(dir, 'files.ts').blobs?.endpoint).toBe(
      'https://127.0.0.1:10000/devstoreaccount1/',
    );
    // Who could write the file could send a tenant's files elsewhere: a blob endpoint off loopback is refused.
    recordDevBlobs(dir, 'files.ts', {
      endpoint: 'https://files.example.com/devstoreaccount1/',
      ca: 'PEM',
    });
    expect(() => readDevState(dir, 'files.ts')).toThrow(
      /MIGRATE_DEV_STATE_INVALID|not \{ endpoint, ca \} on a loopback/,
    );
    removeDevState(file);
  });
});
