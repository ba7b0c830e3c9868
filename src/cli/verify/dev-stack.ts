// The one door from `atakora verify` into `atakora dev`'s stack (DESIGN §2: cells are proven against the dev stack
// on loopback). The only import of another command's folder, allowed by name in .dependency-cruiser.cjs and
// test/architecture/cli-house.test.ts; when dev's files move, this line follows them.
import { startDev } from '../dev/session/session.js';

/** A running local stack: each Function App's base URL and function names, the realtime hub's when one runs. */
export interface ProofStack {
  readonly apps: readonly { readonly url: string; readonly functions: readonly string[] }[];
  readonly realtimeEndpoint: string | undefined;
  stop(): Promise<void>;
}

/**
 * Start `atakora dev` for `entry` on free loopback ports, fresh data, signed in by default as `home` (dev takes the
 * session's directory as the home directory unless `auth.tenantId` names one), the tenant registry's plans served
 * without bounds: a cell says who may, and a plan's rate (2 requests a minute, say) must not turn it into a 429.
 *
 * @example
 * ```ts
 * const stack = await startProofStack('backend.ts', { oid: 'home-owner', tid: 'verify-home' });
 * await stack.stop();
 * ```
 */
export async function startProofStack(
  entry: string,
  home: { readonly oid: string; readonly tid: string },
  options: { readonly environment?: string; readonly log?: (line: string) => void } = {},
): Promise<ProofStack> {
  const dev = await startDev(entry, {
    user: { oid: home.oid, tid: home.tid, name: home.oid },
    log: options.log ?? (() => undefined),
    limits: 'lifted',
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
  });
  return {
    apps: dev.apps.map((a) => ({ url: a.url, functions: a.functions.map((f) => f.name) })),
    realtimeEndpoint: dev.realtimeEndpoint,
    stop: () => dev.stop(),
  };
}
