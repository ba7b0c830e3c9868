import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CrudOperation } from '../../model/runtime-manifest.js';
import {
  CRUD_METHODS,
  ROUTE_METHODS,
  type CrudAction,
  type CrudRouteKind,
  type RouteMethod,
} from '../../contract/routes.js';
import type { ChangeEvent } from '../events/change-dispatch.js';
import { createItem, listItems } from './collection-operations.js';
import type { CrudRequest, ItemRequest } from './context.js';
import { deleteItem, readItem, replaceItem } from './item-operations.js';
import { mergeItem } from './merge-operation.js';

// The CRUD contract's method table (src/contract/routes.ts) as the runtime runs it: per route kind and method, the
// access rules' operation, the operation that runs it, its name in the logs, and the change it makes.

export type Operation = (req: CrudRequest) => Promise<HttpResponseInit>;
export type ItemOperation = (req: ItemRequest) => Promise<HttpResponseInit>;
export type Entry<R> = {
  op: CrudOperation;
  name: string;
  run: R;
  change?: ChangeEvent['operation'];
};

// What runs each row of the contract's method table (src/contract/routes.ts), and its name in the logs.
const RUN: {
  readonly [A in CrudAction]: {
    name: string;
    run: A extends 'list' | 'create' ? Operation : ItemOperation;
  };
} = {
  list: { name: 'list', run: listItems },
  create: { name: 'create', run: createItem },
  get: { name: 'read', run: readItem },
  replace: { name: 'replace', run: replaceItem },
  update: { name: 'merge', run: mergeItem },
  delete: { name: 'delete', run: deleteItem },
};

function tableOf<R>(kind: CrudRouteKind): Readonly<Partial<Record<RouteMethod, Entry<R>>>> {
  const table: Partial<Record<RouteMethod, Entry<R>>> = {};
  for (const m of CRUD_METHODS) {
    if (m.route !== kind) continue;
    const change = m.action === 'list' || m.action === 'get' ? {} : { change: m.action };
    table[m.method] = {
      op: m.operation,
      ...(RUN[m.action] as { name: string; run: R }),
      ...change,
    };
  }
  return table;
}

export const COLLECTION = tableOf<Operation>('collection');
export const ITEM = tableOf<ItemOperation>('item');

/** The methods `ops` enables on a route (what its `Allow` lists). */
export function allowedMethods(
  table: Readonly<Partial<Record<RouteMethod, { op: CrudOperation }>>>,
  ops: readonly CrudOperation[],
): RouteMethod[] {
  return ROUTE_METHODS.filter((m) => {
    const entry = table[m];
    return entry !== undefined && ops.includes(entry.op);
  });
}

export function methodOf(request: HttpRequest): RouteMethod | undefined {
  const m = request.method.toUpperCase();
  return (ROUTE_METHODS as readonly string[]).includes(m) ? (m as RouteMethod) : undefined;
}
