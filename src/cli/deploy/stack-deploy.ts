import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AtakoraError } from '../../model/errors.js';
import { msFromEnv } from '../shared/env-ms.js';
import {
  renderDataLoss,
  renderPlanSummary,
  summarizeTerraformPlan,
  type PlanSummary,
  type TerraformPlanJson,
} from './plan-guard.js';
import { parseApplyLine, type Progress } from '../shared/progress.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import type { TerraformResult, TerraformRunner } from './terraform-runner.js';
import { at } from '../../model/at.js';
import { checkDeployedSchemas } from './schema-guard.js';

/** The saved plan, in the stack's directory: what `show -json` reads and `apply` applies. */
export const PLAN_FILE = 'atakora.tfplan';

/** Options of {@link deployStack}. */
export interface StackDeployOptions {
  readonly destroy: boolean;
  readonly allowDataLoss: boolean;
  /** Deploy a CrudApi schema change that needs a migration without one (`--allow-schema-change`). */
  readonly allowSchemaChange?: boolean;
  readonly backendConfig: readonly string[];
  readonly color: boolean;
  /** Print Terraform's own plan text before the summary (when someone is to review it: no --auto-approve). */
  readonly showPlanText: boolean;
  /** Asked before apply, after the summary was printed; false stops the deploy. */
  readonly approve: (stack: string, summary: PlanSummary) => Promise<boolean>;
  readonly err: (s: string) => void;
  /** `terraform init` already ran in the stack's directory (the narrow admission step did it: admission-steps.ts). */
  readonly initialized?: boolean;
  /**
   * Destroy only: how often, and after how long a wait, a destroy stalled on a subnet's service
   * association link is tried again.
   */
  readonly destroyRetry?: DestroyRetry;
  /** Called with each plan shown (`show -json`), before the guard: a destroy reads the objects it deletes. */
  readonly onPlan?: (plan: TerraformPlanJson) => void;
}

/** The bounded retry of a destroy that a Flex integration subnet's service association link stalls. */
export interface DestroyRetry {
  readonly attempts: number;
  readonly waitMs: number;
}

/**
 * Azure keeps the Flex app's service association link on its integration subnet for some minutes after the app
 * is deleted, and deleting the subnet fails meanwhile (hashicorp/terraform-provider-azurerm#28979; nothing in
 * Terraform orders it). Four tries five minutes apart: the link is gone well within that in the reports.
 * `ATAKORA_DESTROY_RETRY_WAIT_MS` shortens the wait (tests).
 */
export function destroyRetryDefaults(env: NodeJS.ProcessEnv = process.env): DestroyRetry {
  return { attempts: 4, waitMs: msFromEnv(env, 'ATAKORA_DESTROY_RETRY_WAIT_MS', 300_000) };
}

// The words of the refusal (InUseSubnetCannotBeDeleted / ServiceAssociationLinkInUse, naming serviceAssociationLinks).
const LINKED_SUBNET =
  /InUseSubnetCannotBeDeleted|ServiceAssociationLinkInUse|serviceAssociationLinks/i;

/** A destroy's apply that failed on a subnet still linked: worth another try after a wait. */
class LinkedSubnet extends Error {
  constructor(readonly error: AtakoraError) {
    super(error.message);
  }
}

/** What one stack's deploy did. */
export interface StackOutcome {
  readonly applied: boolean;
  readonly summary: PlanSummary;
}

/**
 * One stack: `init`, `plan -out`, `show -json` of that plan, the data-loss guard, the confirmation, `apply` of
 * the same plan file (so nothing is applied that was not shown: Terraform applies a saved plan exactly,
 * https://developer.hashicorp.com/terraform/cli/commands/apply#saved-plan-mode). `destroy` plans with `-destroy`;
 * a destroy stalled on a subnet's service association link is planned and applied again after a bounded wait
 * ({@link destroyRetryDefaults}), the data-loss guard and the confirmation included.
 *
 * @example
 * ```ts
 * await deployStack(stack, runner, progress, {
 *   destroy: false,
 *   allowDataLoss: false,
 *   backendConfig: [],
 *   color: false,
 *   approve: async () => true,
 *   err,
 * });
 * ```
 */
export async function deployStack(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  o: StackDeployOptions,
): Promise<StackOutcome> {
  const retry = o.destroyRetry ?? destroyRetryDefaults();
  for (let attempt = 1; ; attempt++) {
    try {
      return await deployOnce(stack, tf, progress, o);
    } catch (e) {
      if (!(e instanceof LinkedSubnet)) throw e;
      if (attempt >= retry.attempts) throw e.error;
      o.err(
        `${stack.name}: a subnet still holds the Flex app's service association link, which Azure removes ` +
          `some minutes after the app (hashicorp/terraform-provider-azurerm#28979); ` +
          `waiting ${Math.round(retry.waitMs / 1000)} s, ` +
          `then destroying what is left (try ${attempt + 1} of ${retry.attempts}).\n`,
      );
      await sleep(retry.waitMs);
    }
  }
}

async function deployOnce(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  o: StackDeployOptions,
): Promise<StackOutcome> {
  const color = o.color ? [] : ['-no-color'];
  if (!o.initialized) await initStack(stack, tf, progress, o);
  const planned = await step(
    stack,
    tf,
    progress,
    o.destroy ? 'plan -destroy' : 'plan',
    ['plan', '-input=false', ...color, ...(o.destroy ? ['-destroy'] : []), `-out=${PLAN_FILE}`],
    o.err,
  );
  // The plan file holds the planned values, secrets included: it lives only until it is applied or refused.
  try {
    return await showAndApply(stack, tf, progress, o, color, planned.stdout);
  } finally {
    rmSync(join(stack.dir, PLAN_FILE), { force: true });
  }
}

async function showAndApply(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  o: StackDeployOptions,
  color: string[],
  planText: string,
): Promise<StackOutcome> {
  if (o.showPlanText && planText.trim())
    o.err(planText.endsWith('\n') ? planText : planText + '\n');
  const shown = await step(stack, tf, progress, 'show', ['show', '-json', PLAN_FILE], o.err, true);
  let json: TerraformPlanJson;
  try {
    json = JSON.parse(shown.stdout) as TerraformPlanJson;
  } catch (e) {
    throw new AtakoraError(
      'TERRAFORM_FAILED',
      `terraform show -json ${PLAN_FILE} in stack ${stack.name} did not print a JSON plan: ${(e as Error).message}.`,
      {
        path: [stack.name],
        resolution:
          'Use Terraform >= 1.0 or OpenTofu: atakora deploy reads the JSON plan format (terraform show -json).',
      },
    );
  }
  o.onPlan?.(json);
  const summary = summarizeTerraformPlan(json, stack.plan);
  o.err(renderPlanSummary(stack.name, summary) + '\n');
  if (summary.dataLoss.length > 0 && !o.allowDataLoss) {
    throw new AtakoraError(
      'DEPLOY_DATA_LOSS',
      `${renderDataLoss(stack.name, summary.dataLoss)}\nNothing was applied to ${stack.name}.`,
      {
        path: [stack.name],
        details: { dataLoss: summary.dataLoss },
        resolution:
          `Pass --allow-data-loss to ${o.destroy ? 'destroy' : 'deploy'} anyway (the data in these resources ` +
          `is lost), or change the code so Terraform keeps them (a renamed account or a changed partition key ` +
          `forces a replacement; docs/deploying.md#protecting-data).`,
      },
    );
  }
  // Stored items must fit the schema about to be deployed (a removal, a retype): refused before the question.
  if (!o.destroy) checkDeployedSchemas(stack, json, { allow: !!o.allowSchemaChange, err: o.err });
  if (summary.operations === 0) return { applied: false, summary };
  if (!(await o.approve(stack.name, summary))) return { applied: false, summary };
  let done = 0;
  let reported: string | undefined;
  const apply = progress.step(stack.name, o.destroy ? 'destroy' : 'apply', summary.operations);
  const result = await tf.run(stack.dir, ['apply', '-input=false', ...color, PLAN_FILE], {
    onLine: (line) => {
      const parsed = parseApplyLine(line);
      if (parsed.completed) apply.update(++done, parsed.completed);
      if (parsed.summary) reported = parsed.summary;
    },
    onSignal: (signal) => {
      o.err(
        `\n${signal}: waiting for terraform to stop gracefully (it saves its state); interrupt again to stop ` +
          `it at once\n`,
      );
    },
  });
  if (result.code !== 0) {
    apply.fail(`failed (exit ${result.code}) after ${done}/${summary.operations}`);
    const error = failure(stack, 'apply', result, o.err);
    if (o.destroy && LINKED_SUBNET.test(result.stderr + result.stdout))
      throw new LinkedSubnet(error);
    throw error;
  }
  apply.done(reported ?? `${done}/${summary.operations}`);
  return { applied: true, summary };
}

/**
 * `terraform init -input=false [-backend-config=…]` in the stack's directory.
 *
 * @example
 * ```ts
 * await initStack(stack, runner, progress, { color: false, backendConfig: [], err });
 * ```
 */
export async function initStack(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  o: Pick<StackDeployOptions, 'color' | 'backendConfig' | 'err'>,
): Promise<void> {
  await step(
    stack,
    tf,
    progress,
    'init',
    [
      'init',
      '-input=false',
      ...(o.color ? [] : ['-no-color']),
      ...o.backendConfig.map((c) => `-backend-config=${c}`),
    ],
    o.err,
  );
}

async function step(
  stack: SynthesizedStack,
  tf: TerraformRunner,
  progress: Progress,
  name: string,
  args: string[],
  err: (s: string) => void,
  quiet = false,
): Promise<TerraformResult> {
  const p = progress.step(stack.name, name);
  const result = await tf.run(stack.dir, args);
  if (result.code !== 0) {
    p.fail(`failed (exit ${result.code})`);
    throw failure(stack, at(args, 0), result, err);
  }
  if (quiet) p.clear();
  else p.done();
  return result;
}

/** Terraform's own words, verbatim, under a line naming the stack; then the error the CLI prints. */
function failure(
  stack: SynthesizedStack,
  command: string,
  result: TerraformResult,
  err: (s: string) => void,
): AtakoraError {
  const text = result.stderr.trim() ? result.stderr : result.stdout;
  err(
    `--- terraform ${command} (stack ${stack.name}, ${stack.dir}) ---\n${text}${text.endsWith('\n') ? '' : '\n'}---\n`,
  );
  return new AtakoraError(
    'TERRAFORM_FAILED',
    `terraform ${command} failed in stack ${stack.name} (exit ${result.code}); its output is above.`,
    {
      path: [stack.name],
      details: { command, exitCode: result.code },
    },
  );
}
