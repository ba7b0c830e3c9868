// The start of a trace export as every copy of the runtime sees it — a file without the OpenTelemetry API, so that
// what only marks the start (dev's worker host, before it loads the SDK) loads nothing else.

/**
 * Where a starting trace export leaves the promise of its start: on a registry symbol, not in a module variable,
 * because a package may hold two copies of the runtime's modules (its own and a handler's import of
 * `@atakora/component/runtime`) and both must wait for the one export.
 */
const PENDING = Symbol.for('@atakora/component.telemetry-pending');

/**
 * Note that a trace export is starting (`promise`), or that it has started (`undefined`): requests arriving
 * meanwhile wait for it (a cold start's first request is the one most worth its trace), then none waits again.
 *
 * @example
 * ```ts
 * const ready = loadExporter();
 * markTelemetryPending(ready.finally(() => markTelemetryPending(undefined)));
 * ```
 */
export function markTelemetryPending(promise: Promise<unknown> | undefined): void {
  (globalThis as Record<symbol, unknown>)[PENDING] = promise;
}

/** The start of a trace export still under way, if any (see {@link markTelemetryPending}). */
export function telemetryPending(): Promise<unknown> | undefined {
  return (globalThis as Record<symbol, unknown>)[PENDING] as Promise<unknown> | undefined;
}
