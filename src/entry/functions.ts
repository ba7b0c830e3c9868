/**
 * `@atakora/component/functions`: the FunctionsApp component.
 * @packageDocumentation
 */
export * from '../components/functions/index.js';
