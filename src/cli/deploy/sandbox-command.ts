import { relative, resolve } from 'node:path';
import type { Backend } from '../../backend/backend.js';
import { codeTargets, redeployCode } from './code-redeploy.js';
import { HELP } from '../commands.js';
import { deployCommand, type DeployIo } from './command.js';
import { watchFiles } from '../shared/watch-files.js';
import { recordingReads } from '../shared/recorded-reads.js';
import { loadInEnvironment } from '../shared/environment-option.js';
import { sandboxEnvironment, signedInUser } from './sandbox-name.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { UsageError } from '../shared/usage-error.js';

/** A sandbox keeps no data worth protecting: Terraform may destroy and replace what holds data. */
const SANDBOX = { preventDestroy: false } as const;

/**
 * `atakora sandbox <entry> [--delete] [--once] [deploy flags…]`: deploy the signed-in user's own environment
 * (`sbx-<name>-<hash>`, sandbox-name.ts), data protection off, print its endpoints, then watch: a change to
 * handler code only rebuilds and uploads the code package and restarts the app (no Terraform); any other change
 * (the entry, a file it read) deploys again, data-loss guard included. `--delete` destroys the sandbox.
 * `--once` deploys and returns (CI, tests).
 *
 * @example
 * ```ts
 * process.exitCode = await sandboxCommand(['backend.ts'], io);
 * ```
 */
export async function sandboxCommand(argv: readonly string[], io: DeployIo): Promise<number> {
  const own = new Set(['--help', '-h', '--delete', '--once']);
  const v = {
    help: argv.includes('--help') || argv.includes('-h'),
    delete: argv.includes('--delete'),
    once: argv.includes('--once'),
  };
  if (v.help) {
    io.out(`${HELP['sandbox'] ?? ''}\n`);
    return 0;
  }
  if (argv.some((a) => a === '--environment' || a.startsWith('--environment=')))
    throw new UsageError(
      'sandbox names its environment after the signed-in user; use atakora deploy --environment for another one.',
    );
  const [entry, ...rest] = argv.filter((a) => !own.has(a));
  if (!entry || entry.startsWith('-'))
    throw new UsageError(
      'sandbox takes an <entry> first: atakora sandbox <entry> [--delete] [--once] [deploy flags…].',
    );
  // Everything else goes to deploy/destroy as given (--terraform, --out, --no-verify, --backend-config, …).
  const passthrough = rest;
  const user = await signedInUser(process.env);
  const environment = sandboxEnvironment(user);
  io.err(
    `Sandbox of ${user.name}: environment ${environment} (data protection off: everything in it may be destroyed)\n`,
  );
  const args = (command: 'deploy' | 'destroy') => [
    entry,
    '--environment',
    environment,
    '--auto-approve',
    ...(command === 'destroy' ? ['--allow-data-loss'] : []),
    ...passthrough,
  ];
  if (v.delete) return deployCommand('destroy', args('destroy'), io, SANDBOX);
  await deployCommand('deploy', args('deploy'), io, SANDBOX);
  if (v.once) return 0;
  return watch(entry, environment, passthrough, io, () =>
    deployCommand('deploy', args('deploy'), io, SANDBOX),
  );
}

/** What the sandbox watches and how it tells a code-only change. */
async function watch(
  entry: string,
  environment: string,
  passthrough: readonly string[],
  io: DeployIo,
  deploy: () => Promise<number>,
): Promise<number> {
  const rgAt = passthrough.indexOf('--resource-group');
  const resourceGroup = rgAt >= 0 ? passthrough[rgAt + 1] : undefined;
  let state = await loadState(entry, environment, resourceGroup);
  let busy = Promise.resolve();
  const rearm = () =>
    watchFiles([...state.config, ...state.handlers], (changed) => {
      busy = busy.then(() => onChange(changed));
    });
  let watcher = rearm();
  io.err(
    `Watching ${[...state.config, ...state.handlers].map((f) => relative(process.cwd(), f)).join(', ')} ` +
      `(Ctrl+C to stop; atakora sandbox ${entry} --delete removes the sandbox)\n`,
  );
  const onChange = async (changed: string[]) => {
    const codeOnly = changed.every((f) => state.handlers.includes(f) && !state.config.includes(f));
    try {
      if (codeOnly && state.targets.length) {
        io.err(
          `atakora sandbox: ${changed.map((f) => relative(process.cwd(), f)).join(', ')} changed: code only, ` +
            `redeploying the package without Terraform\n`,
        );
        await redeployCode(
          state.targets.filter((t) => t.handlers.some((h) => changed.includes(h))),
          {
            subscriptionId: state.subscriptionId,
            resourceGroup: state.resourceGroup,
            log: (l) => {
              io.err(`${l}\n`);
            },
          },
        );
      } else {
        io.err(
          `atakora sandbox: ${changed.map((f) => relative(process.cwd(), f)).join(', ')} changed: planning ` +
            `and deploying again\n`,
        );
        await deploy();
        state = await loadState(entry, environment, resourceGroup);
        watcher.close();
        watcher = rearm();
      }
      io.err('atakora sandbox: up to date; watching\n');
    } catch (e) {
      io.err(
        `atakora sandbox: ${e instanceof Error ? e.message : String(e)} (fix it and save again)\n`,
      );
    }
  };
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  watcher.close();
  await busy;
  return 0;
}

async function loadState(entry: string, environment: string, resourceGroup: string | undefined) {
  const {
    value: [backend],
    files,
  } = await recordingReads(() => loadInEnvironment(entry, environment, SANDBOX), process.cwd());
  const {
    plan,
    resourceGroup: rg,
    subscriptionId,
  } = deployedPlan(backend as Backend, resourceGroup);
  const targets = codeTargets(plan, (backend as Backend).config.networking.mode === 'isolated');
  return {
    config: [...new Set([resolve(entry), ...files])],
    handlers: [...new Set(targets.flatMap((t) => t.handlers))],
    targets,
    resourceGroup: rg,
    subscriptionId,
  };
}
