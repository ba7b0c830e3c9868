import { parseArgs } from 'node:util';
import { UsageError } from '../shared/usage-error.js';

const DEFAULT_VERIFY_SECONDS = 300;

/**
 * `deploy|destroy`'s command line, parsed (unknown flags throw).
 *
 * @example
 * ```ts
 * parseDeployArgs(['backend.ts', '--auto-approve']).values['auto-approve']; // true
 * ```
 */
export function parseDeployArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'auto-approve': { type: 'boolean' },
      'allow-data-loss': { type: 'boolean' },
      'allow-schema-change': { type: 'boolean' },
      'no-verify': { type: 'boolean' },
      'no-sync': { type: 'boolean' },
      'no-auth-setup': { type: 'boolean' },
      'verify-timeout': { type: 'string' },
      out: { type: 'string' },
      terraform: { type: 'string' },
      'backend-config': { type: 'string', multiple: true },
      'resource-group': { type: 'string' },
      backend: { type: 'string' },
      swa: { type: 'string' },
      'skip-preflight': { type: 'boolean' },
      'admit-address': { type: 'string' },
      environment: { type: 'string' },
    },
  });
}

/** The command line as parsed. */
export type DeployArgs = ReturnType<typeof parseDeployArgs>;

/**
 * The entry, the stacks named and the verify timeout, checked: a bad flag value is a UsageError.
 *
 * @example
 * ```ts
 * checkDeployArgs('deploy', parseDeployArgs(['backend.ts', 'Api']));
 * // { entry: 'backend.ts', only: ['Api'], verifySeconds: 300 }
 * ```
 */
export function checkDeployArgs(
  command: 'deploy' | 'destroy',
  { values: v, positionals }: DeployArgs,
): { entry: string; only: string[]; verifySeconds: number } {
  const [entry, ...only] = positionals;
  if (!entry)
    throw new UsageError(`${command} takes an <entry> (and optionally the stacks to ${command}).`);
  const verifySeconds =
    v['verify-timeout'] === undefined ? DEFAULT_VERIFY_SECONDS : Number(v['verify-timeout']);
  if (!Number.isFinite(verifySeconds) || verifySeconds <= 0)
    throw new UsageError(
      `--verify-timeout takes a number of seconds (got ${String(v['verify-timeout'])}).`,
    );
  if (v.backend !== undefined && !/^[a-z][a-z0-9_]*$/.test(v.backend))
    throw new UsageError(
      `--backend takes a Terraform backend type such as azurerm (got ${v.backend}).`,
    );
  for (const c of v['backend-config'] ?? [])
    if (!c.includes('=') && !/\.(tfbackend|hcl|tfvars)$/.test(c))
      throw new UsageError(
        `--backend-config takes key=value or a backend configuration file (got ${c}).`,
      );
  return { entry, only, verifySeconds };
}
