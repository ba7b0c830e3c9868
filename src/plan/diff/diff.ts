import type {
  JsonValue,
  PlanIssue,
  PlannedDeploy,
  PlannedResource,
  ResourcePlan,
} from '../../model/plan.js';
import { diffConfig } from './diff-config.js';
import {
  STATEFUL_RESOURCE_TYPES,
  STATEFUL_TERRAFORM_TYPES,
  type ConfigChange,
  type DeployRef,
  type DiffCounts,
  type PlanDiff,
  type ResourceChange,
  type ResourceRef,
  type ResourceReplacement,
} from './diff-types.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { factsOf } from '../../resources/facts.js';
import { ByAddress, matchDeploys } from './match-deploys.js';
import { tenantPlanRemovals } from './tenant-plan-removals.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';

export * from './diff-types.js';

/**
 * Compare two plans of the same backend. Pure and deterministic: same inputs, same (sorted) output.
 * A resource whose Azure name changes, or whose config changes a field Terraform cannot update in place
 * (a Cosmos account's capacity mode or region, a container's partition key, a storage account's tier), is a
 * replacement; all of its Terraform resources go with it. Replacing or removing anything stateful is an error
 * saying "data loss".
 *
 * @example
 * ```ts
 * const current = backend;
 * const next = defineBackend({ api, orders }); // adds an OrderApi
 * const diff = diffPlans(current.plan(), next.plan());
 * if (diff.hasDataLoss) for (const i of diff.issues) console.error(i.message);
 * ```
 */
export function diffPlans(before: ResourcePlan, after: ResourcePlan): PlanDiff {
  const b = new Map(before.resources.map((r) => [r.key, r]));
  const a = new Map(after.resources.map((r) => [r.key, r]));
  const adds: ResourceRef[] = [];
  const removes: ResourceRef[] = [];
  const changes: ResourceChange[] = [];
  const replacements: ResourceReplacement[] = [];
  // Resource key → why it is replaced; deploy address → why it alone is replaced; address → changed paths.
  const replacedWhole = new Map<string, string>();
  const replacedDeploys = new ByAddress<string>();
  const changedDeploys = new ByAddress<string[]>();

  for (const key of [...new Set([...b.keys(), ...a.keys()])].sort(compare)) {
    const x = b.get(key);
    const y = a.get(key);
    if (!x || !y) {
      // The key came from one of the two maps: the other side is there.
      if (y) adds.push(ref(y));
      else if (x) removes.push(ref(x));
      continue;
    }
    const cfg = diffConfig(x.config, y.config);
    const reasons: string[] = [];
    if (x.type !== y.type) reasons.push(`type: ${x.type} → ${y.type}`);
    if (x.name !== y.name) reasons.push(`name: ${x.name} → ${y.name}`);
    for (const c of cfg) {
      const l = landing(y, c, after.backendId);
      if (!l?.forcesNew) continue;
      if (l.deploy)
        replacedDeploys.set(l.deploy, `${c.pathText}: ${show(c.before)} → ${show(c.after)}`);
      else reasons.push(`${c.pathText}: ${show(c.before)} → ${show(c.after)}`);
    }
    if (reasons.length > 0) {
      replacedWhole.set(key, reasons.join('; '));
      replacements.push({
        key,
        type: y.type,
        nameBefore: x.name,
        nameAfter: y.name,
        reasons,
        changes: cfg,
        stateful: isStatefulType(x.type) || isStatefulType(y.type),
      });
      continue;
    }
    if (cfg.length === 0) continue;
    changes.push({ ...ref(y), changes: cfg });
    for (const c of cfg) {
      const d = landing(y, c, after.backendId)?.deploy;
      if (!d) continue;
      const list = changedDeploys.get(d.terraformType, d.name);
      if (list) list.push(c.pathText);
      else changedDeploys.set(d, [c.pathText]);
    }
  }

  const deploys = matchDeploys(before, after, replacedWhole, replacedDeploys, changedDeploys);

  const issues = dataLossIssues(
    replacements,
    removes,
    deploys,
    b,
    a,
    replacedWhole,
    before.backendId,
  );
  // A tenant plan the base declared and this one drops: its records fall back to defaultPlan's limits.
  issues.push(...tenantPlanRemovals(before, after));
  // A change Azure makes in place but never undoes, or one that replaces what holds no data yet costs something
  // (the e-mail's data location), is a warning of its own.
  for (const change of [...changes, ...replacements])
    for (const c of change.changes) {
      const oneWay = factsOf(change.type).changeIssue?.(change.key, c.path, c.before, c.after);
      if (oneWay) issues.push(oneWay);
    }
  return {
    resources: { adds, removes, changes, replacements },
    deploys,
    issues,
    summary: {
      resources: counts({ adds, removes, changes, replacements }),
      deploys: counts(deploys),
      errors: issues.filter((i) => i.severity === 'error').length,
    },
    hasDataLoss: issues.some(
      (i) => i.code === 'STATEFUL_REPLACEMENT' || i.code === 'STATEFUL_REMOVAL',
    ),
  };
}

/** One issue per stateful event, at the highest level it happens: a whole resource, else one Terraform resource. */
function dataLossIssues(
  replacements: readonly ResourceReplacement[],
  removes: readonly ResourceRef[],
  deploys: PlanDiff['deploys'],
  before: ReadonlyMap<string, PlannedResource>,
  after: ReadonlyMap<string, PlannedResource>,
  replacedWhole: ReadonlyMap<string, string>,
  backendId: string,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  // Children only: the primary deploy is the resource itself.
  const statefulChildren = (r: PlannedResource | undefined) =>
    r
      ? r.deploys.filter(
          (d) =>
            STATEFUL_TERRAFORM_TYPES.includes(d.terraformType) && d !== primaryDeploy(r, backendId),
        ).length
      : 0;
  for (const r of replacements) {
    if (!r.stateful) continue;
    const n = statefulChildren(before.get(r.key));
    issues.push({
      severity: 'error',
      code: 'STATEFUL_REPLACEMENT',
      path: ['resources', r.key],
      components: [...(after.get(r.key)?.consumers ?? [])],
      details: { resourceKey: r.key, resourceType: r.type, reasons: [...r.reasons] },
      message: `${r.type} resource ${r.key} (${r.nameBefore}) would be destroyed and recreated${r.nameAfter !== r.nameBefore ? ` as ${r.nameAfter}` : ''} (${r.reasons.join('; ')}): data loss of everything it holds${n > 0 ? `, with ${n} database${n === 1 ? '' : 's'} / container${n === 1 ? '' : 's'} inside it` : ''}.`,
      resolution:
        'Keep the name and the replacement-forcing settings unchanged (environment, backendId, naming, ' +
        'location), or migrate the data to the new resource first.',
    });
  }
  for (const r of removes) {
    if (!isStatefulType(r.type)) continue;
    issues.push({
      severity: 'error',
      code: 'STATEFUL_REMOVAL',
      path: ['resources', r.key],
      components: [...r.consumers],
      details: { resourceKey: r.key, resourceType: r.type },
      message:
        `${r.type} resource ${r.key} (${r.name}) would be destroyed because no component uses it any more: ` +
        `data loss of everything it holds.`,
      resolution: 'Keep a component that uses it, or export the data before applying.',
    });
  }
  const owner = (d: DeployRef) => {
    const r = before.get(d.resourceKey) ?? after.get(d.resourceKey);
    return r ? `${d.resourceKey} (${r.name})` : d.resourceKey;
  };
  const coveredRemoval = new Set(removes.filter((r) => isStatefulType(r.type)).map((r) => r.key));
  for (const d of deploys.replacements) {
    if (!d.stateful || replacedWhole.has(d.resourceKey)) continue;
    issues.push({
      severity: 'error',
      code: 'STATEFUL_REPLACEMENT',
      path: ['resources', d.resourceKey, 'deploys', d.address],
      details: { resourceKey: d.resourceKey, address: d.address, reasons: [d.reason] },
      message: `${d.address} in ${owner(d)} would be destroyed and recreated (${d.reason}): data loss of its contents.`,
      resolution:
        'Keep the setting as it was, or create a new container and migrate the data into it.',
    });
  }
  for (const d of deploys.removes) {
    if (!STATEFUL_TERRAFORM_TYPES.includes(d.terraformType) || coveredRemoval.has(d.resourceKey))
      continue;
    issues.push({
      severity: 'error',
      code: 'STATEFUL_REMOVAL',
      path: ['resources', d.resourceKey, 'deploys', d.address],
      details: { resourceKey: d.resourceKey, address: d.address },
      message: `${d.address} in ${owner(d)} would be destroyed: data loss of its contents.`,
      resolution: 'Keep the component that declares it, or export the data before applying.',
    });
  }
  return issues.sort((x, y) => compare(x.code, y.code) || compare(x.message, y.message));
}

/**
 * Which Terraform resource a config change lands on, and whether Terraform must recreate it (azurerm marks
 * these arguments ForceNew). `deploy` absent with `forcesNew`: the whole resource. `undefined`: the change
 * only adds or removes Terraform resources (a database, a container, a role assignment), which the
 * deploy-level diff already lists.
 */
function landing(
  r: PlannedResource,
  c: ConfigChange,
  backendId: string,
): { deploy?: PlannedDeploy; forcesNew: boolean } | undefined {
  const p = c.path;
  const primary = primaryDeploy(r, backendId);
  const find = (type: string, name: string) =>
    r.deploys.find((d) => d.terraformType === type && d.name === name) ?? primary;
  // Changes the type's facts say Terraform cannot make in place replace the whole resource.
  if (factsOf(r.type).forcesNew?.(p, c.before, c.after)) return { forcesNew: true };
  if (r.type === 'cosmos') {
    if (p[0] !== 'databases') return { deploy: primary, forcesNew: false };
    const [, db, k2, cont, k4] = p;
    if (db === undefined || p.length === 2) return undefined;
    const base = primary?.name ?? '';
    if (k2 !== 'containers')
      return {
        deploy: find('azurerm_cosmosdb_sql_database', tfName(base, 'db', db)),
        forcesNew: false,
      };
    if (cont === undefined || p.length === 4 || k4 === 'access') return undefined;
    // A container's partition key and unique keys are fixed at creation.
    return {
      deploy: find('azurerm_cosmosdb_sql_container', tfName(base, 'db', db, 'c', cont)),
      forcesNew: k4 === 'partitionKey' || k4 === 'uniqueKeys',
    };
  }
  if (r.type === 'storage') {
    if (p[0] === 'containers' || p[0] === 'queues') return undefined;
  }
  if (r.type === 'functions' && p[0] === 'sku') {
    const plan = r.deploys.find((d) => d.terraformType === 'azurerm_service_plan');
    // A consumption plan cannot become a dedicated or premium one in place (nor the reverse).
    return {
      deploy: plan ?? primary,
      forcesNew: isConsumption(c.before) !== isConsumption(c.after),
    };
  }
  if (r.type === 'functions' && (p[0] === 'hostedFunctions' || p[0] === 'codePath')) {
    // What the package holds: its blob's content changes (apply uploads a new content-hashed package).
    const blob = r.deploys.find((d) => d.terraformType === 'azurerm_storage_blob');
    return { deploy: blob ?? primary, forcesNew: false };
  }
  return { deploy: primary, forcesNew: false };
}

/**
 * The Terraform resource that *is* the planned resource: the one named `tfName(backendId, key)`, whose name the
 * logical names of its children extend (`backend_functions_shared_plan`). Not simply the shortest name: a
 * component's identity (`backend_identity_Api`) can be shorter than the Function App it belongs to, and a
 * change of the app's settings must be reported on the app. The shortest name is the fallback for a custom
 * provider's resources, which may name their parts freely.
 */
function primaryDeploy(r: PlannedResource, backendId: string): PlannedDeploy | undefined {
  const own = tfName(backendId, r.key);
  return (
    r.deploys.find((d) => d.name === own) ??
    [...r.deploys].sort(
      (x, y) => x.name.length - y.name.length || compare(x.terraformType, y.terraformType),
    )[0]
  );
}

const isConsumption = (sku: JsonValue | undefined) => sku === 'Y1' || sku === 'FC1';

const show = (v: JsonValue | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));

const ref = (r: PlannedResource): ResourceRef => ({
  key: r.key,
  type: r.type,
  name: r.name,
  consumers: r.consumers,
});
const isStatefulType = (t: string) => STATEFUL_RESOURCE_TYPES.includes(t);
const counts = (d: {
  adds: readonly unknown[];
  removes: readonly unknown[];
  changes: readonly unknown[];
  replacements: readonly unknown[];
}): DiffCounts => ({
  adds: d.adds.length,
  removes: d.removes.length,
  changes: d.changes.length,
  replacements: d.replacements.length,
});
