import type { ResourcePlan } from '../../model/plan.js';
import { STATEFUL_TERRAFORM_TYPES } from '../../plan/diff/diff-types.js';

/**
 * The part of Terraform's JSON plan (`terraform show -json <planfile>`) the deploy reads. Format described at
 * https://developer.hashicorp.com/terraform/internals/json-format ("Change Representation", "resource_changes"):
 * `actions` is one of `["no-op"]`, `["create"]`, `["read"]`, `["update"]`, `["delete", "create"]`,
 * `["create", "delete"]` (a replacement, the order telling which comes first) or `["delete"]`; `action_reason`
 * says why a resource is replaced or deleted (`replace_because_cannot_update`, `delete_because_no_resource_config`,
 * …) and `change.replace_paths` which attributes force the replacement.
 */
export interface TerraformPlanJson {
  readonly format_version?: string;
  readonly resource_changes?: readonly TerraformResourceChange[];
}

/** One entry of `resource_changes`. */
export interface TerraformResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

/** A delete or replace of a resource that holds data. */
export interface DataLoss {
  readonly address: string;
  readonly type: string;
  /** `replace` or `delete`. */
  readonly action: 'replace' | 'delete';
  /** Terraform's words for why: its `action_reason` and the attributes that force a replacement. */
  readonly reason: string;
  /** The components whose planned resource deploys this address (empty when the address is not in the plan). */
  readonly components: readonly string[];
}

/** What a Terraform plan will do, counted the way Terraform's own summary counts it, and per component. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Completion lines `terraform apply` will print: a replacement completes twice (destroy and create). */
  readonly operations: number;
  /**
   * Per planned resource (`cosmos:shared`, …; `(stack)` for addresses no planned resource deploys, like the
   * resource group): the components that use it and its Terraform resources' actions.
   */
  readonly byResource: ReadonlyMap<
    string,
    { readonly components: readonly string[]; add: number; change: number; destroy: number }
  >;
  readonly dataLoss: readonly DataLoss[];
}

const STACK = '(stack)';

/**
 * Read a Terraform JSON plan: counts (a replacement counts as one add and one destroy, as `terraform plan`
 * says "N to add, M to change, K to destroy"), the components each change touches (an address is
 * `<terraformType>.<name>` and the plan's `deploys` list the same pairs, DESIGN §3), and every delete or
 * replacement of a data-holding Terraform type ({@link STATEFUL_TERRAFORM_TYPES}, the list `atakora diff`
 * and `prevent_destroy` use). Pure.
 *
 * @example
 * ```ts
 * const s = summarizeTerraformPlan(JSON.parse(showJson), backend.plan());
 * if (s.dataLoss.length && !allowDataLoss) process.exitCode = 1;
 * ```
 */
export function summarizeTerraformPlan(
  plan: TerraformPlanJson,
  resources?: ResourcePlan,
): PlanSummary {
  const owners = ownersByAddress(resources);
  let add = 0,
    change = 0,
    destroy = 0,
    operations = 0;
  const byResource = new Map<
    string,
    { components: readonly string[]; add: number; change: number; destroy: number }
  >();
  const dataLoss: DataLoss[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const actions = rc.change?.actions ?? [];
    const adds = actions.includes('create') ? 1 : 0;
    const destroys = actions.includes('delete') ? 1 : 0;
    const changes = actions.includes('update') ? 1 : 0;
    if (adds + destroys + changes === 0) continue;
    add += adds;
    destroy += destroys;
    change += changes;
    operations += adds + destroys + changes;
    const owner = owners.get(rc.address);
    const c = byResource.get(owner?.key ?? STACK) ?? {
      components: owner?.consumers ?? [],
      add: 0,
      change: 0,
      destroy: 0,
    };
    c.add += adds;
    c.change += changes;
    c.destroy += destroys;
    byResource.set(owner?.key ?? STACK, c);
    if (destroys && STATEFUL_TERRAFORM_TYPES.includes(rc.type)) {
      dataLoss.push({
        address: rc.address,
        type: rc.type,
        action: adds ? 'replace' : 'delete',
        reason: reasonOf(rc),
        components: owner?.consumers ?? [],
      });
    }
  }
  return { add, change, destroy, operations, byResource, dataLoss };
}

/** `replace_because_cannot_update: partition_key_paths` → "cannot update in place (forced by partition_key_paths)". */
function reasonOf(rc: TerraformResourceChange): string {
  const words: Record<string, string> = {
    replace_because_cannot_update: 'cannot be updated in place',
    replace_because_tainted: 'is tainted',
    replace_by_request: 'replacement requested (-replace)',
    replace_by_triggers: 'replace_triggered_by changed',
    delete_because_no_resource_config: 'its block is gone from the configuration',
    delete_because_no_module: 'its module is gone from the configuration',
    delete_because_wrong_repetition: 'count/for_each changed',
    delete_because_count_index: 'its count index is gone',
    delete_because_each_key: 'its for_each key is gone',
    delete_because_no_move_target: 'its moved target is gone',
  };
  const reason = rc.action_reason
    ? `${words[rc.action_reason] ?? rc.action_reason} (${rc.action_reason})`
    : 'planned by Terraform';
  const paths = (rc.change.replace_paths ?? []).map((p) => p.join('.')).filter((p) => p.length > 0);
  return paths.length ? `${reason}; forced by ${paths.join(', ')}` : reason;
}

function ownersByAddress(
  plan: ResourcePlan | undefined,
): Map<string, { key: string; consumers: readonly string[] }> {
  const map = new Map<string, { key: string; consumers: readonly string[] }>();
  for (const r of plan?.resources ?? [])
    for (const d of r.deploys)
      map.set(`${d.terraformType}.${d.name}`, { key: r.key, consumers: r.consumers });
  return map;
}

/**
 * The summary as the deploy prints it before asking: totals, then one line per component.
 *
 * @example
 * ```ts
 * io.err(renderPlanSummary('backend-prod', summary) + '\n');
 * ```
 */
export function renderPlanSummary(stack: string, s: PlanSummary): string {
  const lines = [`${stack}: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`];
  const rows = [...s.byResource].sort(([a], [b]) =>
    a === STACK ? 1 : b === STACK ? -1 : a.localeCompare(b),
  );
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  for (const [key, c] of rows) {
    lines.push(
      `  ${key.padEnd(width)}  +${c.add} ~${c.change} -${c.destroy}${c.components.length ? `  used by ${c.components.join(', ')}` : ''}`,
    );
  }
  return lines.join('\n');
}

/**
 * The refusal: every data-holding address with its action and Terraform's reason, and the way through.
 *
 * @example
 * ```ts
 * if (s.dataLoss.length) io.err(renderDataLoss('backend-prod', s.dataLoss, 'deploy') + '\n');
 * ```
 */
export function renderDataLoss(stack: string, losses: readonly DataLoss[]): string {
  return [
    `${stack}: the Terraform plan deletes data:`,
    ...losses.map(
      (l) =>
        `  ${l.action === 'replace' ? '-/+' : '  -'} ${l.address} — ${l.action === 'replace' ? 'replaced' : 'destroyed'}: ${l.reason}${l.components.length ? ` [${l.components.join(', ')}]` : ''}`,
    ),
  ].join('\n');
}
