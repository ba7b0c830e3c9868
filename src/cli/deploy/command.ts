import { AtakoraError } from '../../model/errors.js';
import { probeScimAll } from './scim-probe.js';
import {
  deployedEndpoints,
  healthTargets,
  scimTenantUrl,
  readOutputs,
  type DeployedEndpoint,
  type TerraformOutputs,
} from './after-apply.js';
import { HELP } from '../commands.js';
import { confirm, type PromptInput } from '../shared/confirm.js';
import { verifyHealth, type HealthTarget } from './health-verify.js';
import { Progress, formatElapsed } from '../shared/progress.js';
import { deploySite, findSwa, sitesToDeploy } from './site-deploy.js';
import { deployStack, initStack } from './stack-deploy.js';
import { resolveAdmitAddress } from './admit-address.js';
import { withAdmission, type StackAdmission } from './admission-steps.js';
import { synthAdmitting } from './admission-synth.js';
import { preflight } from './preflight.js';
import { colors } from '../shared/style.js';
import { orderStacks, synthStacks, type SynthesizedStack } from '../entry/synth-stacks.js';
import { findTerraform, terraformRunner } from './terraform-runner.js';
import { syncTriggers } from '../azure/trigger-sync.js';
import { UsageError } from '../shared/usage-error.js';
import { checkDeployArgs, parseDeployArgs, type DeployArgs } from './deploy-args.js';
import { loadInEnvironment, type EnvironmentOverrides } from '../shared/environment-option.js';
import { checkDeclaredSecrets } from './secrets.js';
import { authAfterApply } from './auth-after-apply.js';
import type { Backend } from '../../backend/backend.js';
import { registrationTenant } from '../../kit/pure/entra.js';
import { checkReferences } from './reference-check.js';
import { searchAfterApply } from './search-after-apply.js';
import { emailAfterApply } from './email-after-apply.js';
import {
  deletedDirectoryObjects,
  purgeDeletedDirectoryObjects,
  type DirectoryObject,
} from './directory-purge.js';
import type { TerraformPlanJson } from './plan-guard.js';

/** Where the command writes and reads (the CLI's Io, structurally, plus the terminal it may ask on). */
export interface DeployIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly stdout: { isTTY?: boolean };
  readonly stdin?: PromptInput;
}

/**
 * `atakora deploy|destroy <entry> [stack…] [flags]`: synthesize, then per stack (dependency order; destroy in
 * reverse) init, plan, show, guard, confirm, apply; after a deploy, endpoints, trigger sync and health.
 * Returns 0 when everything was deployed (and verified); refusals and failures throw an AtakoraError (exit 1).
 *
 * @example
 * ```ts
 * process.exitCode = await deployCommand('deploy', ['backend.ts', '--auto-approve'], io);
 * ```
 */
export async function deployCommand(
  command: 'deploy' | 'destroy',
  argv: readonly string[],
  io: DeployIo,
  overrides: EnvironmentOverrides = {},
): Promise<number> {
  const v = parseDeployArgs(argv);
  if (v.values.help) {
    io.out(`${HELP[command] ?? ''}\n`);
    return 0;
  }
  const { entry, only, verifySeconds } = checkDeployArgs(command, v);
  const destroy = command === 'destroy';
  const log = (l: string) => {
    io.err(`${l}\n`);
  };
  // Before anything slow: a missing Terraform is the most likely first failure.
  const tf = terraformRunner(findTerraform(v.values.terraform));
  const { stacks, admissions, address, backends } = await stacksToDeploy(
    command,
    v,
    entry,
    only,
    io,
    overrides,
  );
  if (!destroy && !v.values['skip-preflight'] && process.env['ATAKORA_SKIP_PREFLIGHT'] !== '1')
    await preflight(stacks, { log });
  // Every declared secret has a value before Terraform runs (a first deploy creates the vault: set them after).
  const secretsToSet = destroy ? [] : await checkDeclaredSecrets(stacks, log);
  // The sites' uploader is looked for before Terraform runs: a missing one fails before anything is applied.
  const sites = destroy ? [] : sitesToDeploy(stacks);
  const swa = sites.length ? findSwa(v.values.swa) : undefined;
  const progress = new Progress(
    io.err,
    !!io.stdout.isTTY,
    stacks.map((s) => s.name),
  );
  io.err(
    `${destroy ? 'Destroying' : 'Deploying'} ${stacks.map((s) => s.name).join(', ')} with ${tf.bin}\n`,
  );
  if (address !== undefined) announceAdmission(address, stacks, admissions, io);
  const approve = approver(command, v, io);
  const run: StackRun = { command, v, io, tf, progress, admissions, approve };
  const deployed: Deployed[] = [];
  for (const stack of stacks) {
    const done = await applyStack(stack, run);
    if (done) deployed.push(done);
  }
  if (destroy) {
    io.err(`Destroyed ${stacks.length} stack(s) in ${progress.elapsed()}\n`);
    return 0;
  }
  // After every stack applied: each site's content, with its atakora.config.json from the outputs
  // (deploy/site-deploy.ts). The uploader was found above whenever there is a site.
  if (swa !== undefined)
    for (const site of sites) {
      const outputs = deployed.find((d) => d.stack === site.stack)?.outputs ?? {};
      await deploySite(site, outputs, {
        swa,
        verifyMs: v.values['no-verify'] ? 0 : verifySeconds * 1000,
        log,
      });
    }
  // A customer sign-in's user flow and providers, now that its registrations exist (cli/shared/customer-sign-in/setup.ts).
  if (!v.values['no-auth-setup'])
    await authAfterApply(
      backends,
      deployed.map((d) => d.stack),
      { entry, environment: v.values.environment, log, env: process.env },
    );
  if (!v.values['no-sync']) await syncAll(deployed, io);
  if (!v.values['no-verify']) {
    // Declared secrets resolve before the apps are called healthy: code reading an unresolved one gets undefined.
    await checkReferences(
      deployed,
      secretsToSet,
      v.values['verify-timeout'] === undefined ? undefined : verifySeconds,
      log,
    );
    await verifyAll(deployed, verifySeconds, io);
    await probeScimAll(deployed, verifySeconds, io.err); // SCIM through the shared app's auth? (#109)
  }
  io.err(
    `Deployed ${stacks.length} stack(s) in ` +
      `${progress.elapsed()}${v.values['no-verify'] ? ' (not verified: --no-verify)' : ''}\n`,
  );
  const environment = v.values.environment;
  for (const s of secretsToSet)
    io.err(
      `Set ${s.name} now (its reference is unresolved until then): atakora secret set ${entry} ${s.name}${environment ? ` --environment ${environment}` : ''} < value-file\n`,
    );
  return 0;
}

/** The stacks synthesized (admitting the runner's address when asked), chosen and put in order. */
async function stacksToDeploy(
  command: 'deploy' | 'destroy',
  { values: v }: DeployArgs,
  entry: string,
  only: readonly string[],
  io: DeployIo,
  overrides: EnvironmentOverrides,
): Promise<{
  stacks: SynthesizedStack[];
  admissions: ReadonlyMap<string, StackAdmission>;
  address: string | undefined;
  backends: Backend[];
}> {
  const outdir = v.out ?? 'cdktf.out';
  // --admit-address (or ATAKORA_ADMIT_ADDRESS): the runner's address joins every IP rule list for this run only.
  const admitValue = v['admit-address'] ?? (process.env['ATAKORA_ADMIT_ADDRESS'] || undefined);
  const address = admitValue === undefined ? undefined : await resolveAdmitAddress(admitValue);
  const synthOptions = {
    outdir,
    command,
    resourceGroup: v['resource-group'],
    backend: v.backend,
    log: (l: string) => {
      io.err(l + '\n');
    },
  };
  const backends = await loadInEnvironment(entry, v.environment, overrides);
  let all: SynthesizedStack[];
  let admissions: ReadonlyMap<string, StackAdmission> = new Map();
  if (address === undefined) all = await synthStacks(backends, synthOptions);
  else ({ stacks: all, admissions } = await synthAdmitting(backends, synthOptions, address));
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length)
    throw new UsageError(
      `No stack named ${unknown.join(', ')}; ${entry} has ${all.map((s) => s.name).join(', ')}.`,
    );
  const ordered = orderStacks(only.length ? all.filter((s) => only.includes(s.name)) : all);
  return {
    stacks: command === 'destroy' ? ordered.reverse() : ordered,
    admissions,
    address,
    backends,
  };
}

function announceAdmission(
  address: string,
  stacks: readonly SynthesizedStack[],
  admissions: ReadonlyMap<string, StackAdmission>,
  io: DeployIo,
): void {
  const admitted = stacks.flatMap((s) => {
    const admission = admissions.get(s.name);
    return admission ? [{ name: s.name, names: admission.names }] : [];
  });
  io.err(
    admitted.length === 0
      ? `notice: --admit-address ${address}: no stack writes an IP rule list (only an isolated backend's ` +
          `deployment storage accounts do); nothing to admit\n`
      : `Admitting ${address} for this run on ${admitted.map((s) => `${s.name} (${s.names.join(', ')})`).join(', ')}; removed again after the apply\n`,
  );
}

/** What every stack's apply shares. */
interface StackRun {
  readonly command: 'deploy' | 'destroy';
  readonly v: DeployArgs;
  readonly io: DeployIo;
  readonly tf: ReturnType<typeof terraformRunner>;
  readonly progress: Progress;
  readonly admissions: ReadonlyMap<string, StackAdmission>;
  readonly approve: (stack: string) => Promise<boolean>;
}

/** Asks (or not, with --auto-approve) before a stack's changes are applied; refusals throw. */
function approver(
  command: 'deploy' | 'destroy',
  v: DeployArgs,
  io: DeployIo,
): (stack: string) => Promise<boolean> {
  const destroy = command === 'destroy';
  const stdin = io.stdin ?? process.stdin;
  return async (stack) => {
    if (v.values['auto-approve']) return true;
    if (!stdin.isTTY) {
      throw new AtakoraError(
        'DEPLOY_NOT_CONFIRMED',
        `Not ${destroy ? 'destroying' : 'applying'} ${stack}: no terminal to confirm on, and --auto-approve ` +
          `was not given.`,
        {
          path: [stack],
          resolution:
            `Review the summary above and run again with --auto-approve (CI), or run ${command} in a terminal ` +
            `to be asked.`,
        },
      );
    }
    const yes = await confirm(
      `${destroy ? 'Destroy' : 'Apply'} these changes to ${stack}?`,
      stdin,
      io.err,
    );
    if (!yes)
      throw new AtakoraError(
        'DEPLOY_NOT_CONFIRMED',
        `Not ${destroy ? 'destroying' : 'applying'} ${stack}: not confirmed.`,
        { path: [stack], resolution: 'Answer y to apply, or pass --auto-approve.' },
      );
    return true;
  };
}

/**
 * One stack planned, confirmed and applied (inside its admission when it has one). A deploy reads its outputs
 * and prints its endpoints; a destroy purges the app registrations it deleted and returns nothing.
 */
async function applyStack(stack: SynthesizedStack, run: StackRun): Promise<Deployed | undefined> {
  const { v, io, tf, progress } = run;
  const destroy = run.command === 'destroy';
  const tty = !!io.stdout.isTTY;
  // A destroy's app registrations, from every plan it showed (a retried destroy plans again): purged after it.
  const directoryObjects = new Map<string, DirectoryObject>();
  const options = {
    onPlan: (plan: TerraformPlanJson) => {
      if (destroy)
        for (const o of deletedDirectoryObjects(plan)) directoryObjects.set(o.objectId, o);
    },
    destroy,
    allowDataLoss: !!v.values['allow-data-loss'],
    allowSchemaChange: !!v.values['allow-schema-change'],
    backendConfig: v.values['backend-config'] ?? [],
    color: tty && colors(io.stdout).on,
    showPlanText: !v.values['auto-approve'],
    approve: run.approve,
    err: io.err,
  };
  const admission = run.admissions.get(stack.name);
  const outcome = admission
    ? await withAdmission(
        stack,
        admission,
        tf,
        progress,
        options,
        async () => deployStack(stack, tf, progress, { ...options, initialized: true }),
        () => initStack(stack, tf, progress, options),
      )
    : await deployStack(stack, tf, progress, options);
  if (!outcome.applied) io.err(`${stack.name}: no changes\n`);
  if (destroy) {
    // Soft-deleted registrations count toward the directory-object quota for 30 days (directory-purge.ts).
    if (outcome.applied)
      await purgeDeletedDirectoryObjects([...directoryObjects.values()], {
        tenant: registrationTenant(stack.plan),
        log: (l) => {
          io.err(`${l}\n`);
        },
      });
    return undefined;
  }
  // What Terraform cannot declare: search containers, through Resource Manager (docs/search.md); a custom e-mail
  // domain's verification and link, once Azure verified it (docs/tenants.md, "A custom domain in two steps").
  await searchAfterApply(stack, process.env, (l) => {
    io.err(l);
  });
  await emailAfterApply(stack, process.env, (l) => {
    io.err(l);
  });
  const outputs = await readOutputs(stack, tf);
  const endpoints = deployedEndpoints(stack, outputs);
  const width = Math.max(0, ...endpoints.map((e) => e.component.length + e.output.length + 1));
  if (endpoints.length)
    io.out(
      `${stack.name}\n${endpoints.map((e) => `  ${`${e.component}.${e.output}`.padEnd(width)}  ${e.value}`).join('\n')}\n`,
    );
  // The SCIM Tenant URL to give Entra or Okta: the SCIM app's, never the shared app's (docs/enterprise.md).
  const scim = scimTenantUrl(stack, outputs);
  if (scim) io.out(`  SCIM Tenant URL  ${scim.url}\n`);
  return { stack, outputs, endpoints };
}

/** A stack after apply: its outputs (read once) and the endpoints among them. */
interface Deployed {
  readonly stack: SynthesizedStack;
  readonly outputs: TerraformOutputs;
  readonly endpoints: DeployedEndpoint[];
}

/**
 * Trigger sync from each stack's `atakora_sync_triggers_<app>` outputs (the apps' real resource ids).
 * Failures warn (the apply succeeded; the health check is what decides), naming the command to run.
 */
async function syncAll(deployed: readonly Deployed[], io: DeployIo): Promise<void> {
  for (const { stack, outputs } of deployed) {
    const results = await syncTriggers(outputs);
    const apps = stack.plan.resources.filter((r) => r.type === 'functions').length;
    if (apps > results.length)
      io.err(
        `warning: ${stack.name}: ${apps - results.length} Function App(s) without an atakora_sync_triggers_* ` +
          `output; triggers not synced (synthesize with this version of @atakora/component)\n`,
      );
    for (const r of results) {
      if (r.ok) io.err(`${r.app}: triggers synced\n`);
      else
        io.err(
          `warning: ${r.app}: triggers not synced (${r.detail}); run: az rest --method post --url "${r.url}"\n`,
        );
    }
  }
}

async function verifyAll(
  deployed: readonly Deployed[],
  seconds: number,
  io: DeployIo,
): Promise<void> {
  const targets: HealthTarget[] = [];
  for (const { stack, endpoints, outputs } of deployed) {
    const found = healthTargets(stack, endpoints, outputs);
    targets.push(...found.targets);
    for (const app of found.privateApps)
      io.err(`${app}: not verified (private endpoint only: reach it from inside the VNet)\n`);
  }
  if (targets.length === 0) return;
  io.err(`Verifying ${targets.map((t) => t.url).join(', ')} (up to ${seconds}s)…\n`);
  const results = await verifyHealth(targets, { timeoutMs: seconds * 1000 });
  for (const r of results)
    io.err(
      `${r.app}: ${r.ok ? 'healthy' : `not healthy: ${r.last}`} after ${r.attempts} attempt(s), ${formatElapsed(r.elapsedMs)}\n`,
    );
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    throw new AtakoraError(
      'DEPLOY_UNHEALTHY',
      `Deployed, but ${failed.map((r) => `${r.url} (last: ${r.last})`).join(', ')} did not answer 200 within ${seconds}s.`,
      {
        details: { failed },
        resolution:
          "Check the app's logs (Application Insights, or az webapp log tail); a first start can take " +
          'minutes while role assignments propagate: raise --verify-timeout, or run the deploy again ' +
          '(nothing left to apply, it verifies again).',
      },
    );
  }
}
