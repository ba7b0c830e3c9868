import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

/** cdktf's stack-trace module: its `captureStackTrace` is read from the module at every token cdktf makes. */
interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

/**
 * Stop cdktf recording a creation stack for each token for the rest of a synchronous apply; returns what
 * restores it (a no-op when this cdktf has no such module).
 *
 * Why: cdktf (0.21, `lib/tokens/private/stack-trace.js`) captures and formats the whole stack for every token it
 * makes (`Intrinsic`, `Lazy`, each attribute reference), with `Error.stackTraceLimit` lifted to
 * `Number.MAX_SAFE_INTEGER`, and keeps the lines only for the "token created at" text of an error about that
 * token. The tokens apply makes are made by Atakora's provisioners, so those lines would point into Atakora,
 * not at the user's code; at 100 CrudApis their formatting was a third of a fresh process's apply + synth in
 * plain Node (docs/performance.md). The synthesized bytes are the same (test/apply/token-traces.test.ts).
 * Tokens made outside apply (the user's own, and cdktf's during `app.synth()`) keep their stacks; a token a
 * custom provider's provision function makes during apply has none.
 *
 * @example
 * ```ts
 * const restore = tokenTracesOff();
 * try { applyForTarget(stack, plan); } finally { restore(); }
 * ```
 */
export function tokenTracesOff(): () => void {
  const traces = stackTraceModule();
  if (!traces) return noop;
  const original = traces.captureStackTrace;
  traces.captureStackTrace = noTrace;
  return () => {
    traces.captureStackTrace = original;
  };
}

function stackTraceModule(): StackTraceModule | undefined {
  try {
    const m = requireCjs('cdktf/lib/tokens/private/stack-trace.js') as Partial<StackTraceModule>;
    return typeof m.captureStackTrace === 'function' ? (m as StackTraceModule) : undefined;
  } catch {
    return undefined;
  }
}

const noTrace = (): string[] => [];
const noop = (): void => {};
