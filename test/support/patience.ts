import { availableParallelism, loadavg } from 'node:os';

/**
 * How many times busier than its cores the machine was as the run started (vitest.config.ts measures it and hands
 * it to the workers; measured here when a file runs without that config).
 */
const SLOWNESS =
  Number(process.env['ATAKORA_TEST_SLOWNESS']) ||
  Math.max(1, Math.ceil(Math.max(...loadavg()) / availableParallelism()));

/**
 * How long a test waits for something that must happen — a message delivered, a socket closed, a log line, a page
 * drawn — before it calls it a hang: 2 minutes on a quiet machine, times its slowness. Never a measure of speed: a
 * 2-core machine at load 8–24 takes seconds for what a quiet one does in milliseconds (a chromium start took over
 * 60 s at load 13), and a test that fails there proves nothing about the code. So a test waits for the event itself
 * and only a hang reaches this bound; what a test asserts about time is a bound on work (how many requests,
 * attempts, items) or an ordering. Below vitest's own test and hook timeout (vitest.config.ts: 5 minutes times the
 * same slowness), so a hang fails with the waiter's message.
 */
export const HANG_MS = 120_000 * SLOWNESS;

/** `expect.poll` / `vi.waitFor` options: poll often, give up only at {@link HANG_MS}. */
export const EVENTUALLY = { timeout: HANG_MS, interval: 50 } as const;

/** `ms` on a quiet machine, as long on this one: for a bound a test sets itself (a child process's, a long run's). */
export const deadline = (ms: number): number => ms * SLOWNESS;
