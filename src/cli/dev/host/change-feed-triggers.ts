import { localFeedReader } from '../../azure/local-change-feed.js';
import { TENANT_EVENTS_MAX_RETRIES } from '../../../runtime/events/tenant-event-delivery.js';

/** A change feed trigger of the package, as the worker indexed it. */
export interface ChangeFeedFunction {
  readonly name: string;
  /** The connection prefix: `<connection>__accountEndpoint` names the account. */
  readonly connection: string;
  readonly database: string;
  readonly container: string;
  /** Run the function with one batch of documents. */
  readonly invoke: (documents: readonly unknown[]) => Promise<unknown>;
}

/** How often a failed batch is read again: the retry policy's count in Azure (TENANT_EVENTS_MAX_RETRIES). */
const MAX_RETRIES = TENANT_EVENTS_MAX_RETRIES;

/** How often each container is read (the Functions host's default feed poll delay is 5 s; dev answers faster). */
const POLL_MS = 250;

/**
 * Emulate the Cosmos DB trigger (change feed, latest-version mode) for dev's local containers, which have no
 * change feed: every `POLL_MS` each container is read for the documents whose `_ts` (and, within one second,
 * `_etag`) is new since the last read, in `_ts`/`_lsn` order, and the function gets them as one batch — every
 * writer's change, as in Azure (Learn, "Change feed modes in Azure Cosmos DB": latest version, no deletes). Like
 * a trigger without a lease, it starts from now: what was written before the worker started is not delivered.
 * The runtime's own writes, called inline, are left out by the registered handler (packaging/register-hosted.ts).
 *
 * @example
 * ```ts
 * const feeds = startChangeFeedTriggers([{ name, connection, database, container, invoke }], process.env, log);
 * await feeds.ready; // then report the worker ready
 * await feeds.stop();
 * ```
 */
export function startChangeFeedTriggers(
  functions: readonly ChangeFeedFunction[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  open: typeof localFeedReader = localFeedReader,
): ChangeFeedTriggers {
  let stopped = false;
  const started: Promise<void>[] = [];
  const loops = functions.map(async (f) => {
    const endpoint = env[`${f.connection}__accountEndpoint`];
    if (!endpoint) {
      log(`atakora dev: ${f.name} has no ${f.connection}__accountEndpoint: no change feed.`);
      return;
    }
    let seen = new FeedPosition(Math.floor(Date.now() / 1000));
    const first = (async () => {
      const reader = await open(endpoint, f.database, f.container, env);
      // What is there at start counts as read.
      seen.next(await reader.since(seen.ts).catch(() => []));
      return reader;
    })();
    started.push(first.then(noop, noop));
    const feed = await first;
    let retries = 0;
    try {
      while (!stopped) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (stopped) break;
        const before = seen.copy();
        try {
          const changed = seen.next(await feed.since(seen.ts));
          if (changed.length > 0) await f.invoke(changed);
          retries = 0;
        } catch (e) {
          // A batch whose function failed is read again on the next poll, as the host's retry policy runs it again
          // (a tenant-events function's: runtime/events/tenant-event-delivery.ts), then left behind.
          const again = retries < MAX_RETRIES;
          retries = again ? retries + 1 : 0;
          if (again) seen = before;
          log(
            `atakora dev: reading the change feed of ${f.container} for ${f.name} failed` +
              `${again ? ` (retry ${String(retries)} of ${String(MAX_RETRIES)})` : ''}: ${String(e)}`,
          );
        }
      }
    } finally {
      feed.dispose();
    }
  });
  return {
    // Each loop pushed its first read before its first await, so `started` is complete here.
    ready: Promise.all(started).then(noop),
    async stop() {
      stopped = true;
      await Promise.allSettled(loops);
    },
  };
}

/** The emulated triggers of one worker. */
export interface ChangeFeedTriggers {
  /**
   * Settles once every container has been read for the first time: a write after it is a change the functions
   * get. The host reports itself ready only then — a write between "ready" and the first read counted as
   * "there at start", and its function never ran (a first `POST` right after `atakora dev` printed its URL).
   */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

const noop = (): void => {};

/**
 * Where a reader is in a container's feed: the newest `_ts` read and the versions (`_etag`) read at it, since
 * `_ts` has one-second resolution and a second can hold more changes after a read.
 *
 * @example
 * ```ts
 * const position = new FeedPosition(0);
 * position.next(docs); // the documents not read before, in order
 * ```
 */
export class FeedPosition {
  private atTs = new Set<string>();

  constructor(public ts: number) {}

  /** This position as it is now: what a failed batch goes back to. */
  copy(): FeedPosition {
    const c = new FeedPosition(this.ts);
    c.atTs = new Set(this.atTs);
    return c;
  }

  next(documents: readonly Record<string, unknown>[]): Record<string, unknown>[] {
    const fresh = documents.filter(
      (d) => !(Number(d['_ts']) === this.ts && this.atTs.has(versionOf(d))),
    );
    for (const d of fresh) {
      const ts = Number(d['_ts']);
      if (ts > this.ts) {
        this.ts = ts;
        this.atTs = new Set();
      }
      if (ts === this.ts) this.atTs.add(versionOf(d));
    }
    return fresh;
  }
}

function versionOf(d: Record<string, unknown>): string {
  return `${String(d['_rid'] ?? d['id'])}:${String(d['_etag'])}`;
}
