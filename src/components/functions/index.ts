export { FunctionsApp, type FunctionsAppProps } from './construct.js';
export { defineFunctionsApp, type FunctionsAppDefinition } from './define.js';
export { ncrontabProblem } from './normalize.js';
export type {
  FunctionsAppConfig,
  FunctionDefinition,
  FunctionTrigger,
  HttpMethod,
} from './config.js';
export type { FunctionAccessRule } from '../../model/runtime-manifest.js';
export type { FunctionsAppHandle } from './handle.js';
