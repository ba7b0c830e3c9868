import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtPath, libraryModule, libraryPath } from '../../src/kit/node/library-files.js';

const root = resolve(import.meta.dirname, '../..');
const copies: string[] = [];
afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
});

// kit/node/library-files.ts: the library finds its own files from its package root, never from the calling
// module's location (in the built package that is a bundle chunk, anywhere under dist/).
describe('library files', () => {
  it('from src/ (tests, tsx): code in src/, build outputs in dist/, modules as .ts when not compiled', () => {
    expect(libraryPath('runtime')).toBe(join(root, 'src', 'runtime'));
    expect(builtPath('runtime-package')).toBe(join(root, 'dist', 'runtime-package'));
    expect(libraryModule('packaging', 'register-hosted')).toBe(
      join(root, 'src', 'packaging', 'register-hosted.ts'),
    );
  });

  it('from the built package: dist/ for both, whichever chunk asks', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const m = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/kit/node/library-files.js')).href)});
      console.log(JSON.stringify([m.libraryPath('runtime'), m.libraryModule('packaging', 'register-hosted')]));
    `,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out.trim())).toEqual([
      join(root, 'dist', 'runtime'),
      join(root, 'dist', 'packaging', 'register-hosted.js'),
    ]);
  });

  it('with no package.json of @atakora/component above (a program bundled with the library inlined): RUNTIME_ASSET_MISSING with the fix', () => {
    const copy = mkdtempSync(join(tmpdir(), 'atakora-no-package-'));
    copies.push(copy);
    for (const dir of ['kit', 'model'])
      cpSync(join(root, 'dist', dir), join(copy, 'dist', dir), { recursive: true });
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const m = await import(${JSON.stringify(pathToFileURL(join(copy, 'dist/kit/node/library-files.js')).href)});
      try { m.libraryPath('runtime'); console.log('no error'); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, resolution: e.resolution })); }
    `,
      ],
      { encoding: 'utf8' },
    );
    const e = JSON.parse(out.trim()) as { name: string; code: string; resolution: string };
    expect(e.code).toBe('RUNTIME_ASSET_MISSING');
    expect(e.name).toBe('AtakoraError');
    expect(e.resolution).toContain('--external:@atakora/component');
  });
});
