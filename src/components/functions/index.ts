export { FunctionsApp, type FunctionsAppProps } from './construct.js';
export { defineFunctionsApp, type FunctionsAppDefinition } from './define.js';
export { ncrontabProblem } from './normalize.js';
// Every type of the config: FunctionsAppConfig, FunctionDefinition, FunctionTrigger, HttpMethod.
export type * from './config.js';
export type { FunctionAccessRule } from '../../model/runtime-manifest.js';
export type { FunctionsAppHandle } from './handle.js';
