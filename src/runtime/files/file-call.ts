import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CrudOperation } from '../../model/runtime-manifest.js';
import type { AccessScope } from '../data/access-scope.js';
import type { RequestUsage } from '../usage/request-usage.js';
import type { CallerUploads } from './layout.js';

/** A file's id: the runtime's own UUID (any other id names no file). */
export const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What a FileStore's routes do, by method.
 *
 * @example
 * ```ts
 * const op: FileOperation = 'create-upload';
 * ```
 */
export type FileOperation = 'create-upload' | 'list' | 'read' | 'delete' | 'complete';

/**
 * The access rule each operation is checked against (`create` uploads and completes).
 *
 * @example
 * ```ts
 * OPERATION_RULE.complete; // 'create'
 * ```
 */
export const OPERATION_RULE: Readonly<Record<FileOperation, CrudOperation>> = {
  'create-upload': 'create',
  complete: 'create',
  list: 'list',
  read: 'read',
  delete: 'delete',
};

/**
 * One request of a FileStore, as the pipeline resolved it: the tenant's folder, the access verdict, and the
 * plan's storage quota for bytes the request would add.
 *
 * @example
 * ```ts
 * const over = await call.quota(declared.size);
 * ```
 */
export interface FileCall {
  readonly request: HttpRequest;
  /** The request's entry in the usage ledger, when it meters this request: the bytes stored and freed. */
  readonly usage: RequestUsage | undefined;
  /** The caller's uploads in their tenant's folder (layout.ts). */
  readonly uploads: CallerUploads;
  readonly access: AccessScope;
  readonly quota: (bytes: number) => Promise<HttpResponseInit | undefined>;
}
