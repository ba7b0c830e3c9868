/**
 * How long a test waits for something that must happen — a message delivered, a socket closed, a log line, a page
 * drawn — before it calls it a hang. Never a measure of speed: a 2-core machine at load 8–15 takes
 * seconds for what a quiet one does in milliseconds (a chromium start took over 60 s at load 13), and a test that
 * fails there proves nothing about the code. So a test waits for the event itself and only a hang reaches this
 * bound; what a test asserts about time is a bound on work (how many requests, attempts, items) or an ordering.
 * Below vitest's own test and hook timeout (vitest.config.ts), so a hang fails with the waiter's message.
 */
export const HANG_MS = 120_000;

/** `expect.poll` / `vi.waitFor` options: poll often, give up only at {@link HANG_MS}. */
export const EVENTUALLY = { timeout: HANG_MS, interval: 50 } as const;
