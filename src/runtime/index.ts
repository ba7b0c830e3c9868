/**
 * Entry of the shared Function App (the bundle's `main`): registers the CRUD routes described by the
 * `ATAKORA_MANIFEST` app setting. Importing it has that side effect; use the exports below to embed the
 * runtime elsewhere.
 *
 * @example
 * ```ts
 * // dist/runtime-app/package.json → { "main": "index.js" }; the Functions worker loads it.
 * ```
 */
import { app } from '@azure/functions';
import { startRuntime } from './start-runtime.js';

startRuntime(app, process.env);
