// The classes of `@azure/functions` however this file is loaded: vitest and a require() (tsx's CommonJS hook, as the
// heap probe's worker thread loads the runtime helpers) see the package's named exports; Node's own ESM loader (the
// benches, run by tsx as ES modules) sees the webpack CommonJS bundle as its default export only.
import * as loaded from '@azure/functions';

type Functions = typeof loaded;
const functions: Functions =
  'HttpRequest' in loaded && loaded.HttpRequest !== undefined
    ? loaded
    : (loaded as unknown as { default: Functions }).default;

/** `@azure/functions`' `HttpRequest` and `InvocationContext`, as either loader gives them. */
export const { HttpRequest, InvocationContext } = functions;
