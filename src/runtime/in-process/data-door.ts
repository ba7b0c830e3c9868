import type { HttpRequest } from '@azure/functions';
import { DATA_DOOR_KEY, type DataDoor, type DoorEntity } from '../../contract/data-door.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { InProcessRoutes, RunAs } from './routes.js';

/**
 * What an HTTP function with `data: [...]` may reach: its name, the CrudApi ids it declared, and the app's
 * component keys by id (the manifest's, so `dataOf<typeof backend>(request).<key>` finds its CrudApi).
 *
 * @example
 * ```ts
 * const reach: FunctionReach = { name: 'Reports-stats', data: ['TicketApi'], keys: { TicketApi: 'tickets' } };
 * ```
 */
export interface FunctionReach {
  readonly name: string;
  readonly data: readonly string[];
  readonly keys: Readonly<Record<string, string>>;
}

function doorEntity(e: RuntimeEntity): DoorEntity {
  return {
    componentId: e.componentId,
    route: e.route,
    children: (e.relations ?? []).filter((r) => r.kind === 'hasMany').map((r) => r.name),
  };
}

/**
 * Leave the data door on `request` before the function's code runs (its gate does, once it admitted the caller):
 * `dataOf(request)` reads it. Each call through it is one in-process operation of the CrudApi as the caller the
 * gate admitted (routes.ts `callerFor`) — none for a CrudApi the function did not declare.
 *
 * @example
 * ```ts
 * openDataDoor(ctx.request, { caller: ctx.caller, invocation: ctx.invocation }, routes, reach);
 * ```
 */
export function openDataDoor(
  request: HttpRequest,
  as: RunAs,
  routes: InProcessRoutes,
  reach: FunctionReach,
): void {
  const byKey: Record<string, DoorEntity> = {};
  const byId: Record<string, DoorEntity> = {};
  const undeclared: string[] = [];
  for (const e of routes.allEntities()) {
    const key = reach.keys[e.componentId];
    if (!reach.data.includes(e.componentId)) {
      undeclared.push(...(key ? [key, e.componentId] : [e.componentId]));
      continue;
    }
    const entity = doorEntity(e);
    byId[e.componentId] = entity;
    if (key) byKey[key] = entity;
  }
  const door: DataDoor = {
    functionName: reach.name,
    byKey,
    byId,
    undeclared,
    // Only what the function declared: a door never reaches a CrudApi outside its `data`.
    entity: (componentId) =>
      reach.data.includes(componentId) ? routes.entityCaller(componentId, as) : undefined,
  };
  Object.defineProperty(request, DATA_DOOR_KEY, {
    value: Object.freeze(door),
    enumerable: false,
    configurable: false,
    writable: false,
  });
}
