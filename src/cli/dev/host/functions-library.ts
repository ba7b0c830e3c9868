import { createRequire } from 'node:module';
import type * as AzureFunctions from '@azure/functions';

/**
 * `@azure/functions` (the worker's `HttpRequest`, `HttpResponse`, `InvocationContext`), loaded with `require()`:
 * it is one CommonJS file of ~190 KB (its package.json has `main` only, no `exports`: the same file an `import`
 * resolves). An ES `import` of CommonJS makes Node scan the whole source for its named exports
 * (cjs-module-lexer) before running it, on every worker start — ~0.04 CPU-s of each start, for names the worker
 * never imports (docs/performance.md, "The suite").
 *
 * @example
 * ```ts
 * const { HttpRequest } = functionsLibrary;
 * ```
 */
export const functionsLibrary = createRequire(import.meta.url)(
  '@azure/functions',
) as typeof AzureFunctions;
