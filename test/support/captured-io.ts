import type { Io } from '../../src/cli/main.js';

/** What `main(argv, io)` wrote: `out` and `err` grow as it writes (no TTY, so no colours). */
export interface CapturedIo {
  readonly io: Io;
  readonly out: string;
  readonly err: string;
}

/**
 * An `Io` for the CLI's `main` that keeps what it is given.
 *
 * @example
 * ```ts
 * const c = capturedIo();
 * expect(await main(['dev', '--help'], c.io)).toBe(0);
 * expect(c.out).toMatch(/atakora dev <entry>/);
 * ```
 */
export function capturedIo(): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      stdout: {},
    },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
