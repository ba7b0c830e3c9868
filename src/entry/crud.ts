/**
 * `@atakora/component/crud`: the CrudApi component.
 * @packageDocumentation
 */
export * from '../components/crud/index.js';
