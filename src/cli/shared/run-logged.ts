import { spawn } from 'node:child_process';

/** How {@link runLogged} runs a command and what it keeps of its output. */
export interface LoggedRun {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run through the shell (a user's `buildCommand`). */
  readonly shell?: boolean;
  /** Each line of stdout and stderr, as it comes (already passed through `shown`). */
  readonly log: (line: string) => void;
  /** How many characters of the output to keep, the last ones, for the error message. */
  readonly keep: number;
  /** What a logged line shows (a secret masked). */
  readonly shown?: (line: string) => string;
}

/**
 * Run a command with its output logged line by line (indented) and its last `keep` characters kept; resolves to
 * the exit code (-1 with the error's message when it could not start) and that output. Never rejects.
 *
 * @example
 * ```ts
 * const { code, output } = await runLogged('npm', ['run', 'build'], { cwd, log, keep: 2000 });
 * ```
 */
export function runLogged(
  command: string,
  args: readonly string[],
  run: LoggedRun,
): Promise<{ code: number | null; output: string }> {
  const shown = run.shown ?? ((line: string) => line);
  return new Promise((done) => {
    const child = spawn(command, [...args], {
      cwd: run.cwd,
      ...(run.env ? { env: run.env } : {}),
      ...(run.shell ? { shell: true } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-run.keep);
      for (const l of text.split('\n').filter(Boolean)) run.log(`  ${shown(l)}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (e) => {
      done({ code: -1, output: e.message });
    });
    child.once('close', (c) => {
      done({ code: c, output });
    });
  });
}
