import { AtakoraError } from '../../model/errors.js';
import type { HealthTarget } from './health-verify.js';
import { appDefaultUrl } from '../azure/endpoints.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import type { TerraformRunner } from './terraform-runner.js';
import { scimAppNames } from '../../resources/functions/scim-app/scim-type.js';

/** `terraform output -json`: output name → `{ value, type, sensitive }`. */
export type TerraformOutputs = Readonly<
  Record<string, { readonly value?: unknown; readonly sensitive?: boolean }>
>;

/** A component's endpoint as deployed. */
export interface DeployedEndpoint {
  readonly component: string;
  readonly output: string;
  readonly value: string;
}

/**
 * Read the stack's outputs after apply (`terraform output -json`, once per stack): the endpoints and the
 * trigger-sync outputs both come from it.
 *
 * @example
 * ```ts
 * const outputs = await readOutputs(stack, runner);
 * ```
 */
export async function readOutputs(
  stack: SynthesizedStack,
  tf: TerraformRunner,
): Promise<TerraformOutputs> {
  const r = await tf.run(stack.dir, ['output', '-json']);
  try {
    if (r.code !== 0) throw new Error(r.stderr.trim() || `exit ${r.code}`);
    return JSON.parse(r.stdout) as TerraformOutputs;
  } catch (e) {
    throw new AtakoraError(
      'TERRAFORM_FAILED',
      `terraform output -json failed in stack ${stack.name}: ${(e as Error).message}`,
      { path: [stack.name] },
    );
  }
}

/**
 * Each component's endpoint outputs among the stack's outputs (the ones apply writes for outputs named
 * `*endpoint*`).
 *
 * @example
 * ```ts
 * for (const e of deployedEndpoints(stack, await readOutputs(stack, runner))) console.log(e.component, e.value);
 * ```
 */
export function deployedEndpoints(
  stack: SynthesizedStack,
  outputs: TerraformOutputs,
): DeployedEndpoint[] {
  return stack.endpoints.flatMap((e) => {
    const value = outputs[e.outputId]?.value;
    return typeof value === 'string' ? [{ component: e.component, output: e.output, value }] : [];
  });
}

const APP_OUTPUTS = ['apiEndpoint', 'endpoint'];

/**
 * The Function Apps of a stack that serve our runtime's anonymous `GET api/health` (Node apps that ship the
 * CRUD runtime or Node handlers, not a prebuilt `codePath`), at the origin of a consuming component's deployed
 * endpoint, else `https://<app>.azurewebsites.net`. Apps of an isolated backend (a `network` resource: public
 * access off, reachable only through their private endpoint) are returned apart: a runner outside the VNet
 * cannot reach them.
 *
 * @example
 * ```ts
 * const { targets, privateApps } = healthTargets(stack, endpoints);
 * ```
 */
export function healthTargets(
  stack: SynthesizedStack,
  endpoints: readonly DeployedEndpoint[],
  outputs: TerraformOutputs = {},
): { targets: HealthTarget[]; privateApps: string[] } {
  const isolated = stack.plan.resources.some((r) => r.type === 'network');
  const targets: HealthTarget[] = [];
  const privateApps: string[] = [];
  for (const r of stack.plan.resources) {
    if (r.type !== 'functions') continue;
    const c = r.config as {
      runtime?: string;
      codePath?: string;
      crudRuntime?: boolean;
      hostedFunctions?: readonly unknown[];
    };
    if (
      c.runtime !== 'node' ||
      c.codePath !== undefined ||
      !(c.crudRuntime || (c.hostedFunctions?.length ?? 0) > 0)
    )
      continue;
    if (isolated) {
      privateApps.push(r.name);
      continue;
    }
    const consumers = stack.plan.components
      .filter((x) => x.resources['functions'] === r.key)
      .map((x) => x.key);
    // The app's own endpoints: a CrudApi's apiEndpoint, a FunctionsApp's endpoint (not cosmosEndpoint and the like).
    const deployed = endpoints.find(
      (e) =>
        consumers.includes(e.component) &&
        APP_OUTPUTS.includes(e.output) &&
        /^https?:\/\//.test(e.value),
    );
    const origin = deployed ? new URL(deployed.value).origin : appDefaultUrl(r.name);
    targets.push({ app: r.name, url: `${origin}/api/health` });
  }
  // The SCIM app serves health too (anonymous, like the shared app's): at the host of its Tenant URL.
  const scim = scimTenantUrl(stack, outputs);
  if (scim) targets.push({ app: scim.app, url: `${new URL(scim.url).origin}/api/health` });
  return { targets, privateApps };
}

/**
 * The SCIM app's Tenant URL — what Entra's provisioning ("Tenant URL") and Okta ("Base URL") are given — as deployed
 * (its `<backend>_scim_shared_url` output, on the host Azure gave the app), else `https://<app>.azurewebsites.net`
 * `/api/scim/v2`; undefined when the stack plans no SCIM app (docs/enterprise.md, "The SCIM app").
 *
 * @example
 * ```ts
 * const scim = scimTenantUrl(stack, await readOutputs(stack, runner));
 * if (scim) console.log(`SCIM Tenant URL  ${scim.url}`);
 * ```
 */
export function scimTenantUrl(
  stack: SynthesizedStack,
  outputs: TerraformOutputs,
): { readonly app: string; readonly url: string } | undefined {
  const r = stack.plan.resources.find((x) => x.type === 'scim');
  if (!r) return undefined;
  const value = outputs[scimAppNames(stack.plan.backendId).url]?.value;
  const url =
    typeof value === 'string' && /^https?:\/\/[^/\s]+\/api\/scim\/v2$/.test(value)
      ? value
      : `${appDefaultUrl(r.name)}/api/scim/v2`;
  return { app: r.name, url };
}
