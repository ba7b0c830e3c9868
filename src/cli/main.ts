import { readFileSync } from 'node:fs';
import type { Backend } from '../backend/backend.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { diffPlans } from '../plan/diff/diff.js';
import { reportSchemaGuard } from './plan/schema-guard-report.js';
import { resourcePlanSchema } from '../plan/plan-schema.js';
import {
  renderDiffMarkdown,
  renderDiffText,
  renderPlanHtml,
  renderPlanMarkdown,
  renderPlanMermaid,
  renderPlanText,
} from '../plan/render/index.js';
import { costDelta, signedUsd, usd, type BudgetLimits } from '../plan/checks/budget.js';
import { baseFor, budgetFlags, budgetGate, emit, readBasePlans } from './plan/review.js';
import { HELP } from './commands.js';
import type { SecretInput } from './secrets/value.js';
import { devCommand } from './dev/session/command.js';
import { openApiCommand } from './plan/openapi-command.js';
import { EntryError } from './entry/errors.js';
import { fallbackTarget, fsError, isFsError } from './shared/fs-errors.js';
import { synthStacks } from './entry/synth-stacks.js';
import { packageVersion } from './version.js';
import { colors } from './shared/style.js';
import { UsageError } from './shared/usage-error.js';
import { commandLine } from './shared/command-line.js';
import { loadInEnvironment } from './shared/environment-option.js';
import { at } from '../model/at.js';
import { accessReview, renderAccessChangesText } from '../access/matrix/review.js';

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
    if (command === 'dev')
      return await devCommand(
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
      return await openApiCommand(positionals, values.out, io, environment);
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

interface Review {
  readonly out: string | undefined;
  readonly base: string | undefined;
  readonly limits: BudgetLimits;
}

async function planCommand(
  args: string[],
  format: string,
  io: Io,
  byType = false,
  review: Review = { out: undefined, base: undefined, limits: {} },
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('plan takes exactly one <entry>.');
  if (!['text', 'markdown', 'mermaid', 'json', 'html'].includes(format))
    throw new UsageError(`Unknown format: ${format}`);
  const bases = review.base !== undefined ? readBasePlans(review.base) : undefined;
  const plans = (await loadInEnvironment(at(args, 0), environment)).map((b) => b.plan());
  const pairs = plans.map((p) => [p, bases ? baseFor(bases, p) : undefined] as const);
  if (format === 'json') emitJson(at(plans, 0), plans, review.out, io);
  else {
    const render = (p: ResourcePlan, base: ResourcePlan | undefined): string => {
      if (format === 'html')
        return renderPlanHtml(p, { ...(base ? { base } : {}), budget: review.limits });
      if (format === 'markdown')
        return renderPlanMarkdown(p, { byType, ...(base ? { base } : {}) });
      if (format === 'mermaid') return renderPlanMermaid(p);
      const text = renderPlanText(p, {
        color: colors(io.stdout).on && review.out === undefined,
        byType,
      });
      if (!base) return text;
      const c = costDelta(base, p);
      return (
        `${text}\nSince the base plan (monthly cost ${signedUsd(c.deltaUsd)}: ${usd(c.beforeUsd)} → ` +
        `${usd(c.afterUsd)}):\n${renderDiffText(diffPlans(base, p))}`
      );
    };
    emit(
      pairs.map(([p, base]) => [p, render(p, base)] as const),
      { out: review.out, html: format === 'html', write: io.out },
    );
  }
  const over = budgetGate(pairs, review.limits, io.err);
  return plans.some(hasErrors) || over ? 1 : 0;
}

async function synthCommand(
  args: string[],
  outdir: string,
  resourceGroup: string | undefined,
  io: Io,
  environment?: string,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('synth takes exactly one <entry>.');
  const stacks = await synthStacks(await loadInEnvironment(at(args, 0), environment), {
    outdir,
    resourceGroup,
    log: (l) => {
      io.err(l + '\n');
    },
  });
  for (const s of stacks) io.out(`${outdir}/stacks/${s.name}/cdk.tf.json\n`);
  return 0;
}

async function diffCommand(
  args: string[],
  format: string,
  io: Io,
  review: Review = { out: undefined, base: undefined, limits: {} },
  environment?: string,
  guard: { readonly allowSchemaChange: boolean } = { allowSchemaChange: false },
): Promise<number> {
  if (args.length !== 2) throw new UsageError('diff takes <before> and <after>.');
  if (!['text', 'markdown', 'json', 'html'].includes(format))
    throw new UsageError(`Unknown format: ${format}`);
  if (review.base !== undefined)
    throw new UsageError('diff compares <before> with <after>: --base is for atakora plan.');
  const [before, after] = [
    await plansOf(at(args, 0), environment),
    await plansOf(at(args, 1), environment),
  ];
  const pairs = after.map(
    (a) =>
      [
        a,
        before.find((b) => b.backendId === a.backendId && b.environment === a.environment) ??
          at(before, 0),
      ] as const,
  );
  const diffs = pairs.map(([a, b]) => diffPlans(b, a));
  if (format === 'json') emitJson(at(after, 0), diffs, review.out, io);
  else {
    const render = ([a, b]: readonly [ResourcePlan, ResourcePlan], i: number): string =>
      format === 'html'
        ? renderPlanHtml(a, { base: b, budget: review.limits })
        : (format === 'markdown'
            ? renderDiffMarkdown(at(diffs, i), { cost: { before: b, after: a } })
            : renderDiffText(at(diffs, i))) + renderAccessChangesText(accessReview(a, b));
    emit(
      pairs.map((pair, i) => [pair[0], render(pair, i)] as const),
      { out: review.out, html: format === 'html', write: io.out },
    );
  }
  const over = budgetGate(pairs, review.limits, io.err);
  const schemaBlocked = reportSchemaGuard(pairs, io.err, guard.allowSchemaChange);
  return diffs.some((d) => d.hasDataLoss) || over || schemaBlocked ? 1 : 0;
}

/** `--json`: one value as it is, several as a list, to `--out` (named after `first`) or stdout. */
function emitJson(
  first: ResourcePlan,
  values: readonly unknown[],
  out: string | undefined,
  io: Io,
) {
  const json = JSON.stringify(values.length === 1 ? values[0] : values, null, 2);
  emit([[first, `${json}\n`]], { out, html: false, write: io.out });
}

/** A saved plan as written (its environment is its own), or an entry's plans in `--environment`'s. */
async function plansOf(source: string, environment?: string): Promise<ResourcePlan[]> {
  if (source.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(source, 'utf8'));
    } catch (e) {
      throw new UsageError(`Cannot read plan ${source}: ${(e as Error).message}`);
    }
    const list = Array.isArray(data) ? data : [data];
    if (list.length === 0)
      throw new UsageError(`${source} holds no saved ResourcePlan (an empty list).`);
    return list.map((p, i) => {
      const parsed = resourcePlanSchema.safeParse(p);
      if (!parsed.success) {
        const issue = at(parsed.error.issues, 0);
        throw new UsageError(
          `${source}${list.length > 1 ? `[${i}]` : ''} is not a saved ResourcePlan (version 1): ${issue.message} at ${issue.path.join('.') || '(root)'}.`,
        );
      }
      return parsed.data as ResourcePlan;
    });
  }
  return (await loadInEnvironment(source, environment)).map((b: Backend) => b.plan());
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

function hasErrors(plan: ResourcePlan): boolean {
  return plan.limitViolations.length > 0 || plan.issues.some((i) => i.severity === 'error');
}
