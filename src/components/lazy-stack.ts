import { createRequire } from 'node:module';
import type {
  ResourceGroupStack as Stack,
  ResourceGroupStackProps as StackProps,
} from '../apply/resource-group-stack.js';
import { libraryPath } from '../kit/node/library-files.js';

const requireHere = createRequire(import.meta.url);
let loaded: typeof Stack | undefined;
// The `/cdk` entry of this copy of the package, so that the root's ResourceGroupStack and `/cdk`'s are one class.
const load = (): typeof Stack =>
  (loaded ??= (requireHere(libraryPath('entry', 'cdk.js')) as { ResourceGroupStack: typeof Stack })
    .ResourceGroupStack);

// A plain function as the proxy's target: its `prototype` is writable, so the proxy may answer the real
// class's prototype (a class's own `prototype` is read-only, and a proxy must report it unchanged).
function ResourceGroupStackTarget(): void {
  /* never called: every trap goes to the real class */
}

/**
 * `ResourceGroupStack` from the root import (`@atakora/component`), which must not load cdktf until a stack is
 * made: the class of `@atakora/component/cdk`, loaded on first use. `new`, `extends`,
 * `instanceof` and its static members all reach the real class.
 *
 * @example
 * ```ts
 * import { App } from 'cdktf';
 * import { ResourceGroupStack, defineBackend, CrudApi } from '@atakora/component';
 * const stack = new ResourceGroupStack(new App(), 'MyStack', {
 *   resourceGroupName: 'rg-myapp-prod',
 *   location: 'eastus',
 * });
 * ```
 */
export const ResourceGroupStack = new Proxy(ResourceGroupStackTarget, {
  construct: (_target, args, newTarget) => Reflect.construct(load(), args, newTarget) as object,
  get: (_target, key) => Reflect.get(load(), key) as unknown,
  has: (_target, key) => Reflect.has(load(), key),
  // A Proxy has its target's type (a plain function here); it constructs the real class, loaded on first use.
}) as unknown as typeof Stack;
/** An instance of {@link ResourceGroupStack}. */
export type ResourceGroupStack = Stack;
/** Props of {@link ResourceGroupStack}. */
export type ResourceGroupStackProps = StackProps;
