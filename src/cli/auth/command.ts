import { parseArgs } from 'node:util';
import { HELP } from '../commands.js';
import { loadOneBackend } from '../shared/environment-option.js';
import { UsageError } from '../shared/usage-error.js';
import { authSetup } from '../shared/customer-setup.js';

/** `auth setup`'s flags. */
const OPTIONS = {
  environment: { type: 'string' },
  'resource-group': { type: 'string' },
  'rotate-secrets': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the command writes. */
export interface AuthIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/**
 * `atakora auth setup <entry> [--environment E] [--resource-group RG] [--rotate-secrets]`: a customer sign-in's user
 * flow, social identity providers and app links in its external tenant, through Microsoft Graph ({@link authSetup}).
 * Returns 0 when the tenant is as declared (changed or not); a failure is an AtakoraError (exit 1).
 *
 * @example
 * ```ts
 * process.exitCode = await authCommand(['setup', 'backend.ts', '--environment', 'prod'], io);
 * ```
 */
export async function authCommand(
  argv: readonly string[],
  io: AuthIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (v.help) {
    io.out(`${HELP['auth'] ?? ''}\n`);
    return 0;
  }
  const [action, entry, ...extra] = positionals;
  if (action !== 'setup') throw new UsageError(`auth takes setup (got ${action ?? 'nothing'}).`);
  if (!entry) throw new UsageError('auth setup takes an <entry>.');
  if (extra.length)
    throw new UsageError(`auth setup takes one <entry> (got ${extra.join(' ')} too).`);
  const backend = await loadOneBackend(entry, v.environment, 'auth setup sets up one');
  await authSetup(backend, {
    env,
    resourceGroup: v['resource-group'],
    rotateSecrets: v['rotate-secrets'] === true,
    out: (l) => {
      io.out(`${l}\n`);
    },
  });
  return 0;
}
