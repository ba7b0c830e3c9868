/**
 * `atakora dev` killed without a chance to stop (`kill -9`, a crash, a test runner's SIGKILL): its children go with
 * it. The worker and Azurite each hold their stdin as a lifeline (src/cli/dev/host/lifeline.ts); before it, the
 * worker outlived the command, holding its port and polling its queues for no one. A process of the bin, since what
 * is proven is what happens when that process is gone; Linux's /proc names its children.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDevBin } from '../support/dev-bin.js';
import { EVENTUALLY } from '../support/patience.js';

const root = resolve(import.meta.dirname, '../..');
let dev: ChildProcess | undefined;
let children: number[] = [];

/** A live process's parent and command line; undefined once it is gone (or a zombie no one reaped yet). */
function processInfo(pid: number): { ppid: number; args: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after its last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') return undefined;
    const args = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
      .split('\0')
      .join(' ');
    return { ppid: Number(ppid), args };
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): { pid: number; args: string }[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => ({ pid: Number(d), info: processInfo(Number(d)) }))
    .filter((p) => p.info?.ppid === pid)
    .map((p) => ({ pid: p.pid, args: p.info!.args }));
}

afterAll(() => {
  if (dev?.exitCode === null) dev.kill('SIGKILL');
  // On a failure, nothing this file started outlives it.
  for (const pid of children.filter((p) => processInfo(p))) process.kill(pid, 'SIGKILL');
});

describe('atakora dev killed with SIGKILL', () => {
  it('its worker and Azurite exit with it, instead of holding their ports', async () => {
    const { child, ready } = startDevBin(
      ['test/packaging/fixtures/queues-backend.ts', '--port', '0'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ATAKORA_SKIP_PREFLIGHT: '1' } },
    );
    dev = child;
    await ready;
    const started = childrenOf(child.pid!);
    children = started.map((c) => c.pid);
    // The app's worker and Azurite's queue service, each a process of the dev command.
    expect(started.map((c) => c.args).join('\n')).toMatch(/dev[/\\]host[/\\]host\.js/);
    expect(started.map((c) => c.args).join('\n')).toMatch(/azurite.*queue[/\\]main\.js/);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await expect
      .poll(() => children.filter((pid) => processInfo(pid) !== undefined), EVENTUALLY)
      .toEqual([]);
  });
});
