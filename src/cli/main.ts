import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Backend } from '../backend/backend.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { diffPlans } from '../plan/diff.js';
import { resourcePlanSchema } from '../plan/plan-schema.js';
import { renderDiffMarkdown, renderDiffText, renderPlanMarkdown, renderPlanMermaid, renderPlanText } from '../plan/render/index.js';
import { HELP } from './commands.js';
import { devCommand } from './dev-command.js';
import { openApiCommand } from './openapi-command.js';
import { EntryError } from './entry-errors.js';
import { fallbackTarget, fsError, isFsError } from './fs-errors.js';
import { loadBackends } from './load-entry.js';
import { synthStacks } from './synth-stacks.js';
import { packageVersion } from './version.js';
import { colors } from './style.js';
import { UsageError } from './usage-error.js';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly stdout: { isTTY?: boolean };
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), stdout: process.stdout };

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
    if (command === '--version' || command === '-v' || command === 'version') { io.out(`${packageVersion()}\n`); return 0; }
    if (!(command in HELP) || command === 'main') throw new UsageError(`Unknown command: ${command}`);
    // deploy/destroy parse their own flags; loaded only when run.
    if (command === 'deploy' || command === 'destroy') return await (await import('./deploy-command.js')).deployCommand(command, rest, io);
    const { values, positionals } = parseArgs({
      args: [...rest], allowPositionals: true, strict: true,
      options: {
        help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, format: { type: 'string' }, 'by-type': { type: 'boolean' },
        out: { type: 'string' }, 'resource-group': { type: 'string' }, port: { type: 'string' }, user: { type: 'string' }, tenant: { type: 'string' }, roles: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    if (values.help) { io.out(`${HELP[command] ?? ''}\n`); return 0; }
    const format = values.json ? 'json' : (values.format ?? 'text');
    if (command === 'plan') return await planCommand(positionals, format, io, values['by-type'] === true);
    if (command === 'synth') return await synthCommand(positionals, values.out ?? 'cdktf.out', values['resource-group'], io);
    if (command === 'dev') return await devCommand(positionals, values.port, io, { ...(values.user !== undefined ? { user: values.user } : {}), ...(values.tenant !== undefined ? { tenant: values.tenant } : {}), ...(values.roles !== undefined ? { roles: values.roles } : {}) }, values['data-dir']);
    if (command === 'openapi') return await openApiCommand(positionals, values.out, io);
    return await diffCommand(positionals, format, io);
  } catch (e) {
    const c = colors(io.stdout);
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${c.red('Usage error:')} ${(e as Error).message}\n\n${HELP[command && command in HELP ? command : 'main']}\n`);
      return 2;
    }
    // A missing entry is a command-line mistake like a directory or a JSON file given as the entry: exit 2.
    if (isAtakoraError(e)) { io.err(`${c.red('Error')} ${e.format()}\n`); return e.code === 'ENTRY_NOT_FOUND' ? 2 : 1; }
    // A file-system error no command turned into words on the way: still the path and the fix, never Node's raw line.
    if (isFsError(e) && process.env['ATAKORA_DEBUG'] !== '1') {
      io.err(`${c.red('Error')} ${fsError(e, fallbackTarget(command ?? 'atakora', e.syscall, e.path)).format()}\n`);
      return 1;
    }
    // Anything else: one line, no stack (ATAKORA_DEBUG=1 shows it, for a bug report).
    if (process.env['ATAKORA_DEBUG'] === '1') throw e;
    const message = e instanceof EntryError ? e.message : `${(e as Error | undefined)?.name ?? 'Error'}: ${(e as Error | undefined)?.message ?? String(e)}\n(ATAKORA_DEBUG=1 prints the stack)`;
    io.err(`${c.red('Error')} ${message}\n`);
    return 1;
  }
}

async function planCommand(args: string[], format: string, io: Io, byType = false): Promise<number> {
  if (args.length !== 1) throw new UsageError('plan takes exactly one <entry>.');
  if (!['text', 'markdown', 'mermaid', 'json'].includes(format)) throw new UsageError(`Unknown format: ${format}`);
  const plans = (await loadBackends(args[0]!)).map((b) => b.plan());
  if (format === 'json') io.out(JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2) + '\n');
  else {
    const render = format === 'markdown' ? (p: ResourcePlan) => renderPlanMarkdown(p, { byType }) : format === 'mermaid' ? renderPlanMermaid : (p: ResourcePlan) => renderPlanText(p, { color: colors(io.stdout).on, byType });
    io.out(plans.map(render).join('\n\n') + '\n');
  }
  return plans.some(hasErrors) ? 1 : 0;
}

async function synthCommand(args: string[], outdir: string, resourceGroup: string | undefined, io: Io): Promise<number> {
  if (args.length !== 1) throw new UsageError('synth takes exactly one <entry>.');
  const stacks = await synthStacks(await loadBackends(args[0]!), { outdir, resourceGroup, log: (l) => { io.err(l + '\n'); } });
  for (const s of stacks) io.out(`${outdir}/stacks/${s.name}/cdk.tf.json\n`);
  return 0;
}

async function diffCommand(args: string[], format: string, io: Io): Promise<number> {
  if (args.length !== 2) throw new UsageError('diff takes <before> and <after>.');
  if (!['text', 'markdown', 'json'].includes(format)) throw new UsageError(`Unknown format: ${format}`);
  const [before, after] = [await plansOf(args[0]!), await plansOf(args[1]!)];
  const diffs = after.map((a) => diffPlans(before.find((b) => b.backendId === a.backendId && b.environment === a.environment) ?? before[0]!, a));
  if (format === 'json') io.out(JSON.stringify(diffs.length === 1 ? diffs[0] : diffs, null, 2) + '\n');
  else io.out(diffs.map((d) => (format === 'markdown' ? renderDiffMarkdown(d) : renderDiffText(d))).join('\n\n') + '\n');
  return diffs.some((d) => d.hasDataLoss) ? 1 : 0;
}

async function plansOf(source: string): Promise<ResourcePlan[]> {
  if (source.endsWith('.json')) {
    let data: unknown;
    try { data = JSON.parse(readFileSync(source, 'utf8')); } catch (e) { throw new UsageError(`Cannot read plan ${source}: ${(e as Error).message}`); }
    const list = Array.isArray(data) ? data : [data];
    return list.map((p, i) => {
      const parsed = resourcePlanSchema.safeParse(p);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UsageError(`${source}${list.length > 1 ? `[${i}]` : ''} is not a saved ResourcePlan (version 1): ${issue.message} at ${issue.path.join('.') || '(root)'}.`);
      }
      return parsed.data as ResourcePlan;
    });
  }
  return (await loadBackends(source)).map((b: Backend) => b.plan());
}

/** An AtakoraError from this or another copy of the package (an entry loaded through tsx has its own). */
function isAtakoraError(e: unknown): e is AtakoraError {
  const x = e as AtakoraError | undefined;
  return e instanceof AtakoraError || (!!x && typeof x.code === 'string' && typeof x.resolution === 'string' && typeof x.format === 'function');
}

function hasErrors(plan: ResourcePlan): boolean {
  return plan.limitViolations.length > 0 || plan.issues.some((i) => i.severity === 'error');
}
