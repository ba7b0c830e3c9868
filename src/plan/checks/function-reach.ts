import { closest } from '../../kit/pure/closest-key.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { crudToolName, entityToolActions, functionToolName } from '../../model/mcp-tool-names.js';
import type { PlanComponent } from '../plan-input.js';

/** One Function App as the checks read it: what it hosts. */
interface App {
  readonly functions: readonly HostedFunction[];
  readonly entities: readonly RuntimeEntity[];
}

function appsOf(resources: readonly PlannedResource[]): App[] {
  return resources
    .filter((r) => r.type === 'functions')
    .map((r) => {
      const c = r.config as {
        hostedFunctions?: readonly HostedFunction[];
        crudEntities?: readonly RuntimeEntity[];
      };
      return { functions: c.hostedFunctions ?? [], entities: c.crudEntities ?? [] };
    });
}

/**
 * The plan's verdict on what HTTP functions reach and on the MCP server (docs/functions.md, docs/mcp.md):
 * `data` names CrudApis of this backend (`FUNCTIONS_DATA_UNKNOWN`) that share the function's Function App, as a
 * tool function must share the CRUD runtime's (`FUNCTIONS_DATA_APART`: both run in that process); no two MCP
 * tools share a name (`MCP_TOOL_CONFLICT`); and warnings for MCP settings that do nothing (`MCP_OFF`,
 * `MCP_WRITES_OFF`) or serve everyone (`MCP_AUTH_NONE`). Reads the merged Function Apps only when a function
 * declares `data` or `mcp`, or the backend serves MCP.
 *
 * @example
 * ```ts
 * functionReachIssues(components, resources, config); // [{ code: 'FUNCTIONS_DATA_UNKNOWN', … }]
 * ```
 */
export function functionReachIssues(
  components: readonly PlanComponent[],
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlanIssue[] {
  const apps = appsOf(resources);
  const reaching = apps.some((a) => a.functions.some((f) => f.data?.length || f.mcp));
  const crudMcp = components.some(
    (c) =>
      c.definition.componentType === 'CrudApi' &&
      (c.definition.config as { mcp?: unknown } | undefined)?.mcp !== undefined,
  );
  if (!reaching && !crudMcp && !config.mcp) return [];
  const keyOf = new Map(components.map((c) => [c.definition.componentId, c.key]));
  const crudIds = new Set(
    components
      .filter((c) => c.definition.componentType === 'CrudApi')
      .map((c) => c.definition.componentId),
  );
  return [
    ...apps.flatMap((app) => dataIssues(app, crudIds, keyOf)),
    ...mcpIssues(apps, components, config, keyOf),
  ];
}

function fnPath(f: HostedFunction, keyOf: ReadonlyMap<string, string>, key: string) {
  const own = f.name.slice(f.componentId.length + 1);
  return ['components', keyOf.get(f.componentId) ?? f.componentId, 'config', 'functions', own, key];
}

/**
 * How to name a CrudApi in `data`: by its component id (the key it has in `defineBackend` is no id), the nearest id
 * when one is close, and the ids there are.
 */
function unknownDataResolution(
  id: string,
  crudIds: ReadonlySet<string>,
  keyOf: ReadonlyMap<string, string>,
): string {
  const ids = [...crudIds].sort();
  const byKey = ids.find((c) => keyOf.get(c) === id);
  const near = byKey ?? closest(id, ids);
  const hint = byKey
    ? `"${id}" is the key of CrudApi ${byKey}: data takes component ids. Write '${byKey}'.`
    : near
      ? `Did you mean '${near}'?`
      : 'Name a CrudApi of this backend by its component id.';
  return `${hint} Its CrudApis: ${ids.length ? ids.join(', ') : 'none'}.`;
}

function dataIssues(
  app: App,
  crudIds: ReadonlySet<string>,
  keyOf: ReadonlyMap<string, string>,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const served = new Set(app.entities.map((e) => e.componentId));
  for (const f of app.functions) {
    for (const id of f.data ?? []) {
      if (!crudIds.has(id)) {
        issues.push({
          severity: 'error',
          code: 'FUNCTIONS_DATA_UNKNOWN',
          path: fnPath(f, keyOf, 'data'),
          components: [f.componentId],
          message: `${f.name}: data names "${id}", which is no CrudApi of this backend.`,
          resolution: unknownDataResolution(id, crudIds, keyOf),
        });
      } else if (!served.has(id)) {
        issues.push({
          severity: 'error',
          code: 'FUNCTIONS_DATA_APART',
          path: fnPath(f, keyOf, 'data'),
          components: [f.componentId, id],
          message:
            `${f.name}: data names ${id}, whose routes run in another Function App: dataOf runs them in the ` +
            "function's own process, so the FunctionsApp must share the CrudApi's app.",
        });
      }
    }
    if (f.mcp && app.entities.length === 0)
      issues.push({
        severity: 'error',
        code: 'FUNCTIONS_DATA_APART',
        path: fnPath(f, keyOf, 'mcp'),
        components: [f.componentId],
        message:
          `${f.name}: mcp makes it a tool of the MCP server, which the CRUD runtime's Function App serves; ` +
          'this function runs in another app.',
      });
  }
  return issues;
}

function mcpIssues(
  apps: readonly App[],
  components: readonly PlanComponent[],
  config: NormalizedConfig,
  keyOf: ReadonlyMap<string, string>,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const crud = components.filter((c) => c.definition.componentType === 'CrudApi');
  const toolFunctions = apps.flatMap((a) => a.functions.filter((f) => f.mcp));
  if (!config.mcp) {
    const asked = [
      ...crud
        .filter((c) => {
          const m = (c.definition.config as { mcp?: unknown } | undefined)?.mcp;
          return m === 'read' || m === 'readwrite';
        })
        .map((c) => c.definition.componentId),
      ...toolFunctions.map((f) => f.componentId),
    ];
    if (asked.length)
      issues.push({
        severity: 'warning',
        code: 'MCP_OFF',
        path: ['config', 'mcp'],
        components: [...new Set(asked)].sort(),
        message: `${[...new Set(asked)].sort().join(', ')} say mcp, but the backend serves no MCP server (mcp is off).`,
        resolution:
          'Add mcp: true (or { writes: true }) to the backend config, or remove mcp from them.',
      });
    return issues;
  }
  if (!config.auth.enabled && config.mcp.authorization)
    issues.push({
      severity: 'error',
      code: 'MCP_AUTHORIZATION_SIGN_IN_OFF',
      path: ['config', 'mcp', 'authorization'],
      message:
        "mcp.authorization puts a consent page behind the person's sign-in, and an API with auth: 'none' has none: " +
        'no one could consent, and no organization could be picked.',
      resolution: "Turn sign-in on (remove auth: 'none'), or remove mcp.authorization.",
    });
  if (!config.auth.enabled)
    issues.push({
      severity: 'warning',
      code: 'MCP_AUTH_NONE',
      path: ['config', 'mcp'],
      message:
        "The MCP server of an API with auth: 'none' serves every caller, and nobody is a caller its access rules " +
        'could tell apart: any agent on the network gets its tools.',
    });
  const names = new Map<string, string>();
  const claim = (name: string, owner: string, path: (string | number)[]) => {
    const other = names.get(name);
    if (other !== undefined && other !== owner)
      issues.push({
        severity: 'error',
        code: 'MCP_TOOL_CONFLICT',
        path,
        components: [other, owner].sort(),
        message: `The MCP tool "${name}" would be both ${other}'s and ${owner}'s.`,
      });
    else names.set(name, owner);
  };
  for (const app of apps)
    for (const e of app.entities) {
      if (e.mcp === false) continue;
      const writes = config.mcp.writes && e.mcp === 'readwrite';
      if (e.mcp === 'readwrite' && !config.mcp.writes)
        issues.push({
          severity: 'warning',
          code: 'MCP_WRITES_OFF',
          path: ['components', keyOf.get(e.componentId) ?? e.componentId, 'config', 'mcp'],
          components: [e.componentId],
          message: `${e.componentId} says mcp: 'readwrite', but the backend's MCP server serves no writes.`,
          resolution: 'Add mcp: { writes: true } to the backend config, or write mcp: read.',
        });
      for (const a of entityToolActions(e.operations, writes, e.search !== undefined))
        claim(crudToolName(e.entityName, a), e.componentId, [
          'components',
          keyOf.get(e.componentId) ?? e.componentId,
          'config',
          'entityName',
        ]);
    }
  for (const f of toolFunctions)
    claim(
      functionToolName(f.name.slice(f.componentId.length + 1)),
      f.name,
      fnPath(f, keyOf, 'mcp'),
    );
  return issues;
}
