import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { installNodeStandIn } from './node-stand-in.js';

// The stand-in's front must behave as the Node script did as a process of its own: its folder, arguments,
// environment, both pipes byte for byte and its exit code.
const dir = mkdtempSync(join(tmpdir(), 'atakora-stand-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = String.raw`const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.writeFileSync('seen.json', JSON.stringify({ cwd: process.cwd(), args, v: process.env.STAND_IN_V, at: path.resolve('x') }));
process.stderr.write('back\\slash\n\ttab, 100% "quoted" ✖\n');
console.log('out %s', args.length);
process.exit(Number(process.env.STAND_IN_CODE || 0));
`;

describe('installNodeStandIn', () => {
  it('runs the script as its own process would: folder, arguments, environment, pipes and exit code', async () => {
    const bin = join(dir, 'tool');
    installNodeStandIn(bin, SCRIPT);
    const work = mkdtempSync(join(dir, 'work-'));
    const args = ['a b', '', '--x=$HOME', "it's"];
    const r = await promisify(execFile)(bin, args, {
      cwd: work,
      env: { ...process.env, STAND_IN_V: 'v=1 2' },
    });
    expect(r.stdout).toBe('out 4\n');
    expect(r.stderr).toBe('back\\slash\n\ttab, 100% "quoted" ✖\n');
    expect(JSON.parse(readFileSync(join(work, 'seen.json'), 'utf8'))).toEqual({
      cwd: work,
      args,
      v: 'v=1 2',
      at: join(work, 'x'),
    });
    const failed = await promisify(execFile)(bin, [], {
      cwd: work,
      env: { ...process.env, STAND_IN_CODE: '3' },
    }).catch((e: { code: number }) => e);
    expect((failed as { code: number }).code).toBe(3);
    // Waited for synchronously: the server is not on this thread.
    expect(execFileSync(bin, ['z'], { cwd: work, encoding: 'utf8', stdio: 'pipe' })).toBe(
      'out 1\n',
    );
    // Installed again at the same path: the new text runs.
    installNodeStandIn(bin, `process.stdout.write('second');`);
    expect(execFileSync(bin, [], { cwd: work, encoding: 'utf8' })).toBe('second');
  });
});
