import { spawn } from 'node:child_process';
import { AtakoraError } from '../../model/errors.js';
import { findExecutable } from '../shared/executable-lookup.js';

/** What one Terraform command left behind. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link TerraformRunner.run}. */
export interface RunOptions {
  /** Called with each complete line Terraform writes to stdout (apply's "Creation complete" lines). */
  readonly onLine?: (line: string) => void;
  /** Called when the deploy is interrupted (SIGINT, SIGTERM) while Terraform runs; the signal is passed on to it. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
}

/** Runs one Terraform (or OpenTofu) binary in stack directories. */
export interface TerraformRunner {
  /** The executable's resolved path. */
  readonly bin: string;
  run(cwd: string, args: readonly string[], options?: RunOptions): Promise<TerraformResult>;
}

/**
 * The binary to run: `--terraform <bin>`, else `ATAKORA_TERRAFORM`, else `terraform` then `tofu` from PATH. A
 * name is looked up on PATH, a path is taken as it is; a missing one is `TERRAFORM_NOT_FOUND`, never ENOENT.
 *
 * @example
 * ```ts
 * findTerraform(undefined, process.env); // '/usr/local/bin/terraform'
 * ```
 */
export function findTerraform(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = flag ?? (env['ATAKORA_TERRAFORM'] || undefined);
  const candidates = chosen ? [chosen] : ['terraform', 'tofu'];
  for (const c of candidates) {
    const found = findExecutable(c, env);
    if (found) return found;
  }
  const what = chosen
    ? `"${chosen}" (${flag ? '--terraform' : 'ATAKORA_TERRAFORM'})`
    : 'terraform or tofu on PATH';
  throw new AtakoraError(
    'TERRAFORM_NOT_FOUND',
    `Cannot find ${what}: atakora deploy runs the Terraform CLI.`,
  );
}

/**
 * A runner for `bin`: spawns it in the stack's directory with `TF_IN_AUTOMATION=1` (Terraform then leaves out
 * its "run terraform apply next" hints,
 * https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_in_automation)
 * and `TF_INPUT=0` (never prompts), collecting stdout and stderr.
 *
 * @example
 * ```ts
 * const tf = terraformRunner(findTerraform(undefined));
 * const { code, stderr } = await tf.run('cdktf.out/stacks/backend-prod', ['init', '-input=false']);
 * ```
 */
export function terraformRunner(
  bin: string,
  env: NodeJS.ProcessEnv = process.env,
): TerraformRunner {
  return {
    bin,
    run: (cwd, args, options = {}) =>
      new Promise((done, fail) => {
        // Its own process group (POSIX): a Ctrl+C in the terminal reaches only us, and we pass it on exactly once.
        // Terraform stops gracefully on the first interrupt (finishing the calls in flight, writing the state,
        // releasing its lock) and immediately on the second; dying with it, or closing its pipes under it, could
        // leave the state locked or unwritten.
        const child = spawn(bin, [...args], {
          cwd,
          env: { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
        });
        const forward = (signal: NodeJS.Signals) => () => {
          options.onSignal?.(signal);
          child.kill(signal);
        };
        const onInt = forward('SIGINT');
        const onTerm = forward('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
        const release = () => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
        };
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let pending = '';
        child.stdout.on('data', (b: Buffer) => {
          out.push(b);
          if (!options.onLine) return;
          pending += b.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const l of lines) options.onLine(l);
        });
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e: NodeJS.ErrnoException) => {
          release();
          fail(
            e.code === 'ENOENT' || e.code === 'EACCES'
              ? new AtakoraError('TERRAFORM_NOT_FOUND', `Cannot run ${bin}: ${e.code}.`, {
                  cause: e,
                })
              : e,
          );
        });
        child.on('close', (code, signal) => {
          release();
          if (pending && options.onLine) options.onLine(pending);
          done({
            code: code ?? (signal ? 128 : 1),
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
        });
      }),
  };
}
