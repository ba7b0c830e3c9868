/**
 * A door's membership write held at the Cosmos DB protocol server until something else has run: the interleaving a
 * race test needs, put exactly there (a layer in front of the server's request listeners). The next create of an
 * item in `org`'s partition of the `members` container (a POST to its docs that is neither a query nor an upsert)
 * waits for `meanwhile`, then goes on; every other request passes untouched, and once held the layer is gone. The
 * same for the erase's tombstone ({@link holdNextTombstone}): an organization half erased.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalCosmos } from './local-cosmos.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What {@link holdNextMemberCreate} gives back: how many creates it held (0 or 1), and its removal. */
export interface HeldCreate {
  readonly count: number;
  /** Take the layer away when no create came (the door refused before writing); nothing when one was held. */
  release(): void;
}

/**
 * Hold the next membership create of `org` until `meanwhile` has run.
 *
 * @example
 * ```ts
 * const held = holdNextMemberCreate(cosmos, 'acme', () => deactivate('kim'));
 * await join('kim');
 * held.release();
 * ```
 */
export function holdNextMemberCreate(
  cosmos: LocalCosmos,
  org: string,
  meanwhile: () => Promise<unknown>,
): HeldCreate {
  return holdNext(
    cosmos,
    (req, key) => {
      const path = new URL(req.url ?? '/', 'https://cosmos.local').pathname;
      // A query is a POST to the same path too (Cosmos DB REST, "Query documents": `application/query+json`), and so
      // is an upsert (`x-ms-documentdb-is-upsert: true`): neither is a door's create.
      const query =
        String(req.headers['x-ms-documentdb-isquery'] ?? '') === 'true' ||
        String(req.headers['content-type'] ?? '').includes('query');
      return (
        !query &&
        !isUpsert(req) &&
        req.method === 'POST' &&
        path.endsWith('/colls/members/docs') &&
        key.includes(org)
      );
    },
    meanwhile,
  );
}

const isUpsert = (req: IncomingMessage) =>
  String(req.headers['x-ms-documentdb-is-upsert'] ?? '') === 'true';

/**
 * Hold the erase's last write of `org` — its tombstone, an upsert of its record in the `tenants` container — until
 * `meanwhile` has run: everything else of the organization is gone by then, its record still says deleted.
 *
 * @example
 * ```ts
 * const held = holdNextTombstone(cosmos, 'acme', () => accept('kim'));
 * await runTimer('membership-organization-erase');
 * held.release();
 * ```
 */
export function holdNextTombstone(
  cosmos: LocalCosmos,
  org: string,
  meanwhile: () => Promise<unknown>,
): HeldCreate {
  return holdNext(
    cosmos,
    (req, key) =>
      req.method === 'POST' &&
      isUpsert(req) &&
      new URL(req.url ?? '/', 'https://cosmos.local').pathname.endsWith('/colls/tenants/docs') &&
      key.includes(org),
    meanwhile,
  );
}

/** Hold the first request `matches` (with its partition key header) until `meanwhile` has run; the rest pass. */
function holdNext(
  cosmos: LocalCosmos,
  matches: (req: IncomingMessage, key: string) => boolean,
  meanwhile: () => Promise<unknown>,
): HeldCreate {
  const server = cosmos.server;
  const original = server.listeners('request') as Listener[];
  const seen = { count: 0, done: false };
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    for (const l of original) l.call(server, req, res);
  };
  const restore = () => {
    if (seen.done) return;
    seen.done = true;
    server.off('request', layer);
    for (const l of original) server.on('request', l);
  };
  const layer: Listener = (req, res) => {
    const key = String(req.headers['x-ms-documentdb-partitionkey'] ?? '');
    if (seen.count > 0 || !matches(req, key)) return pass(req, res);
    seen.count++;
    restore();
    void meanwhile().then(() => pass(req, res));
  };
  server.removeAllListeners('request');
  server.on('request', layer);
  return {
    get count() {
      return seen.count;
    },
    release: restore,
  };
}
