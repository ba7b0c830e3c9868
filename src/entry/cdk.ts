/**
 * `@atakora/component/cdk`: the stack every backend is applied to.
 * @packageDocumentation
 */
export { ResourceGroupStack, type ResourceGroupStackProps } from '../apply/resource-group-stack.js';
export {
  StandaloneComponent,
  componentConfigOf,
  type StandaloneProps,
} from '../components/standalone.js';
