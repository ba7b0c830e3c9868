// Child processes of the repository scripts: `collect` keeps the output (static-checks.mjs prints each tool's output
// whole when its lane ends, test.mjs the static checks' after vitest's summary); `run` passes it straight through
// (the build, vitest).
import { spawn } from 'node:child_process';

/**
 * Runs `command args` with stdout and stderr kept together, in the order written. Never rejects: resolves to the
 * exit code (1 when it could not start or was killed), the output and the milliseconds it took.
 *
 * @example
 * const { code, output } = await collect(process.execPath, ['-e', 'console.log(1)'], { cwd: root });
 */
export function collect(command, args, { cwd, shell = false }) {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, shell, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d) => {
      output += d;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) =>
      done({ code: 1, output: `${output}${e.message}\n`, ms: Date.now() - started }),
    );
    child.on('close', (code) => done({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

/**
 * Runs `command args` with its output straight through (the build, vitest). Never rejects: resolves to the exit code
 * (1 when it could not start or was killed).
 *
 * @example
 * const code = await run(process.execPath, ['scripts/build.mjs'], { cwd: root });
 */
export function run(command, args, { cwd }) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });
}
