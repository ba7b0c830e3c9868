/**
 * Entry of the shared Function App (the bundle's `main`): starts the trace export the app settings ask for
 * (`ATAKORA_TRACES`), then registers the CRUD routes described by the `ATAKORA_MANIFEST` app setting. Importing
 * it has those side effects; use the exports below to embed the runtime elsewhere.
 *
 * @example
 * ```ts
 * // dist/runtime-app/package.json → { "main": "index.js" }; the Functions worker loads it.
 * ```
 */
import { app } from '@azure/functions';
import { startRuntime } from './start-runtime.js';
import { startTelemetry } from './telemetry/start-telemetry.js';

// Before any route: requests arriving while the trace export (with `monitoring`) loads wait for it.
void startTelemetry(process.env, app);
startRuntime(app, process.env);
