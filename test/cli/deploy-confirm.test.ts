import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { installFakeTerraform } from '../support/fake-terraform.js';

// The confirmation on a terminal, in process: stdin is a stream that says it is a TTY, answered by the test.
const tf = installFakeTerraform();
const work = mkdtempSync(join(tmpdir(), 'atakora-confirm-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env['FAKE_TF_LOG'];
});

async function deployAnswering(answer: string, n: number) {
  const log = join(work, `calls-${n}.jsonl`);
  process.env['FAKE_TF_LOG'] = log;
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let err = '';
  let out = '';
  const io = {
    out: (s: string) => {
      out += s;
    },
    err: (s: string) => {
      err += s;
      if (s.endsWith('[y/N] ')) stdin.write(answer); // answer when asked, as a person would
    },
    stdout: { isTTY: false },
    stdin,
  };
  const code = await main(
    [
      'deploy',
      'examples/basic.ts',
      '--no-verify',
      '--no-sync',
      '--skip-preflight',
      '--terraform',
      tf.bin,
      '--out',
      join(work, `out-${n}`),
    ],
    io,
  );
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { args: string[] }).args[0]);
  return { code, err, out, calls };
}

describe('atakora deploy on a terminal asks before apply', () => {
  it('y: the summary and the question, then apply', async () => {
    const r = await deployAnswering('y\n', 1);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /backend-prod: \d+ to add, 0 to change, 0 to destroy[\s\S]*Apply these changes to backend-prod\? \[y\/N\] /,
    );
    expect(r.calls).toEqual(['init', 'plan', 'show', 'apply', 'output']);
    expect(r.out).toContain('userApi.apiEndpoint');
  });

  it('anything but y: DEPLOY_NOT_CONFIRMED (exit 1), nothing applied', async () => {
    const r = await deployAnswering('\n', 2);
    expect(r.code).toBe(1);
    expect(r.err).toContain('DEPLOY_NOT_CONFIRMED: Not applying backend-prod: not confirmed.');
    expect(r.calls).toEqual(['init', 'plan', 'show']);
  });
});
