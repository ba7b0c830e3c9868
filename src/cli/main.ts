import { AtakoraError } from '../model/errors.js';
import { HELP } from './commands.js';
import type { SecretInput } from './secrets/value.js';
import { EntryError } from './entry/errors.js';
import { fallbackTarget, fsError, isFsError } from './shared/fs-errors.js';
import { packageVersion } from './version.js';
import { colors } from './shared/style.js';
import { UsageError } from './shared/usage-error.js';
import { commandLine } from './shared/command-line.js';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly stdout: { isTTY?: boolean };
  /** What `secret set` reads a value from and deploy, destroy and `tenant restore` ask on (default process.stdin). */
  readonly stdin?: SecretInput;
}

/** plan's and diff's review page and budget gate. */
const REVIEW_FLAGS = ['format', 'out', 'base', 'max-monthly-usd', 'max-cost-increase-usd'] as const;
/** dev's sign-in, port and data folder. */
const DEV_FLAGS = ['port', 'user', 'tenant', 'roles', 'data-dir'] as const;

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdout: process.stdout,
};

/**
 * The `atakora` command. Returns the exit code (0 clean, 1 plan errors / data loss / AtakoraError / a failing
 * entry, 2 usage). Errors end in a short message, never a stack (unless ATAKORA_DEBUG=1).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['plan', 'examples/basic.ts', '--format', 'markdown']);
 * ```
 */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.out(`${HELP['main'] ?? ''}\n`);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.out(`${packageVersion()}\n`);
      return 0;
    }
    if (!(command in HELP) || command === 'main')
      throw new UsageError(`Unknown command: ${command}`);
    // deploy/destroy parse their own flags; loaded only when run.
    if (command === 'deploy' || command === 'destroy')
      return await (await import('./deploy/command.js')).deployCommand(command, rest, io);
    if (command === 'secret')
      return await (await import('./secrets/command.js')).secretCommand(rest, io);
    if (command === 'auth') return await (await import('./auth/command.js')).authCommand(rest, io);
    if (command === 'migrate')
      return await (await import('./migrate/command.js')).migrateCommand(rest, io);
    if (command === 'verify')
      return await (await import('./verify/command.js')).verifyCommand(rest, io);
    if (command === 'seed') return await (await import('./seed/command.js')).seedCommand(rest, io);
    if (command === 'tenant')
      return await (await import('./tenant/command.js')).tenantCommand(rest, io);
    if (command === 'logs') return await (await import('./logs/command.js')).logsCommand(rest, io);
    if (command === 'usage')
      return await (await import('./logs/usage-command.js')).usageCommand(rest, io);
    if (command === 'sandbox')
      return await (await import('./deploy/sandbox-command.js')).sandboxCommand(rest, io);
    const line = commandLine(
      rest,
      {
        help: HELP[command],
        strings: [...REVIEW_FLAGS, ...DEV_FLAGS, 'environment', 'resource-group'],
        booleans: ['json', 'by-type', 'allow-schema-change'],
      },
      io,
    );
    if (!line) return 0;
    const { values, positionals } = line;
    if (values['allow-schema-change'] && command !== 'diff')
      throw new UsageError(
        `--allow-schema-change belongs to atakora diff and atakora deploy, not ${command}.`,
      );
    const format = values.json ? 'json' : (values.format ?? 'text');
    const environment = values.environment;
    if (command === 'dev')
      return await (await import('./dev/session/command.js')).devCommand(
        positionals,
        values.port,
        io,
        {
          ...(values.user !== undefined ? { user: values.user } : {}),
          ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
          ...(values.roles !== undefined ? { roles: values.roles } : {}),
        },
        values['data-dir'],
        environment,
      );
    if (command === 'openapi')
      return await (await import('./plan/openapi-command.js')).openApiCommand(
        positionals,
        values.out,
        io,
        environment,
      );
    // plan, synth, diff: cdktf, the renderers and the plan schema load only now.
    const [{ budgetFlags }, { planCommand, synthCommand, diffCommand }] = await Promise.all([
      import('./plan/review.js'),
      import('./plan/review-commands.js'),
    ]);
    // Plan review: the HTML page, a base plan, the budget gate (plan and diff only).
    const review = () => ({
      out: values.out,
      base: values.base,
      limits: budgetFlags(values, command === 'diff' || values.base !== undefined),
    });
    if (command === 'plan')
      return await planCommand(
        positionals,
        format,
        io,
        values['by-type'] === true,
        review(),
        environment,
      );
    if (command === 'synth')
      return await synthCommand(
        positionals,
        values.out ?? 'cdktf.out',
        values['resource-group'],
        io,
        environment,
      );
    return await diffCommand(positionals, format, io, review(), environment, {
      allowSchemaChange: values['allow-schema-change'] === true,
    });
  } catch (e) {
    const c = colors(io.stdout);
    // A Cosmos DB or HTTP error's code is a number: only a string code can be Node's parseArgs one.
    const code = (e as { code?: unknown }).code;
    if (
      e instanceof UsageError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(
        `${c.red('Usage error:')} ${(e as Error).message}\n\n${HELP[command && command in HELP ? command : 'main']}\n`,
      );
      return 2;
    }
    // A missing entry is a command-line mistake like a directory or a JSON file given as the entry: exit 2.
    if (isAtakoraError(e)) {
      io.err(`${c.red('Error')} ${e.format()}\n`);
      return e.code === 'ENTRY_NOT_FOUND' ? 2 : 1;
    }
    // A file-system error no command turned into words on the way: still the path and the fix, never Node's raw line.
    if (isFsError(e) && process.env['ATAKORA_DEBUG'] !== '1') {
      io.err(
        `${c.red('Error')} ${fsError(e, fallbackTarget(command ?? 'atakora', e.syscall, e.path)).format()}\n`,
      );
      return 1;
    }
    // Anything else: one line, no stack (ATAKORA_DEBUG=1 shows it, for a bug report).
    if (process.env['ATAKORA_DEBUG'] === '1') throw e;
    const message =
      e instanceof EntryError
        ? e.message
        : `${(e as Error | undefined)?.name ?? 'Error'}: ` +
          `${(e as Error | undefined)?.message ?? String(e)}\n(ATAKORA_DEBUG=1 prints the stack)`;
    io.err(`${c.red('Error')} ${message}\n`);
    return 1;
  }
}

/** An AtakoraError from this or another copy of the package (an entry loaded through tsx has its own). */
function isAtakoraError(e: unknown): e is AtakoraError {
  const x = e as AtakoraError | undefined;
  return (
    e instanceof AtakoraError ||
    (!!x &&
      typeof x.code === 'string' &&
      typeof x.resolution === 'string' &&
      typeof x.format === 'function')
  );
}
