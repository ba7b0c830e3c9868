import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AtakoraError } from '../../model/errors.js';
import { msFromEnv } from '../shared/env-ms.js';
import type { TerraformPlanJson } from './plan-guard.js';
import type { Progress } from '../shared/progress.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import type { TerraformRunner } from './terraform-runner.js';

/** The narrow steps' own plan file (the deploy's atakora.tfplan is never touched by them). */
const ADMISSION_PLAN = 'atakora-admission.tfplan';

/** One stack's admission for a run: the address, the resources whose IP rules hold it, both configurations. */
export interface StackAdmission {
  readonly address: string;
  /** Terraform addresses (`azurerm_storage_account.x`) whose block differs with and without the address. */
  readonly targets: readonly string[];
  /** Their Azure names, for the manual fix. */
  readonly names: readonly string[];
  /** `cdk.tf.json` with the address (what the run deploys) and without it (what the removal applies). */
  readonly admitted: string;
  readonly removed: string;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/**
 * The resources whose blocks differ between two synthesized `cdk.tf.json` texts of one stack (pure): with and
 * without the admitted address, those are exactly the ones whose IP rule lists hold it.
 *
 * @example
 * ```ts
 * changedResources(withoutText, withText); // [{ address: 'azurerm_storage_account.api_functions_shared_deployment_storage', name: 'stpkg…' }]
 * ```
 */
export function changedResources(
  before: string,
  after: string,
): { address: string; name: string }[] {
  const a = (JSON.parse(before) as { resource?: Blocks }).resource ?? {};
  const b = (JSON.parse(after) as { resource?: Blocks }).resource ?? {};
  const out: { address: string; name: string }[] = [];
  for (const type of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    for (const name of [
      ...new Set([...Object.keys(a[type] ?? {}), ...Object.keys(b[type] ?? {})]),
    ].sort()) {
      const x = a[type]?.[name];
      const y = b[type]?.[name];
      const named = (y ?? x)?.['name'];
      if (JSON.stringify(x) !== JSON.stringify(y))
        out.push({ address: `${type}.${name}`, name: typeof named === 'string' ? named : name });
    }
  }
  return out;
}

/** Read a synthesized stack's configuration text. */
export function stackConfig(stack: SynthesizedStack): string {
  return readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8');
}

/** Options of the narrow steps. */
export interface NarrowOptions {
  readonly color: boolean;
  readonly err: (s: string) => void;
}

/**
 * One narrow step: write `config` as the stack's `cdk.tf.json`, `terraform plan -target=…` over the admission's
 * targets, and apply it only if it changes nothing but those targets in place. A target Terraform would create
 * (the account does not exist yet: a first deploy, or an apply that failed before it) holds no address to
 * admit or remove; the step then plans again over the existing targets only, or does nothing.
 *
 * Why targeted, not a full apply: the full plan refreshes every resource, the package blobs through the storage
 * data plane included — which is what 403s from a runner not yet admitted (before the run) — and, after a
 * failed apply, a full apply would retry the whole failing change set and likely fail again, leaving the
 * address admitted. The targeted plan reads the accounts (and their dependencies) through the management plane
 * only. Measured with the stand-in terraform on test/cli/fixtures/admit-backend.ts: the narrow plan covers 1 of
 * the stack's 43 resources (docs/deploying.md, "Isolated deploys from CI").
 *
 * @example
 * ```ts
 * const changed = await narrowApply(stack, tf, progress, 'remove', admission.targets, admission.removed, o); // 1
 * ```
 */
export async function narrowApply(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  what: 'admit' | 'remove',
  targets: readonly string[],
  config: string,
  o: NarrowOptions,
): Promise<number> {
  writeFileSync(join(stack.dir, 'cdk.tf.json'), config);
  const color = o.color ? [] : ['-no-color'];
  let wanted = [...targets];
  try {
    for (let round = 1; ; round++) {
      const p = progress.step(stack.name, `${what} address (plan -target)`);
      const planned = await tf.run(stack.dir, [
        'plan',
        '-input=false',
        ...color,
        `-out=${ADMISSION_PLAN}`,
        ...wanted.map((t) => `-target=${t}`),
      ]);
      if (planned.code !== 0) {
        p.fail(`failed (exit ${planned.code})`);
        throw terraformFailed(stack, 'plan -target', planned.stderr || planned.stdout, o.err);
      }
      const shown = await tf.run(stack.dir, ['show', '-json', ADMISSION_PLAN]);
      if (shown.code !== 0) {
        p.fail(`failed (exit ${shown.code})`);
        throw terraformFailed(stack, 'show -json', shown.stderr || shown.stdout, o.err);
      }
      const changes = (
        (JSON.parse(shown.stdout) as TerraformPlanJson).resource_changes ?? []
      ).filter((c) => !['no-op', 'read'].includes(c.change.actions.join()));
      const updates = changes.filter(
        (c) => wanted.includes(c.address) && c.change.actions.join() === 'update',
      );
      if (changes.length === updates.length) {
        if (updates.length === 0) {
          p.done('nothing to change');
          return 0;
        }
        p.clear();
        const applied = progress.step(
          stack.name,
          `${what} address (apply -target)`,
          updates.length,
        );
        const result = await tf.run(stack.dir, ['apply', '-input=false', ...color, ADMISSION_PLAN]);
        if (result.code !== 0) {
          applied.fail(`failed (exit ${result.code})`);
          throw terraformFailed(stack, 'apply -target', result.stderr || result.stdout, o.err);
        }
        applied.done(`${updates.length} changed`);
        return updates.length;
      }
      const existing = updates.map((c) => c.address);
      if (what === 'remove' && existing.length > 0 && round > 1) {
        p.fail('not narrow');
        throw new AtakoraError(
          'TERRAFORM_FAILED',
          `the targeted plan of ${existing.join(', ')} would also change ${changes
            .filter((c) => !existing.includes(c.address))
            .map((c) => c.address)
            .join(', ')}; not applied.`,
          { path: [stack.name] },
        );
      }
      if (existing.length === 0 || round > 1) {
        // Nothing exists yet to admit the address on (the run's apply creates the accounts with it), or the
        // narrow plan would change more than the accounts: leave it to the run's own, reviewed plan.
        p.done(
          existing.length === 0
            ? 'accounts not created yet'
            : `not narrow (${changes.length} changes): left to the run's plan`,
        );
        return 0;
      }
      wanted = existing;
    }
  } finally {
    rmSync(join(stack.dir, ADMISSION_PLAN), { force: true });
  }
}

/**
 * How long the run waits after admitting the address on existing accounts, before its full plan reads the blobs:
 * Resource Manager reports the network rule update done before every storage front end enforces it (the rule set
 * is applied asynchronously), so a plan started at once can still meet a 403. 30 s by default;
 * `ATAKORA_ADMIT_SETTLE_MS` changes it (tests: 0).
 */
function admitSettleMs(env: NodeJS.ProcessEnv = process.env): number {
  return msFromEnv(env, 'ATAKORA_ADMIT_SETTLE_MS', 30_000);
}

function terraformFailed(
  stack: SynthesizedStack,
  command: string,
  text: string,
  err: (s: string) => void,
): AtakoraError {
  err(
    `--- terraform ${command} (stack ${stack.name}, ${stack.dir}) ---\n${text}${text.endsWith('\n') ? '' : '\n'}---\n`,
  );
  return new AtakoraError(
    'TERRAFORM_FAILED',
    `terraform ${command} failed in stack ${stack.name}; its output is above.`,
    { path: [stack.name], details: { command } },
  );
}

/**
 * Run one stack's deploy with its runner address admitted: the narrow admit step (so the run's full plan can
 * refresh the package blobs), the deploy itself, then — whether it succeeded or failed — the narrow removal.
 * A failed removal is `ADMIT_ADDRESS_NOT_REMOVED`, naming the accounts and the command that removes the
 * address; it is thrown even when the deploy failed too (that failure is printed first and kept as its cause).
 *
 * @example
 * ```ts
 * const outcome = await withAdmission(
 *   stack,
 *   admission,
 *   tf,
 *   progress,
 *   o,
 *   () => deployStack(stack, tf, progress, { ...options, initialized: true }),
 *   () => initStack(stack, tf, progress, options),
 * );
 * ```
 */
export async function withAdmission<T>(
  stack: SynthesizedStack,
  admission: StackAdmission,
  tf: TerraformRunner,
  progress: Progress,
  o: NarrowOptions,
  run: () => Promise<T>,
  init: () => Promise<void>,
): Promise<T> {
  // Before anything is admitted: an init that fails leaves nothing to remove.
  await init();
  let result: T | undefined;
  let failure: unknown;
  try {
    const admitted = await narrowApply(
      stack,
      tf,
      progress,
      'admit',
      admission.targets,
      admission.admitted,
      o,
    );
    const settle = admitSettleMs();
    if (admitted > 0 && settle > 0) {
      o.err(
        `${stack.name}: waiting ${Math.round(settle / 1000)} s for the new IP rule to reach the storage ` +
          `front ends before the full plan (ATAKORA_ADMIT_SETTLE_MS)\n`,
      );
      await sleep(settle);
    }
    // The run's own plan and apply read the configuration with the address.
    result = await run();
  } catch (e) {
    failure = e;
  }
  try {
    const removed = await narrowApply(
      stack,
      tf,
      progress,
      'remove',
      admission.targets,
      admission.removed,
      o,
    );
    o.err(
      `${stack.name}: ${admission.address} ${removed ? 'removed again from' : 'not left on'} ` +
        `${admission.names.join(', ')}\n`,
    );
  } catch (e) {
    if (failure instanceof Error) o.err(`${failure.message}\n`);
    const targets = admission.targets.map((t) => `-target=${t}`).join(' ');
    throw new AtakoraError(
      'ADMIT_ADDRESS_NOT_REMOVED',
      `${admission.address} is still admitted on ${admission.names.join(', ')} (stack ${stack.name}): ` +
        `removing it failed${failure ? ' after the deploy failed too' : ''} (${(e as Error).message}).`,
      {
        path: [stack.name],
        cause: failure ?? e,
        details: {
          address: admission.address,
          accounts: admission.names,
          targets: admission.targets,
          deployFailed: failure !== undefined,
        },
        resolution:
          `From a machine the accounts admit (this runner, while its address is admitted): cd ${stack.dir} && ` +
          `terraform apply ${targets} (its cdk.tf.json is already without the address); or az storage account ` +
          `network-rule remove --account-name <account> --ip-address ${admission.address} for each account ` +
          `named.`,
      },
    );
  }
  if (failure !== undefined)
    throw failure instanceof Error ? failure : new Error('the deploy failed');
  return result as T;
}
