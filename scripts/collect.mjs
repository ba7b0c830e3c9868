// One child process of a repository script, its output kept: static-checks.mjs prints each tool's output whole
// when its lane ends, and test.mjs prints the static checks' output after vitest's summary.
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
