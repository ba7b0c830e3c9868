import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Backend } from '../../backend/backend.js';
import type { ResourcePlan } from '../../model/plan.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { wasWarned } from '../../apply/warn-once.js';
import { servesScim } from '../../resources/functions/scim-app/scim-type.js';
import { ensureFolder, fsError, isFsError, type FsTarget } from '../shared/fs-errors.js';

/** One synthesized stack: where Terraform runs for it and what the deploy needs to know afterwards. */
export interface SynthesizedStack {
  /** `<backendId>-<environment>` (see {@link stackName}). */
  readonly name: string;
  /** Absolute path of `<out>/stacks/<name>`, the directory holding `cdk.tf.json`. */
  readonly dir: string;
  /** The applied plan: the deployed names, not the plan's placeholders. */
  readonly plan: ResourcePlan;
  readonly resourceGroup: string;
  /** The stack's subscription, when known at synth (stack props or ARM_SUBSCRIPTION_ID). */
  readonly subscriptionId: string | undefined;
  /** Stacks this one depends on (cdktf cross-stack references, from manifest.json). */
  readonly dependencies: readonly string[];
  /** Component endpoints: the Terraform output that holds each (its logical id in cdk.tf.json). */
  readonly endpoints: readonly {
    readonly component: string;
    readonly output: string;
    readonly outputId: string;
  }[];
  /**
   * The backend serves SCIM (tenants by membership, a plan with `scim`): deploy checks that it reaches the runtime
   * (the shared app's excluded paths, or the SCIM app with `tenants.scimApp`).
   */
  readonly servesScim?: boolean;
}

/** Options of {@link synthStacks}. */
export interface SynthOptions {
  readonly outdir: string;
  readonly resourceGroup?: string | undefined;
  /**
   * A Terraform backend type (`azurerm`, …) configured at init (partial-backend.ts); default:
   * cdktf's local state file.
   */
  readonly backend?: string | undefined;
  readonly log: (line: string) => void;
  /** cdktf context for the app (e.g. the run's admitted deployer address, kit/cdktf/deployer-admission.ts). */
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  /** The command whose `--out` this is, for its errors (`synth`, `deploy`, …); default `synth`. */
  readonly command?: string | undefined;
}

/**
 * What `atakora synth` does, returning what it made: one `ResourceGroupStack` per backend (resource group
 * `rg-<stack>` unless given), `backend.apply(stack)`, then `app.synth()` into `<outdir>/stacks/<stack>`.
 *
 * @example
 * ```ts
 * const stacks = await synthStacks(await loadBackends('backend.ts'), {
 *   outdir: 'cdktf.out',
 *   log: (l) => console.error(l),
 * });
 * for (const s of stacks) console.log(s.dir); // …/cdktf.out/stacks/backend-prod
 * ```
 */
export async function synthStacks(
  backends: readonly Backend[],
  options: SynthOptions,
): Promise<SynthesizedStack[]> {
  const { outdir, resourceGroup, log } = options;
  // cdktf loads only for synth: plan and diff stay fast.
  const [{ cdktf }, { ResourceGroupStack }, { usePartialBackend }] = await Promise.all([
    import('../../kit/cdktf/cdk-modules.js'),
    import('../../apply/resource-group-stack.js'),
    import('./partial-backend.js'),
  ]);
  // Missing folders are made as `mkdir -p` would (cdktf's App makes only the last one); a file in the way, or
  // a folder that cannot be written, is an FS_* error naming --out before any planning.
  const command = options.command ?? 'synth';
  const out: FsTarget = {
    what: 'the output folder (--out)',
    at: [command, '--out'],
    instead: `pass another folder: atakora ${command} <entry> --out <folder>`,
  };
  ensureFolder(outdir, out);
  const app = new cdktf.App({
    outdir,
    ...(options.context ? { context: { ...options.context } } : {}),
  });
  const made: {
    name: string;
    rg: string;
    subscriptionId: string | undefined;
    plan: ResourcePlan;
    outputIds: Map<string, string>;
    servesScim: boolean;
  }[] = [];
  const names: string[] = [];
  for (const [i, backend] of backends.entries()) {
    const name = stackName(backend, names);
    log(`[${i + 1}/${backends.length}] ${name}: planning and applying…`);
    const rg = resourceGroup ?? `rg-${name}`;
    const rgName = backends.length > 1 && resourceGroup ? `${rg}-${i + 1}` : rg;
    const stack = new ResourceGroupStack(app, name, {
      resourceGroupName: rgName,
      location: backend.location,
    });
    if (options.backend && options.backend !== 'local') usePartialBackend(stack, options.backend);
    const applied = backend.apply(stack);
    // The warnings apply attached to the stack (cdktf annotations), e.g. names derived without a subscription id.
    // apply already wrote some of them to stderr (warnOnce): not twice.
    for (const m of stack.node.metadata)
      if (m.type === '@cdktf/warn' && !wasWarned(String(m.data))) log(`warning: ${String(m.data)}`);
    // Say it once here: the plan does not show Terraform lifecycles, and `terraform destroy` will refuse these.
    const kept = stack.node
      .findAll()
      .filter(
        (c) =>
          cdktf.TerraformResource.isTerraformResource(c) && c.lifecycle?.preventDestroy === true,
      ).length;
    if (kept > 0)
      log(
        `${name}: ${kept} ` +
          `${kept === 1 ? 'resource that holds data carries' : 'resources that hold data carry'} ` +
          `prevent_destroy (terraform will not destroy or replace them; preventDestroy: false allows it, ` +
          `docs/deploying.md#protecting-data)`,
      );
    const outputIds = new Map<string, string>();
    for (const c of stack.node.findAll())
      if (c instanceof cdktf.TerraformOutput) outputIds.set(c.node.id, c.friendlyUniqueId);
    made.push({
      name,
      rg: rgName,
      subscriptionId: stack.subscriptionId ?? (process.env['ARM_SUBSCRIPTION_ID'] || undefined),
      plan: applied.plan,
      outputIds,
      servesScim: servesScim(backend.config),
    });
    names.push(name);
  }
  log('Synthesizing…');
  try {
    app.synth();
  } catch (e) {
    // Only what went wrong inside --out is about --out (an asset's source is another matter: main words it).
    if (isFsError(e) && e.path !== undefined && resolve(e.path).startsWith(resolve(outdir)))
      throw fsError(e, out);
    throw e;
  }
  const dependencies = manifestDependencies(outdir);
  return made.map((m) => ({
    name: m.name,
    dir: resolve(outdir, 'stacks', m.name),
    plan: m.plan,
    resourceGroup: m.rg,
    subscriptionId: m.subscriptionId,
    dependencies: dependencies.get(m.name) ?? [],
    servesScim: m.servesScim,
    // apply-backend.ts names each component endpoint output tfName(backendId, componentKey, outputName).
    endpoints: m.plan.components.flatMap((c) =>
      Object.keys(c.outputs).flatMap((o) => {
        const outputId = m.outputIds.get(tfName(m.plan.backendId, c.key, o));
        return outputId ? [{ component: c.key, output: o, outputId }] : [];
      }),
    ),
  }));
}

/** cdktf writes each stack's dependencies (stacks it references) to manifest.json. */
function manifestDependencies(outdir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  try {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      stacks?: Record<string, { dependencies?: string[] }>;
    };
    for (const [name, s] of Object.entries(manifest.stacks ?? {}))
      map.set(name, [...(s.dependencies ?? [])]);
  } catch {
    // No manifest: no dependencies known, the synth order stands.
  }
  return map;
}

/**
 * Stacks in dependency order (a stack after those it depends on), otherwise in synth order. Pure.
 *
 * @example
 * ```ts
 * orderStacks([{ name: 'b', dependencies: ['a'] }, { name: 'a', dependencies: [] }]).map((s) => s.name); // ['a', 'b']
 * ```
 */
export function orderStacks<
  S extends { readonly name: string; readonly dependencies: readonly string[] },
>(stacks: readonly S[]): S[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const out: S[] = [];
  const seen = new Set<string>();
  const visit = (s: S, path: readonly string[]): void => {
    if (seen.has(s.name) || path.includes(s.name)) return; // a cycle cannot come out of cdktf; never loop on one
    for (const d of s.dependencies) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...path, s.name]);
    }
    seen.add(s.name);
    out.push(s);
  };
  for (const s of stacks) visit(s, []);
  return out;
}

/**
 * `<backendId>-<environment>`; backends that share both (one per region, say) add their location, then
 * their position, so every backend gets its own stack directory.
 *
 * @example
 * ```ts
 * stackName(backend, []); // 'backend-prod'
 * ```
 */
export function stackName(
  backend: Pick<Backend, 'backendId' | 'environment' | 'location'>,
  taken: readonly string[],
): string {
  const base = `${backend.backendId}-${backend.environment}`;
  for (const name of [base, `${base}-${backend.location}`]) if (!taken.includes(name)) return name;
  return `${base}-${backend.location}-${taken.length + 1}`;
}
