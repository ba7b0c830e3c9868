/** `synthBackend()` (the public testing helper) leaves no `cdktf.outdir.*` folder behind. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { synthBackend } from '../../src/testing/synth-backend.js';

describe('synthBackend cleans up', () => {
  it('removes the temporary cdktf output folder Testing.app() made, and still returns the JSON', () => {
    // A temp dir of this test's own (os.tmpdir() reads TMPDIR on each call), so other processes do not count.
    const own = mkdtempSync(join(tmpdir(), 'synth-cleanup-'));
    const before = process.env['TMPDIR'];
    process.env['TMPDIR'] = own;
    try {
      const json = synthBackend(
        defineBackend({
          users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        }),
      );
      expect(Object.keys(json.resource?.['azurerm_cosmosdb_account'] ?? {})).toHaveLength(1);
      expect(readdirSync(own).filter((f) => f.startsWith('cdktf.outdir.'))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = before;
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('makes the folder it writes into: a TMPDIR not made yet is made, not an ENOENT', () => {
    const parent = mkdtempSync(join(tmpdir(), 'synth-unmade-'));
    const unmade = join(parent, 'not', 'made');
    const before = process.env['TMPDIR'];
    process.env['TMPDIR'] = unmade;
    try {
      const json = synthBackend(
        defineBackend({
          users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        }),
      );
      expect(Object.keys(json.resource?.['azurerm_cosmosdb_account'] ?? {})).toHaveLength(1);
      expect(readdirSync(unmade)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = before;
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
