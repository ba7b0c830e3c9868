// The one door from `atakora verify` into `atakora dev`'s stack (DESIGN §2: cells are proven against the dev stack
// on loopback). The only import of another command's folder, allowed by name in .dependency-cruiser.cjs and
// test/architecture/cli-house.test.ts; when dev's files move, this line follows them.
import { startDev } from '../dev/session/session.js';
export { DEFAULT_DEV_USER, devCallerHeaders } from '../dev/sign-in/sign-in.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localCosmos } from '../azure/cosmos.js';
import { readDevState } from '../shared/dev-state.js';

/** A running local stack: each Function App's base URL and function names, the realtime hub's when one runs. */
export interface ProofStack {
  readonly apps: readonly { readonly url: string; readonly functions: readonly string[] }[];
  readonly realtimeEndpoint: string | undefined;
  /** Upsert items straight into the stack's local Cosmos DB server (the proof's organizations and memberships). */
  write(
    database: string,
    container: string,
    items: readonly Record<string, unknown>[],
  ): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `atakora dev` for `entry` on free loopback ports, fresh data, signed in by default as `home` (dev takes the
 * session's directory as the home directory unless `auth.tenantId` names one), the tenant registry's plans served
 * without bounds: a cell says who may, and a plan's rate (2 requests a minute, say) must not turn it into a 429.
 * With `features`, each plan keeps the features it lists (and nothing else of it).
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
  options: {
    readonly environment?: string;
    readonly log?: (line: string) => void;
    /** Each plan keeps its `features` (the per-plan proof's stack, plan-proof.ts); default none: every feature. */
    readonly features?: boolean;
  } = {},
): Promise<ProofStack> {
  // A stack of its own with a state file of its own: a dev of the same entry may run beside verify, and its state
  // file (what every `--local` command finds it by) must stay as it is — verify's stop would otherwise remove it.
  const stateDir = mkdtempSync(join(tmpdir(), 'atakora-verify-'));
  const forget = () => {
    rmSync(stateDir, { recursive: true, force: true });
  };
  let dev: Awaited<ReturnType<typeof startDev>>;
  try {
    dev = await startDev(entry, {
      user: { oid: home.oid, tid: home.tid, name: home.oid },
      log: options.log ?? (() => undefined),
      limits: options.features === true ? 'features' : 'lifted',
      // Any free port for each site, none remembered: a proof leaves no state file in the project.
      sitePort: 0,
      stateDir,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
    });
  } catch (e) {
    forget();
    throw e;
  }
  return {
    apps: dev.apps.map((a) => ({ url: a.url, functions: a.functions.map((f) => f.name) })),
    realtimeEndpoint: dev.realtimeEndpoint,
    async write(database, container, items) {
      // The session's own state file names its server, key and certificate (as `--local` commands find it).
      const { cosmos } = readDevState(stateDir, resolve(entry), {
        name: 'verify',
        code: 'MIGRATE_DEV_NOT_RUNNING',
      });
      const { client, dispose } = await localCosmos(cosmos);
      try {
        const c = client.database(database).container(container);
        for (const item of items) await c.items.upsert(item);
      } finally {
        dispose();
      }
    },
    async stop() {
      try {
        await dev.stop();
      } finally {
        forget();
      }
    },
  };
}
