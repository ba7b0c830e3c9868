// The one door from `atakora verify` into `atakora dev`'s stack (DESIGN §2: cells are proven against the dev stack
// on loopback). The only import of another command's folder, allowed by name in .dependency-cruiser.cjs and
// test/architecture/cli-house.test.ts; when dev's files move, this line follows them.
import { type BlobHost, startDev } from '../dev/session/session.js';
export { DEFAULT_DEV_USER, devCallerHeaders } from '../dev/sign-in/sign-in.js';
export { DEV_REGISTRY_MAX_AGE_MS } from '../dev/host/app-settings.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Container, type CosmosClient, localCosmos } from '../azure/cosmos.js';
import { readDevState } from '../shared/dev-state.js';
import type { BackendConfig } from '../../model/config.js';
import { verifyStripe } from './stack/stripe-stand-in.js';
import type { JWK } from 'jose';
import { newSigningKey } from '../../runtime/mcp/oauth/access-token.js';
import { AGENT_SIGNING_KEY_SETTING } from '../../runtime/members/agents/agent-keys.js';

/** A running local stack: each Function App's base URL and function names, the realtime hub's when one runs. */
export interface ProofStack {
  readonly apps: readonly { readonly url: string; readonly functions: readonly string[] }[];
  readonly realtimeEndpoint: string | undefined;
  /**
   * With `mcp.authorization`: the private JWK the stack's apps sign agents' tokens with (the proof's own, handed to
   * dev as `ATAKORA_AGENT_SIGNING_KEY`), so the agent column's token is one the runtime takes (bearer-tokens.ts).
   */
  readonly agentKey?: JWK;
  /** Upsert items straight into the stack's local Cosmos DB server (the proof's organizations and memberships). */
  write(
    database: string,
    container: string,
    items: readonly Record<string, unknown>[],
  ): Promise<void>;
  /** Every item of the stack's databases now: what {@link restore} puts back. */
  snapshot(): Promise<StackData>;
  /** Every container as `data` had it: items made since removed, those changed written back. */
  restore(data: StackData): Promise<void>;
  stop(): Promise<void>;
}

/** The items of a stack's containers, by `database/container`. */
export type StackData = ReadonlyMap<string, readonly Record<string, unknown>[]>;

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
    /** The FileStores' blob accounts come from this shared Azurite (proofStacks' `blobs`); default one of its own. */
    readonly blobHost?: BlobHost;
    /**
     * The backend's config: with subscriptions and no `STRIPE_API_BASE` exported, the stack gets a Stripe stand-in of
     * its own (stripe-stand-in.ts), stopped with it; with `mcp.authorization`, an agent signing key ({@link
     * ProofStack.agentKey}).
     */
    readonly config?: Pick<BackendConfig, 'tenants'> & {
      /** The normalized `mcp`: with `authorization`, the stack's apps sign agents' tokens with a key of the proof's. */
      readonly mcp?: { readonly authorization?: unknown };
    };
  } = {},
): Promise<ProofStack> {
  // A stack of its own with a state file of its own: a dev of the same entry may run beside verify, and its state
  // file (what every `--local` command finds it by) must stay as it is — verify's stop would otherwise remove it.
  const stateDir = mkdtempSync(join(tmpdir(), 'atakora-verify-'));
  const stripe = options.config ? await verifyStripe(options.config, process.env) : undefined;
  const agentKey = options.config?.mcp?.authorization ? (await newSigningKey()).jwk : undefined;
  const env = {
    ...(stripe?.env ?? {}),
    ...(agentKey ? { [AGENT_SIGNING_KEY_SETTING]: JSON.stringify(agentKey) } : {}),
  };
  const forget = () => {
    rmSync(stateDir, { recursive: true, force: true });
    return stripe?.close();
  };
  let dev: Awaited<ReturnType<typeof startDev>>;
  try {
    dev = await startDev(entry, {
      ...(Object.keys(env).length > 0 ? { env } : {}),
      user: { oid: home.oid, tid: home.tid, name: home.oid },
      log: options.log ?? (() => undefined),
      // Nothing the workers write is read unless a log is given: no source maps, no request lines (session.ts).
      quietWorkers: options.log === undefined,
      limits: options.features === true ? 'features' : 'lifted',
      // Any free port for each site, none remembered: a proof leaves no state file in the project.
      sitePort: 0,
      stateDir,
      ...(options.blobHost ? { blobHost: options.blobHost } : {}),
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
    });
  } catch (e) {
    await forget();
    throw e;
  }
  // One client for the stack's life (opened on first need): the session's own state file names its server, key and
  // certificate (as `--local` commands find it).
  let cosmos: Promise<Awaited<ReturnType<typeof localCosmos>>> | undefined;
  const client = async () =>
    (
      await (cosmos ??= localCosmos(
        readDevState(stateDir, resolve(entry), { name: 'verify', code: 'MIGRATE_DEV_NOT_RUNNING' })
          .cosmos,
      ))
    ).client;
  return {
    apps: dev.apps.map((a) => ({ url: a.url, functions: a.functions.map((f) => f.name) })),
    realtimeEndpoint: dev.realtimeEndpoint,
    ...(agentKey ? { agentKey } : {}),
    async write(database, container, items) {
      const c = (await client()).database(database).container(container);
      for (const item of items) await c.items.upsert(item);
    },
    async snapshot() {
      return dev.cosmosEndpoint === undefined ? new Map() : snapshotOf(await client());
    },
    async restore(data) {
      if (dev.cosmosEndpoint !== undefined) await restoreTo(await client(), data);
    },
    async stop() {
      try {
        if (cosmos) (await cosmos).dispose();
        await dev.stop();
      } finally {
        await forget();
      }
    },
  };
}

/** A partition key value as the SDK's item reads take it. */
type PartitionKey = Parameters<Container['item']>[1];

/** Cosmos DB's system properties: the server sets them again on write. */
const SYSTEM = new Set(['_rid', '_self', '_etag', '_attachments', '_ts']);

/** Each container of `client`'s server with its partition key paths. */
async function containersOf(client: CosmosClient) {
  const out: { database: string; id: string; paths: string[] }[] = [];
  const { resources: dbs } = await client.databases.readAll().fetchAll();
  for (const db of dbs) {
    const { resources } = await client.database(db.id).containers.readAll().fetchAll();
    for (const c of resources)
      out.push({ database: db.id, id: c.id, paths: c.partitionKey?.paths ?? ['/id'] });
  }
  return out;
}

async function snapshotOf(client: CosmosClient): Promise<StackData> {
  const data = new Map<string, Record<string, unknown>[]>();
  for (const c of await containersOf(client)) {
    const { resources } = await client
      .database(c.database)
      .container(c.id)
      .items.query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    // As stored, `_etag` included: restore leaves an item whose etag is unchanged as it is.
    data.set(`${c.database}/${c.id}`, resources);
  }
  return data;
}

/** The partition key value of `item` under `paths` (`/tenantId`, a hierarchical key's array). */
function keyOf(item: Record<string, unknown>, paths: readonly string[]) {
  const values = paths.map((p) =>
    p
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], item),
  );
  return (paths.length === 1 ? values[0] : values) as PartitionKey;
}

async function restoreTo(client: CosmosClient, data: StackData): Promise<void> {
  for (const c of await containersOf(client)) {
    const container = client.database(c.database).container(c.id);
    const kept = data.get(`${c.database}/${c.id}`) ?? [];
    const { resources } = await container.items
      .query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    const before = new Map(kept.map((i) => [JSON.stringify([i['id'], keyOf(i, c.paths)]), i]));
    for (const item of resources) {
      const slot = JSON.stringify([item['id'], keyOf(item, c.paths)]);
      const was = before.get(slot);
      if (!was) await container.item(String(item['id']), keyOf(item, c.paths)).delete();
      else if (item['_etag'] === was['_etag']) before.delete(slot);
    }
    for (const item of before.values())
      await container.items.upsert(
        Object.fromEntries(Object.entries(item).filter(([k]) => !SYSTEM.has(k))),
      );
  }
}

/** A stack lent to one verify run. */
export interface LentStack {
  readonly stack: ProofStack;
  /** The runs this stack served before this one (0: started for it); later runs name their users apart. */
  readonly run: number;
  /** Hand it back: stopped when it was started for this run alone, else kept for the next. */
  release(): Promise<void>;
}

/** What a proof stack is started with (startProofStack's options). */
export type ProofStackOptions = NonNullable<Parameters<typeof startProofStack>[2]>;

/**
 * Running proof stacks kept for many `verify` runs of one process (a test file's): each run of an entry already
 * served is lent the stack that served it, its data put back as it was when the stack had started — the run sees no
 * item an earlier run made — instead of a stack started and stopped for it. `identity` says which backend the entry
 * is (its path and text, or the Backend object `verifyAccess` was given): the stack serves the entry as it was loaded.
 *
 * @example
 * ```ts
 * const stacks = proofStacks();
 * await verifyEntry('backend.ts', { file: false, stacks });
 * await verifyEntry('backend.ts', { file: false, stacks }); // the same stack, fresh data
 * await stacks.close();
 * ```
 */
export interface ProofStacks {
  lend(
    entry: string,
    home: { readonly oid: string; readonly tid: string },
    options: ProofStackOptions,
    identity: unknown,
  ): Promise<LentStack>;
  /** Stop every stack kept. */
  close(): Promise<void>;
}

/**
 * A new, empty {@link ProofStacks}. A kept stack is not idle work: its worker's timers run (a registry with realtime
 * sweeps for suspensions every second under dev), so when a stack is started for another backend only the `idle` most
 * recently released stacks are kept (default 1: a run's committed and per-plan stacks take turns), the others stopped.
 * With `blobs`, every stack's FileStores get an account of that one Azurite (cli/dev/storage/blob-host.ts) instead of
 * an Azurite each; its owner stops it.
 */
export function proofStacks(idle = 1, blobs?: BlobHost): ProofStacks {
  interface Kept {
    readonly key: string;
    readonly stack: ProofStack;
    readonly data: StackData;
    runs: number;
    busy: boolean;
    released: number;
  }
  const kept: Kept[] = [];
  let releases = 0;
  const start = async (
    key: string,
    entry: string,
    home: { readonly oid: string; readonly tid: string },
    options: ProofStackOptions,
  ): Promise<Kept> => {
    const spare = kept.filter((k) => !k.busy).sort((a, b) => b.released - a.released);
    for (const k of spare.slice(idle)) {
      kept.splice(kept.indexOf(k), 1);
      await k.stack.stop();
    }
    const stack = await startProofStack(
      entry,
      home,
      blobs ? { ...options, blobHost: blobs } : options,
    );
    const one: Kept = {
      key,
      stack,
      data: await stack.snapshot(),
      runs: 0,
      busy: false,
      released: 0,
    };
    kept.push(one);
    return one;
  };
  return {
    async lend(entry, home, options, identity) {
      const key = JSON.stringify([
        keyOfIdentity(identity),
        options.environment ?? null,
        options.features === true,
        home,
      ]);
      const free = kept.find((k) => k.key === key && !k.busy);
      if (free) await free.stack.restore(free.data);
      const k = free ?? (await start(key, entry, home, options));
      k.busy = true;
      const run = k.runs++;
      return {
        stack: k.stack,
        run,
        release: () => {
          k.busy = false;
          releases += 1;
          k.released = releases;
          return Promise.resolve();
        },
      };
    },
    async close() {
      for (const k of kept.splice(0)) await k.stack.stop();
    },
  };
}

/** A stack of its own for one run (no {@link ProofStacks}): stopped as it is released. */
export async function lendProofStack(
  entry: string,
  home: { readonly oid: string; readonly tid: string },
  options: ProofStackOptions,
  stacks: ProofStacks | undefined,
  identity: unknown,
): Promise<LentStack> {
  if (stacks) return stacks.lend(entry, home, options, identity);
  const stack = await startProofStack(entry, home, options);
  return { stack, run: 0, release: () => stack.stop() };
}

const objects = new WeakMap<object, string>();
let counted = 0;
/** A string for `identity`: an object by which one it is, anything else as JSON. */
function keyOfIdentity(identity: unknown): string {
  if (typeof identity !== 'object' || identity === null) return JSON.stringify(identity);
  let key = objects.get(identity);
  if (key === undefined) {
    counted += 1;
    key = `object#${String(counted)}`;
    objects.set(identity, key);
  }
  return key;
}
