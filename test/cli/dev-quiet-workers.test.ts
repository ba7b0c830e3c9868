/**
 * `DevOptions.quietWorkers` (`atakora verify`'s proof stacks, the tests' dev sessions): no one reads what the workers
 * write, so they load no source maps and their invocation contexts log nothing — the runtime's one JSON line per
 * request and a handler's `context.log` — while every answer is the same. Without it a worker runs with
 * `--enable-source-maps` and each request's line reaches the session's `log` (docs/performance.md, "fifth pass").
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';

const entry = 'test/cli/fixtures/quiet/backend.ts';
const sessions: DevSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
});

/** A session of the fixture, its workers' lines kept; a note created and read, the probe asked. */
async function exercise(quietWorkers: boolean) {
  const lines: string[] = [];
  const dev = await startDev(entry, { log: (l) => lines.push(l), quietWorkers });
  sessions.push(dev);
  const base = (name: string) => dev.apps.find((a) => a.name.includes(name))?.url ?? '';
  const notes = base('notes') || (dev.apps[0]?.url ?? '');
  const created = await fetch(`${notes}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'n-1', title: 'quiet' }),
  });
  const read = await fetch(`${notes}/api/notes/n-1`);
  const probeApp = dev.apps.find((a) => a.functions.some((f) => f.name.includes('probe')));
  const probe = await fetch(`${probeApp?.url ?? ''}/api/probe`);
  return {
    answers: [created.status, read.status, await read.json(), probe.status],
    sourceMaps: ((await probe.json()) as { sourceMaps: boolean }).sourceMaps,
    requestLines: lines.filter((l) => l.includes('"invocationId"')),
    probeLines: lines.filter((l) => l.includes('probe-line')),
  };
}

describe('atakora dev: quiet workers', () => {
  it('answer the same, with no source maps loaded and no line logged; a session that reads its workers gets both', async () => {
    const [quiet, read] = await Promise.all([exercise(true), exercise(false)]);
    expect(quiet.answers).toEqual([
      201,
      200,
      expect.objectContaining({ id: 'n-1', title: 'quiet' }),
      200,
    ]);
    expect(read.answers).toEqual(quiet.answers);
    // The session that reads its workers: source maps on (stack traces name the user's files), a line per request.
    expect(read.sourceMaps).toBe(true);
    expect(read.requestLines.length).toBeGreaterThanOrEqual(2);
    expect(read.probeLines).toHaveLength(1);
    // The quiet one: neither.
    expect(quiet.sourceMaps).toBe(false);
    expect(quiet.requestLines).toEqual([]);
    expect(quiet.probeLines).toEqual([]);
  });
});
