import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One CLI run: its exit code and what it wrote. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The process a run sees: its whole environment (as a child's `env`), working folder and stdin. */
export interface CliScene {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** All of stdin, then its end (a pipe, not a terminal); empty by default. */
  readonly input?: string;
}

const root = resolve(import.meta.dirname, '../..');
let loaded: Promise<typeof import('../../src/cli/main.js')> | undefined;
let signIns: Promise<typeof import('../../src/cli/azure/credentials.js')> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * `atakora <args>` as `dist/cli/bin.js` runs it, in this worker: the built `main(argv, io)` with stdout and
 * stderr captured, `env` as the whole of process.env, `cwd` as the working folder and `input` as a piped stdin;
 * a rejection is printed and exits 1, as the bin does. For tests about a command's behaviour, not the process
 * boundary: one load of the CLI, cdktf and the bindings per worker instead of a cold start (~1 CPU-s) per call.
 * Exit codes, signals, a real stdin and the bin itself stay with real processes (test/cli/cli.test.ts,
 * cli-errors.test.ts, the Ctrl+C tests).
 *
 * Runs go one at a time (process.env and the working folder are the process's), and each puts back the
 * environment, folder and exit code it found, whatever the command did to them: files share a worker.
 *
 * @example
 * ```ts
 * const r = await runCliInProcess(['plan', 'examples/basic.ts'], { env: { ...process.env, NO_COLOR: '1' } });
 * expect(r.code).toBe(0);
 * ```
 */
export function runCliInProcess(args: readonly string[], scene: CliScene): Promise<CliResult> {
  const run = queue.then(() => runNow(args, scene));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(args: readonly string[], scene: CliScene): Promise<CliResult> {
  loaded ??= import(pathToFileURL(join(root, 'dist/cli/main.js')).href) as Promise<
    typeof import('../../src/cli/main.js')
  >;
  const { main } = await loaded;
  // Each run signs in afresh, as a new process does: a token an earlier run's `az` stand-in gave must not answer.
  signIns ??= import(pathToFileURL(join(root, 'dist/cli/azure/credentials.js')).href) as Promise<
    typeof import('../../src/cli/azure/credentials.js')
  >;
  (await signIns).forgetSignIns();
  const saved = { ...process.env };
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(scene.input ?? '');
  replaceEnv(scene.env);
  const warned = freshWarnings();
  const streams = captureStreams(
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
  );
  try {
    if (scene.cwd !== undefined) process.chdir(scene.cwd);
    const code = await main(args, {
      out: (s) => {
        stdout += s;
      },
      err: (s) => {
        stderr += s;
      },
      stdout: {},
      stdin,
    }).catch((e: unknown) => {
      stderr += `${inspect(e)}\n`;
      return 1;
    });
    return { code, stdout, stderr };
  } finally {
    streams.restore();
    warned.restore();
    process.chdir(cwd);
    replaceEnv(saved);
    process.exitCode = exitCode;
  }
}

/** process.env becomes exactly `env` (an undefined value is an absent variable, as a child's env has it). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(process.env)) if (env[k] === undefined) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
}

type Write = typeof process.stdout.write;

/** What a command writes straight to process.stdout / stderr (a warning, a library's line) is the run's too. */
function captureStreams(
  out: (s: string) => void,
  err: (s: string) => void,
): { restore: () => void } {
  const writes = [process.stdout.write, process.stderr.write] as const;
  const into =
    (keep: (s: string) => void): Write =>
    (chunk: unknown, ...rest: unknown[]) => {
      keep(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  process.stdout.write = into(out);
  process.stderr.write = into(err);
  return {
    restore: () => {
      [process.stdout.write, process.stderr.write] = writes;
    },
  };
}

/**
 * The warnings src/apply/warn-once.ts printed "in this process" (a global): empty for the run, as in a new
 * process, then as they were.
 */
function freshWarnings(): { restore: () => void } {
  const key = Symbol.for('atakora.warned');
  const global = globalThis as Record<symbol, Set<string> | undefined>;
  const before = new Set(global[key] ?? []);
  global[key]?.clear();
  return {
    restore: () => {
      const now = (global[key] ??= new Set<string>());
      now.clear();
      for (const m of before) now.add(m);
    },
  };
}
