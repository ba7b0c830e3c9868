import { HELP } from '../commands.js';
import { commandLine, soleEntry, type CommandIo } from '../shared/command-line.js';
import { loadOneBackend } from '../shared/environment-option.js';
import { UsageError } from '../shared/usage-error.js';
import { authSetup } from '../shared/customer-sign-in/setup.js';

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
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['auth'],
      strings: ['environment', 'resource-group'],
      booleans: ['rotate-secrets'],
    },
    io,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  const [action, ...rest] = positionals;
  if (action !== 'setup') throw new UsageError(`auth takes setup (got ${action ?? 'nothing'}).`);
  const entry = soleEntry('auth setup', rest);
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
