/**
 * `@atakora/component`: everything — declaring and planning (`/backend`), the components (`/crud`,
 * `/functions`, `/web`) and the stack (`/cdk`). Importing it loads no cdktf: `ResourceGroupStack` loads it
 * when the first stack is made.
 * @packageDocumentation
 */
export * from './entry/backend.js';
export * from './entry/crud.js';
export * from './entry/functions.js';
export * from './entry/web.js';
export * from './entry/client.js';
export * from './entry/files.js';
export {
  StandaloneComponent,
  componentConfigOf,
  type StandaloneProps,
} from './components/standalone.js';
export { ResourceGroupStack, type ResourceGroupStackProps } from './components/lazy-stack.js';
