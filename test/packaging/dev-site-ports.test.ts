/**
 * `atakora dev` serves each site on the port it had the last time the same entry ran (kept in the entry's dev state
 * file), so open tabs — and the CORS origins they were opened on — survive a restart; when another process holds
 * that port now, the site gets a new one and dev says so.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev } from '../../src/cli/dev/session/session.js';
import { devStateFile, readSitePorts } from '../../src/cli/shared/dev-state.js';

const ENTRY = 'test/packaging/fixtures/ports-backend.ts';
const portOf = (url: string) => Number(new URL(url).port);

beforeAll(() => {
  rmSync(devStateFile(process.cwd(), ENTRY), { force: true });
});
afterAll(() => {
  rmSync(devStateFile(process.cwd(), ENTRY), { force: true });
});

describe('atakora dev: a site keeps its port across restarts', () => {
  it('two starts of one entry serve the site on the same port; a taken port falls back, said', async () => {
    const first = await startDev(ENTRY, { log: () => undefined });
    const port = portOf(first.sites[0]!.url);
    expect((await fetch(first.sites[0]!.url)).status).toBe(200);
    await first.stop();
    expect(readSitePorts(process.cwd(), ENTRY)).toEqual({ PortsWeb: port });

    const second = await startDev(ENTRY, { log: () => undefined });
    try {
      expect(portOf(second.sites[0]!.url)).toBe(port);
      expect((await fetch(second.sites[0]!.url)).status).toBe(200);
    } finally {
      await second.stop();
    }

    // Another process holds the port now: a new one, and a line that names both.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const lines: string[] = [];
    const third = await startDev(ENTRY, { log: (l) => lines.push(l) });
    const moved = portOf(third.sites[0]!.url);
    try {
      expect(moved).not.toBe(port);
      expect(lines.join('\n')).toContain(`site PortsWeb had port ${String(port)} last time`);
      expect(lines.join('\n')).toContain(`served on ${String(moved)}`);
    } finally {
      await third.stop();
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    expect(readSitePorts(process.cwd(), ENTRY)).toEqual({ PortsWeb: moved });
  });
});
