import type { InvocationContext } from '@azure/functions';

/**
 * One structured line of what the runtime does outside a request (a timer's run, its key missing, a run that
 * failed): flat fields like a request's line (log.ts), `component: 'runtime'` and the operation, so one Application
 * Insights query finds both.
 *
 * @example
 * ```ts
 * const entry: RuntimeEventEntry = { component: 'runtime', operation: 'billing-export', outcome: 'done', sent: 6 };
 * ```
 */
export interface RuntimeEventEntry {
  readonly component: 'runtime';
  readonly operation: string;
  readonly outcome: string;
  readonly [field: string]: unknown;
}

/**
 * Where the runtime's own lines go (the app's services carry one: routes/app-services.ts). The default
 * ({@link contextEventLogger}) writes through the invocation's context, as the request log does; replace it to
 * collect lines in tests or forward them elsewhere.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const lines: RuntimeEventEntry[] = [];
 * registerApp(app, manifest, { containerFor, eventLogger: (entry) => { lines.push(entry); } });
 * ```
 */
export type RuntimeEventLogger = (entry: RuntimeEventEntry, context: InvocationContext) => void;

/**
 * Writes each entry as one JSON line: `context.error` for a run that failed, `context.log` otherwise.
 *
 * @example
 * ```ts
 * contextEventLogger({ component: 'runtime', operation: 'billing-export', outcome: 'done' }, context);
 * ```
 */
export const contextEventLogger: RuntimeEventLogger = (entry, context) => {
  const line = JSON.stringify(entry);
  if (entry.outcome === 'failed') context.error(line);
  else context.log(line);
};
