import type { PlannedDeploy, ResourcePlan } from '../../model/plan.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { at } from '../../model/at.js';
import {
  STATEFUL_TERRAFORM_TYPES,
  type DeployChange,
  type DeployRef,
  type DeployReplacement,
  type PlanDiff,
} from './diff-types.js';

/**
 * The Terraform resources of two plans matched by type and name (an address is `type.name`, and a Terraform type
 * holds no "."), each list in address order: no address made, hashed and sorted per Terraform resource (10,000 at
 * 1,000 CrudApis), only for what the diff lists. The base's are indexed; the plan's are walked from the last planned
 * resource back, so the first sight of each is of the one that owns it (the last listing it), and each is marked
 * matched in the base's index (no index of the plan's 5,000 at 1,000 CrudApis). `replacedWhole`: planned resource
 * key → why it is replaced; `replacedDeploys` and `changedDeploys`: why a Terraform resource alone is replaced, and
 * the config paths that change it.
 *
 * @example
 * ```ts
 * const deploys = matchDeploys(before, after, new Map(), new ByAddress(), new ByAddress());
 * deploys.adds.map((d) => d.address); // ['azurerm_cosmosdb_sql_container.backend_cosmos_shared_db_…', …]
 * ```
 */
export function matchDeploys(
  before: ResourcePlan,
  after: ResourcePlan,
  replacedWhole: ReadonlyMap<string, string>,
  replacedDeploys: ByAddress<string>,
  changedDeploys: ByAddress<string[]>,
): PlanDiff['deploys'] {
  const db = deployIndex(before);
  const deploys = {
    adds: [] as DeployRef[],
    removes: [] as DeployRef[],
    changes: [] as DeployChange[],
    replacements: [] as DeployReplacement[],
  };
  // Each index looked up only when it holds something, and by the type once per run of one type.
  const anyWhole = replacedWhole.size > 0;
  const added = new ByAddress<true>();
  let type: string | undefined;
  let olds: Map<string, string | null> | undefined;
  let replacedOfType: ReadonlyMap<string, string> | undefined;
  let changedOfType: ReadonlyMap<string, string[]> | undefined;
  for (let i = after.resources.length - 1; i >= 0; i--) {
    const r = at(after.resources, i);
    const y = r.key;
    for (let j = r.deploys.length - 1; j >= 0; j--) {
      const d = at(r.deploys, j);
      const name = d.name;
      if (d.terraformType !== type) {
        type = d.terraformType;
        olds = db.get(type);
        replacedOfType = replacedDeploys.ofType(type);
        changedOfType = changedDeploys.ofType(type);
      }
      const x = olds?.get(name);
      if (x === null) continue; // matched already: a later planned resource lists it too
      if (x === undefined) {
        if (added.get(type, name)) continue;
        added.set(d, true);
        deploys.adds.push(deployRef(type, name, y));
        continue;
      }
      olds?.set(name, null);
      const reason =
        (anyWhole ? replacedWhole.get(y) : undefined) ??
        (x !== y ? `moved from ${x} to ${y}` : replacedOfType?.get(name));
      if (reason !== undefined) {
        deploys.replacements.push({
          ...deployRef(type, name, y),
          reason,
          stateful: STATEFUL_TERRAFORM_TYPES.includes(type),
        });
        continue;
      }
      const paths = changedOfType?.get(name);
      if (paths)
        deploys.changes.push({ ...deployRef(type, name, y), paths: [...paths].sort(compare) });
    }
  }
  // What no Terraform resource of the plan matched is removed.
  db.forEach((names, t) => {
    names.forEach((x, name) => {
      if (x !== null) deploys.removes.push(deployRef(t, name, x));
    });
  });
  deploys.adds.sort(byAddress);
  deploys.removes.sort(byAddress);
  deploys.changes.sort(byAddress);
  deploys.replacements.sort(byAddress);
  return deploys;
}

/**
 * Terraform type → name → the key of the planned resource listing it (the last one, should two list it); diffPlans
 * sets it `null` once a Terraform resource of the other plan matched it (matchDeploys).
 */
function deployIndex(plan: ResourcePlan): Map<string, Map<string, string | null>> {
  const m = new Map<string, Map<string, string | null>>();
  // Indexed: no iterator per Terraform resource (10,000 at 1,000 CrudApis, in code run once per diff).
  for (let i = 0; i < plan.resources.length; i++) {
    const r = at(plan.resources, i);
    let last: string | undefined;
    let names: Map<string, string | null> | undefined;
    for (let j = 0; j < r.deploys.length; j++) {
      const d = at(r.deploys, j);
      // A resource's deploys come in runs of one type (a container per CrudApi): its map looked up once a run.
      if (d.terraformType !== last || !names) {
        last = d.terraformType;
        names = m.get(last);
        if (!names) m.set(last, (names = new Map<string, string | null>()));
      }
      names.set(d.name, r.key);
    }
  }
  return m;
}

const deployRef = (terraformType: string, name: string, resourceKey: string): DeployRef => ({
  terraformType,
  name,
  address: `${terraformType}.${name}`,
  resourceKey,
});
const byAddress = (a: DeployRef, b: DeployRef) => compare(a.address, b.address);

/**
 * Values by Terraform address, kept as type → name (the address of each is made only when it is listed).
 *
 * @example
 * ```ts
 * const why = new ByAddress<string>();
 * why.set({ terraformType: 'azurerm_cosmosdb_sql_container', name: 'c' }, 'partitionKey changed');
 * why.get('azurerm_cosmosdb_sql_container', 'c'); // 'partitionKey changed'
 * ```
 */
export class ByAddress<V> {
  readonly #byType = new Map<string, Map<string, V>>();
  get(terraformType: string, name: string): V | undefined {
    return this.#byType.get(terraformType)?.get(name);
  }
  /** The values of one Terraform type by name (`undefined` when it has none). */
  ofType(terraformType: string): ReadonlyMap<string, V> | undefined {
    return this.#byType.get(terraformType);
  }
  set(d: PlannedDeploy, value: V): void {
    const names = this.#byType.get(d.terraformType);
    if (names) names.set(d.name, value);
    else this.#byType.set(d.terraformType, new Map([[d.name, value]]));
  }
}
