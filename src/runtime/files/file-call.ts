import type { HttpRequest } from '@azure/functions';
import type { CrudOperation } from '../../model/runtime-manifest.js';
import type { AccessScope } from '../data/access-scope.js';
import type { FileBytes } from './file-bytes.js';
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
 * One request of a FileStore, as the pipeline resolved it: the tenant's folder, the access verdict, and its bytes
 * under the plan's storage quota and in the usage ledger.
 *
 * @example
 * ```ts
 * const over = await call.bytes.check(declared.size);
 * ```
 */
export interface FileCall {
  readonly request: HttpRequest;
  /** The caller's uploads in their tenant's folder (layout.ts). */
  readonly uploads: CallerUploads;
  readonly access: AccessScope;
  /** Its bytes under the plan's storage quota and in the usage ledger (file-bytes.ts). */
  readonly bytes: FileBytes;
}
