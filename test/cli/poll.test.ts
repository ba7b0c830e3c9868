import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/cli/shared/poll.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) =>
    server
      ? server.close(() => {
          r();
        })
      : r(),
  );
  server = undefined;
});

async function serve(statuses: number[]): Promise<string> {
  let i = 0;
  server = createServer((_req, res) => {
    res.statusCode = statuses[Math.min(i++, statuses.length - 1)]!;
    res.end('x');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const byStatus = (url: string) => async (signal: AbortSignal) => {
  const res = await fetch(url, { signal });
  await res.body?.cancel();
  return res.status === 200 ? { ok: true as const, said: 'HTTP 200' } : `HTTP ${res.status}`;
};

// The one retry loop of the deploy's health check and site check (src/cli/shared/poll.ts).
describe('pollUntil', () => {
  it('tries again until the attempt succeeds, and says how many tries it took', async () => {
    const url = await serve([503, 502, 200]);
    const seen: string[] = [];
    const outcome = await pollUntil(byStatus(url), {
      timeoutMs: 60_000,
      initialDelayMs: 5,
      onAttempt: (n, last) => seen.push(`${n} ${last}`),
    });
    expect(outcome).toMatchObject({ ok: true, attempts: 3, last: 'HTTP 200' });
    expect(seen).toEqual(['1 HTTP 503', '2 HTTP 502']);
  });

  it('gives up after its time with the last failure, a refused connection named by its code', async () => {
    const url = await serve([200]);
    await new Promise<void>((r) =>
      server!.close(() => {
        r();
      }),
    );
    server = undefined;
    const outcome = await pollUntil(byStatus(url), { timeoutMs: 30, initialDelayMs: 5 });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBeGreaterThanOrEqual(1);
    expect(outcome.last).toBe('ECONNREFUSED');
  });
});
