/**
 * `@atakora/component`: everything.
 * @packageDocumentation
 */
export * from './entry/backend.js';
export * from './entry/crud.js';
export * from './entry/cdk.js';
