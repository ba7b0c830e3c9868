/**
 * Every file-system failure of `atakora` is an AtakoraError with the path and the fix, never Node's raw
 * `Error: ENOENT … mkdir`; a missing parent of --out is created as `mkdir -p` would. Runs the built CLI's main (npm run
 * build first) in this worker, in the user's folder and environment (test/support/cli-in-process.ts). Tests run as root, so an unwritable folder is stood in for
 * by a path under a regular file (ENOTDIR); EACCES, EROFS and a full disk are checked on the helper itself.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ensureFolder,
  fallbackTarget,
  fsError,
  isFsError,
} from '../../src/cli/shared/fs-errors.js';
import { AtakoraError } from '../../src/model/errors.js';
import { installFakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-fs-errors-'));
const tf = installFakeTerraform();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});

/** A regular file: a folder below it can never be made (ENOTDIR), whoever runs the test. */
const aFile = join(work, 'notes.txt');
writeFileSync(aFile, 'not a folder\n');

async function atakora(
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    ATAKORA_SKIP_PREFLIGHT: '1',
    ...extra,
  };
  delete env['ATAKORA_DEBUG'];
  return runCliInProcess(args, { env, cwd: root });
}

/** The error is worded, not raw: its code, the path, a resolution; no Node error line or stack. */
function expectWorded(stderr: string, code: string, ...mentions: string[]): void {
  expect(stderr).toContain(`Error ${code}: `);
  for (const m of mentions) expect(stderr).toContain(m);
  expect(stderr).toContain('Resolution: ');
  expect(stderr).not.toMatch(
    /Error Error: E[A-Z]+|^\s+at .*(node:|node_modules|\/dist\/|\/src\/)/m,
  );
  expect(stderr).not.toContain('ATAKORA_DEBUG=1 prints the stack');
}

describe('atakora: file-system errors are AtakoraErrors with the path and the fix', () => {
  it('synth --out with missing parents creates them, as mkdir -p would', async () => {
    const out = join(work, 'missing', 'parents', 'out');
    const r = await atakora(['synth', 'examples/basic.ts', '--out', out]);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'stacks', 'backend-prod', 'cdk.tf.json'))).toBe(true);
  });

  it('synth --out naming a file: FS_NOT_A_FOLDER naming it and --out (exit 1), before any planning', async () => {
    const r = await atakora(['synth', 'examples/basic.ts', '--out', aFile]);
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_NOT_A_FOLDER',
      `${aFile} is a file, not a folder`,
      '(at synth.--out)',
      'atakora synth <entry> --out <folder>',
    );
    expect(r.stderr).not.toContain('planning and applying');
  });

  it('synth --out below a file (a folder that cannot be written): FS_NOT_A_FOLDER naming the file in the way', async () => {
    const out = join(aFile, 'out');
    const r = await atakora(['synth', 'examples/basic.ts', '--out', out]);
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_NOT_A_FOLDER',
      `${out} cannot be a folder: ${aFile} is a file`,
      `move ${aFile} away`,
    );
  });

  it('a missing entry: ENTRY_NOT_FOUND with the path it looked at and the working directory (exit 2, a command-line mistake)', async () => {
    for (const command of ['plan', 'synth', 'dev']) {
      const r = await atakora([command, 'src/no-such-backend.ts']);
      expect(r.code, command).toBe(2);
      expectWorded(
        r.stderr,
        'ENTRY_NOT_FOUND',
        `no file at ${join(root, 'src/no-such-backend.ts')}`,
        `relative to the working directory ${root}`,
      );
    }
  });

  it('dev --data-dir below a file: FS_NOT_A_FOLDER at start, not at the first save minutes later', async () => {
    const dir = join(aFile, 'data');
    const r = await atakora(['dev', 'examples/basic.ts', '--port', '0', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_NOT_A_FOLDER',
      `${dir} cannot be a folder: ${aFile} is a file`,
      '(at dev.--data-dir)',
    );
    expect(r.stderr).not.toContain('Starting the local Cosmos DB server');
  });

  it("dev's working folder (under TMPDIR) cannot be made: FS_NOT_A_FOLDER saying to point TMPDIR elsewhere", async () => {
    const temp = join(aFile, 'tmp');
    const r = await atakora(['dev', 'examples/basic.ts', '--port', '0'], { TMPDIR: temp });
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_NOT_A_FOLDER',
      'The working folder of atakora dev',
      `${aFile} is a file`,
      `point TMPDIR at a folder you can write (the temporary folder is now ${temp})`,
    );
  });

  it('deploy --out below a file: FS_NOT_A_FOLDER at deploy.--out before Terraform runs', async () => {
    const out = join(aFile, 'deploy-out');
    const r = await atakora(
      [
        'deploy',
        'examples/basic.ts',
        '--auto-approve',
        '--no-verify',
        '--terraform',
        tf.bin,
        '--out',
        out,
      ],
      { FAKE_TF_LOG: tf.log },
    );
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_NOT_A_FOLDER',
      `${aFile} is a file`,
      '(at deploy.--out)',
      'atakora deploy <entry> --out <folder>',
    );
    expect(tf.calls()).toEqual([]);
  });

  it('openapi --out: missing folders are made; a folder given as the file is FS_IS_A_FOLDER', async () => {
    const file = join(work, 'api', 'docs', 'openapi.json');
    const made = await atakora(['openapi', 'examples/basic.ts', '--out', file]);
    expect(made.code).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { openapi: string }).openapi).toMatch(
      /^3\.1/,
    );
    mkdirSync(join(work, 'a-folder'), { recursive: true });
    const r = await atakora(['openapi', 'examples/basic.ts', '--out', join(work, 'a-folder')]);
    expect(r.code).toBe(1);
    expectWorded(
      r.stderr,
      'FS_IS_A_FOLDER',
      `${join(work, 'a-folder')} is a folder, not a file`,
      '(at openapi.--out)',
    );
  });
});

describe('fsError: one wording per cause, with the path and the fix', () => {
  const errno = (code: string, syscall: string, path: string) =>
    Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
  const out = {
    what: 'the output folder (--out)',
    at: ['synth', '--out'],
    instead: 'pass another --out',
  };

  it('permission denied and a read-only file system: FS_PERMISSION_DENIED naming the nearest folder to make writable', () => {
    const target = join(work, 'locked', 'out');
    for (const code of ['EACCES', 'EPERM', 'EROFS']) {
      const e = fsError(errno(code, 'mkdir', target), out);
      expect(e).toBeInstanceOf(AtakoraError);
      expect(e.code).toBe('FS_PERMISSION_DENIED');
      expect(e.path).toEqual(['synth', '--out']);
      expect(e.message).toContain(target);
      expect(e.message).toContain(code);
      expect(e.resolution).toBe(`Make ${work} writable for this user, or pass another --out.`);
      expect(e.details).toMatchObject({ file: target, errno: code, syscall: 'mkdir' });
    }
  });

  it('a full disk, a missing path, anything else: FS_NO_SPACE, FS_NOT_FOUND, FS_FAILED', () => {
    expect(fsError(errno('ENOSPC', 'write', join(work, 'x')), out).code).toBe('FS_NO_SPACE');
    expect(fsError(errno('ENOENT', 'open', join(work, 'gone.json')), out)).toMatchObject({
      code: 'FS_NOT_FOUND',
    });
    const other = fsError(errno('ENAMETOOLONG', 'mkdir', join(work, 'x')), out);
    expect(other.code).toBe('FS_FAILED');
    expect(other.message).toContain('ENAMETOOLONG on mkdir');
  });

  it("a working folder's error says TMPDIR; the last resort names what the call did", () => {
    const e = fsError(errno('EACCES', 'mkdtemp', '/tmp/atakora-dev-XXXXXX'), {
      what: 'the working folder of atakora dev',
      at: ['dev'],
      temporary: true,
    });
    expect(e.resolution).toContain('point TMPDIR at a folder you can write');
    expect(fallbackTarget('synth', 'mkdir', 'cdktf.out/stacks')).toEqual({
      what: 'a folder atakora synth writes',
      at: ['synth'],
      temporary: false,
    });
    // Wherever the checkout lives (a clone under /tmp too): a path the user named is never "temporary".
    expect(fallbackTarget('synth', 'mkdir', join(process.cwd(), 'cdktf.out')).temporary).toBe(
      false,
    );
    expect(fallbackTarget('dev', 'mkdtemp', join(tmpdir(), 'atakora-dev-x')).temporary).toBe(
      !join(tmpdir(), 'atakora-dev-x').startsWith(`${process.cwd()}/`),
    );
    expect(isFsError(errno('ENOENT', 'open', 'x'))).toBe(true);
    expect(isFsError(new TypeError('x'))).toBe(false);
  });

  it('ensureFolder makes missing parents and refuses a file in the way', () => {
    const dir = join(work, 'ensure', 'a', 'b');
    expect(ensureFolder(dir, out)).toBe(dir);
    expect(existsSync(dir)).toBe(true);
    expect(() => ensureFolder(aFile, out)).toThrow(
      expect.objectContaining({ code: 'FS_NOT_A_FOLDER' }),
    );
  });
});
