import { CRUD_METHODS, type CrudAction, type CrudRouteKind } from '../../contract/routes.js';
import type { TracedOperation } from './attributes.js';

/** A traced operation per method of one route (methods the route does not serve have none). */
export type OperationTable = Readonly<Partial<Record<string, TracedOperation>>>;

const CRUD_OPERATION: Readonly<Record<CrudAction, TracedOperation>> = {
  list: 'list',
  create: 'create',
  get: 'read',
  replace: 'replace',
  update: 'update',
  delete: 'delete',
};

/**
 * The operations of a CrudApi route, from the contract's method table (GET list, POST create; GET read, PUT
 * replace, PATCH update, DELETE delete).
 *
 * @example
 * ```ts
 * crudOperations('item').PATCH; // 'update'
 * ```
 */
export function crudOperations(kind: CrudRouteKind): OperationTable {
  const table: Partial<Record<string, TracedOperation>> = {};
  for (const m of CRUD_METHODS) if (m.route === kind) table[m.method] = CRUD_OPERATION[m.action];
  return table;
}

/**
 * The operations of a FileStore's routes: `POST api/<route>` upload, `GET` list; `GET api/<route>/{id}` download
 * (the metadata with its short-lived URL), `DELETE` delete; `POST …/complete` complete.
 *
 * @example
 * ```ts
 * FILE_OPERATIONS.collection.POST; // 'upload'
 * ```
 */
export const FILE_OPERATIONS: Readonly<Record<'collection' | 'item' | 'complete', OperationTable>> =
  {
    collection: { POST: 'upload', GET: 'list' },
    item: { GET: 'download', DELETE: 'delete' },
    complete: { POST: 'complete' },
  };

/**
 * The operation lookup a traced route takes, over a table.
 *
 * @example
 * ```ts
 * operationIn(FILE_OPERATIONS.item)('GET'); // 'download'
 * ```
 */
export function operationIn(
  table: OperationTable,
): (method: string) => TracedOperation | undefined {
  return (method) => (Object.hasOwn(table, method) ? table[method] : undefined);
}
