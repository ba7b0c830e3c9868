/**
 * `@atakora/component`: declaring, planning and the CRUD component, without cdktf. The stack every backend is
 * applied to lives in `@atakora/component/cdk`, so importing the root never loads cdktf (issue 13.3).
 * @packageDocumentation
 */
export * from './entry/backend.js';
export * from './entry/crud.js';
