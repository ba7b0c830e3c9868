import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { REALTIME_SUBPROTOCOL } from '../../../contract/realtime.js';
import { at } from '../../../model/at.js';
import type { PlannedResource } from '../../../model/plan.js';
import { REALTIME_HUB } from '../../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { checkHost, decodePath, originTrusted } from '../loopback/guard.js';
import { clientMessage } from './hub-client-messages.js';
import { compileFilter, type FilterSubject } from './hub-filter.js';
import { verifyHs256 } from './hub-jwt.js';

/** The subprotocol of Azure Web PubSub's JSON client protocol, the one the typed client speaks. */
const JSON_SUBPROTOCOL = REALTIME_SUBPROTOCOL;

/**
 * Options of {@link startRealtimeHub}.
 *
 * @example
 * ```ts
 * const options: RealtimeHubOptions = { hub: 'atakora', allowedOrigins: ['http://localhost:5173'] };
 * ```
 */
export interface RealtimeHubOptions {
  /** The hub name clients and the runtime use (`atakora`). */
  readonly hub: string;
  /** Loopback port; 0 (default) lets the system choose. */
  readonly port?: number;
  /** The access key tokens are signed with; default a fresh random one per hub. */
  readonly key?: string;
  /**
   * Browser origins allowed to connect besides none (curl, Node): the dev sites and `auth.devOrigins` (a function
   * when they change, as `atakora dev`'s do on reload). A WebSocket upgrade from any other Origin is refused (403),
   * as the dev server refuses cross-site state changes.
   */
  readonly allowedOrigins?: readonly string[] | (() => readonly string[]);
  /** Clock (ms), for tests. */
  readonly now?: () => number;
}

/**
 * A running loopback hub: its endpoint (what the runtime's Web PubSub client and negotiate's URLs use), key and
 * counters for tests and benchmarks.
 */
export interface RealtimeHub {
  /** `http://127.0.0.1:<port>`: the service endpoint (REST) whose client URLs are `ws://127.0.0.1:<port>/client/hubs/<hub>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly key: string;
  /** Open client connections. */
  readonly connections: number;
  /** Group messages delivered to connections so far (a message to n connections counts n). */
  readonly delivered: number;
  /** Called with each group send the REST API accepted (tests and benchmarks time events with it). */
  onSend?: (group: string, data: unknown) => void;
  /** Close every client connection (as a service restart would); clients reconnect with a fresh negotiate. */
  disconnectAll(): void;
  close(): Promise<void>;
}

interface Connection {
  readonly id: string;
  readonly userId: string | undefined;
  readonly roles: readonly string[];
  readonly groups: Set<string>;
  readonly lower: Set<string>;
  readonly socket: WebSocket;
  readonly json: boolean;
}

/**
 * A loopback stand-in for Azure Web PubSub, started by `atakora dev` (and by the tests), speaking what the runtime
 * and the typed client use of the real service, with the same token rules:
 *
 * - **Clients**: `ws://127.0.0.1:<port>/client/hubs/<hub>?access_token=<JWT>` with the subprotocol
 *   `json.webpubsub.azure.v1` (or none: a simple WebSocket client then gets each message's data as it is). The token
 *   must be an HS256 JWT signed with the hub's key, for this hub's client audience, not expired; its
 *   `webpubsub.group` claim lists the groups the connection joins, its `role` claim what it may do. The service
 *   checks a token only at connect, and so does the hub. A client's `joinGroup`, `leaveGroup` or `sendToGroup` is
 *   refused with a `Forbidden` ack unless its token grants `webpubsub.joinLeaveGroup[.<group>]` or
 *   `webpubsub.sendToGroup[.<group>]` (the runtime's tokens grant neither); `event` messages have no event handler.
 * - **REST**: `POST /api/hubs/<hub>/groups/<group>/:send[?filter=…]` and `POST /api/hubs/<hub>/:send`, with a
 *   bearer JWT signed with the key (what `@azure/web-pubsub` sends with an `AzureKeyCredential`); 202.
 * - **Guard**: only loopback `Host` names on this port (421 otherwise: DNS rebinding), and a browser upgrade only
 *   from an allowed `Origin` (403), as the dev server does.
 *
 * @example
 * ```ts
 * const hub = await startRealtimeHub({ hub: 'atakora', allowedOrigins: ['http://localhost:5173'] });
 * // runtime: webPubSubService({ endpoint: hub.endpoint, hub: 'atakora', credential: { key: hub.key } })
 * await hub.close();
 * ```
 */
export async function startRealtimeHub(options: RealtimeHubOptions): Promise<RealtimeHub> {
  const key = options.key ?? randomBytes(32).toString('base64url');
  const now = options.now ?? Date.now;
  const byGroup = new Map<string, Set<Connection>>();
  const all = new Set<Connection>();
  let delivered = 0;
  const server = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(JSON_SUBPROTOCOL) ? JSON_SUBPROTOCOL : false),
    maxPayload: 1024 * 1024,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${String(port)}`;
  const clientPath = `/client/hubs/${options.hub}`;
  const hub: RealtimeHub = {
    endpoint,
    port,
    key,
    get connections() {
      return all.size;
    },
    get delivered() {
      return delivered;
    },
    disconnectAll: () => {
      for (const c of all) c.socket.close(1012, 'service restart');
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of all) c.socket.terminate();
        wss.close();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };

  const deliver = (
    group: string,
    data: unknown,
    contentType: string,
    filter?: (s: FilterSubject) => boolean,
  ) => {
    const members = byGroup.get(group);
    if (!members) return;
    for (const c of members) {
      if (filter && !filter({ userId: c.userId, connectionId: c.id, groups: c.lower })) continue;
      if (c.socket.readyState !== c.socket.OPEN) continue;
      delivered++;
      if (!c.json) {
        c.socket.send(typeof data === 'string' ? data : JSON.stringify(data));
        continue;
      }
      const dataType = contentType.startsWith('application/json')
        ? 'json'
        : contentType.startsWith('text/plain')
          ? 'text'
          : 'binary';
      c.socket.send(JSON.stringify({ type: 'message', from: 'group', group, dataType, data }));
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refused = checkHost(req.headers.host, port);
    if (refused) {
      answer(res, refused.status, refused.detail);
      return;
    }
    const url = new URL(req.url ?? '/', endpoint);
    const route = sendRoute(url.pathname);
    if (req.method !== 'POST' || !route) {
      answer(res, route === null ? 400 : 404, 'Not a Web PubSub REST route the hub serves.');
      return;
    }
    if (route.hub !== options.hub) {
      answer(res, 404, `No hub ${route.hub}.`);
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const auth = bearer ? verifyHs256(bearer, key, Math.floor(now() / 1000)) : undefined;
    if (!auth?.ok) {
      answer(res, 401, `Unauthorized: ${auth ? auth.reason : 'no bearer token'}.`);
      return;
    }
    const aud = auth.claims.aud === undefined ? undefined : safeUrl(auth.claims.aud);
    if (!aud || aud.pathname !== url.pathname) {
      answer(res, 401, 'Unauthorized: wrong audience.');
      return;
    }
    let filter: ((s: FilterSubject) => boolean) | undefined;
    const filterText = url.searchParams.get('filter');
    try {
      filter = filterText === null ? undefined : compileFilter(filterText);
    } catch (e) {
      answer(res, 400, `Invalid filter: ${(e as Error).message}`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = (req.headers['content-type'] ?? 'application/octet-stream').toLowerCase();
      const text = Buffer.concat(chunks).toString('utf8');
      let data: unknown = text;
      if (contentType.startsWith('application/json')) {
        try {
          data = JSON.parse(text);
        } catch {
          answer(res, 400, 'The body is not JSON.');
          return;
        }
      } else if (!contentType.startsWith('text/plain')) {
        data = Buffer.concat(chunks).toString('base64');
      }
      const { group } = route;
      if (group === undefined)
        for (const g of byGroup.keys()) deliver(g, data, contentType, filter);
      else deliver(group, data, contentType, filter);
      if (group !== undefined) hub.onSend?.(group, data);
      res.writeHead(202).end();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (status: number, reason: string) => {
      socket.end(
        `HTTP/1.1 ${String(status)} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}`,
      );
    };
    const host = req.headers.host;
    const badHost = checkHost(host, port);
    if (badHost) {
      reject(badHost.status, badHost.detail);
      return;
    }
    const origin = req.headers.origin;
    const allowed =
      typeof options.allowedOrigins === 'function'
        ? options.allowedOrigins()
        : (options.allowedOrigins ?? []);
    if (!originTrusted(origin, allowed, host)) {
      reject(403, `Origin ${String(origin)} may not connect to the local realtime hub.`);
      return;
    }
    const url = new URL(req.url ?? '/', endpoint);
    if (url.pathname !== clientPath) {
      reject(404, `No hub at ${url.pathname}.`);
      return;
    }
    const token =
      url.searchParams.get('access_token') ??
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const verified = token ? verifyHs256(token, key, Math.floor(now() / 1000)) : undefined;
    if (!verified?.ok) {
      reject(401, `Unauthorized: ${verified ? verified.reason : 'no access token'}`);
      return;
    }
    const aud = verified.claims.aud === undefined ? undefined : safeUrl(verified.claims.aud);
    if (!aud || aud.pathname !== clientPath) {
      reject(401, 'Unauthorized: wrong audience');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const groups = verified.claims['webpubsub.group'] ?? [];
      const c: Connection = {
        id: randomUUID(),
        userId: verified.claims.sub,
        roles: verified.claims.role ?? [],
        groups: new Set(),
        lower: new Set(),
        socket: ws,
        json: ws.protocol === JSON_SUBPROTOCOL,
      };
      all.add(c);
      for (const g of groups) join(c, g);
      ws.on('close', () => {
        all.delete(c);
        for (const g of [...c.groups]) leave(c, g);
      });
      ws.on('message', (raw: Buffer) => {
        if (c.json) onClientMessage(c, raw.toString('utf8'));
      });
      if (c.json)
        ws.send(
          JSON.stringify({
            type: 'system',
            event: 'connected',
            userId: c.userId ?? null,
            connectionId: c.id,
          }),
        );
    });
  });

  function join(c: Connection, group: string): void {
    c.groups.add(group);
    c.lower.add(group.toLowerCase());
    let set = byGroup.get(group);
    if (!set) byGroup.set(group, (set = new Set()));
    set.add(c);
  }

  function leave(c: Connection, group: string): void {
    c.groups.delete(group);
    c.lower.delete(group.toLowerCase());
    const set = byGroup.get(group);
    set?.delete(c);
    if (set?.size === 0) byGroup.delete(group);
  }

  /** A client's own request: what its token's roles allow (client-messages.ts), else a Forbidden ack. */
  function onClientMessage(c: Connection, text: string): void {
    const { ack, action } = clientMessage(text, c.roles);
    if (action?.kind === 'join') join(c, action.group);
    else if (action?.kind === 'leave') leave(c, action.group);
    else if (action?.kind === 'send') deliver(action.group, action.data, action.contentType);
    if (ack) c.socket.send(JSON.stringify(ack));
  }

  return hub;
}

/**
 * The hub and group of a send route (`/api/hubs/<hub>/:send`, `/api/hubs/<hub>/groups/<group>/:send`), `undefined`
 * for another path, `null` for malformed percent-encoding.
 */
function sendRoute(pathname: string): { hub: string; group?: string } | undefined | null {
  const parts = decodePath(pathname);
  if (!parts) return null;
  if (parts[0] !== 'api' || parts[1] !== 'hubs' || parts[2] === undefined) return undefined;
  if (parts.length === 4 && parts[3] === ':send') return { hub: parts[2] };
  if (parts.length === 6 && parts[3] === 'groups' && parts[5] === ':send')
    return { hub: parts[2], group: at(parts, 4) };
  return undefined;
}

function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, detail: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(detail);
}

/**
 * `atakora dev`'s hub: started the first time a served app has a realtime CrudApi (and kept across reloads, so
 * open connections only re-negotiate when the workers restart), stopped with the session. Browser upgrades are
 * let in from the session's dev origins as of each connect.
 *
 * @example
 * ```ts
 * const hub = devRealtimeHub(() => origins);
 * await hub.ensure(planned); // hub.running?.endpoint → the realtime entities' endpoint setting
 * await hub.stop();
 * ```
 */
export function devRealtimeHub(origins: () => readonly string[]): {
  readonly running: RealtimeHub | undefined;
  ensure(apps: readonly PlannedResource[]): Promise<void>;
  stop(): Promise<void>;
} {
  let running: RealtimeHub | undefined;
  return {
    get running() {
      return running;
    },
    async ensure(apps) {
      if (running) return;
      const realtime = (a: PlannedResource) =>
        (mergedConfigOf('functions', a).crudEntities ?? []).some((e) => e.realtime);
      if (!apps.some(realtime)) return;
      running = await startRealtimeHub({ hub: REALTIME_HUB, allowedOrigins: origins });
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
  };
}
