import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { REALTIME_SUBPROTOCOL } from '../../../contract/realtime.js';
import type { PlannedResource } from '../../../model/plan.js';
import { REALTIME_HUB } from '../../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { clientMessage } from './hub-client-messages.js';
import { type Connection, HubConnections } from './hub-connections.js';
import type { HubTokenClaims } from './hub-jwt.js';
import { RELIABLE_SUBPROTOCOL, ReliableSession } from './hub-reliable.js';
import { serveRest } from './hub-rest.js';
import { hubEvents } from './hub-events.js';
import { admitUpgrade } from './hub-upgrade.js';

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
  /** Connections closed because what waited to be sent to them passed the bound (hub-connections.ts). */
  readonly overflowed: number;
  /**
   * The runtime's events route (`…/api/realtime/events`) the hub sends its connections' `connect`, `connected`
   * and `disconnected` events to, as the hub's event handler in Azure does; undefined → none sent.
   */
  eventHandler: string | undefined;
  /** Close every client connection (as a service restart would); clients reconnect with a fresh negotiate. */
  disconnectAll(): void;
  /**
   * Drop every client's socket without a close handshake (as a network failure would): a reliable session stays,
   * for its client to recover.
   */
  dropAll(): void;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for Azure Web PubSub, started by `atakora dev` (and by the tests), speaking what the runtime
 * and the typed client use of the real service, with the same token rules:
 *
 * - **Clients**: `ws://127.0.0.1:<port>/client/hubs/<hub>?access_token=<JWT>` with the subprotocol
 *   `json.webpubsub.azure.v1`, `json.reliable.webpubsub.azure.v1` (what `@azure/web-pubsub-client` speaks by
 *   default: sequence ids, sequence acks, recovery: hub-reliable.ts) or none (a simple WebSocket client then gets
 *   each message's data as it is). A client that does not read what is sent to it is closed past a bound, as the
 *   service does (hub-connections.ts, SEND_BUFFER_LIMIT). The token
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
  const connections = new HubConnections();
  const server = createServer();
  // ws is imported here, on the hub's start (a backend with a realtime CrudApi), not by every dev start.
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      [JSON_SUBPROTOCOL, RELIABLE_SUBPROTOCOL].find((p) => protocols.has(p)) ?? false,
    maxPayload: 1024 * 1024,
  });
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://127.0.0.1:${String(port)}`;
  const events = hubEvents(
    options.hub,
    key,
    `127.0.0.1:${String(port)}`,
    () => hub.eventHandler,
    now,
  );
  connections.onRemoved = (c) => {
    events.disconnected(c.id, c.userId);
  };
  const hub: RealtimeHub = {
    endpoint,
    port,
    key,
    eventHandler: undefined,
    get connections() {
      return connections.size;
    },
    get delivered() {
      return connections.delivered;
    },
    get overflowed() {
      return connections.overflowed;
    },
    // A restart loses every session: a reliable client's recovery then gets 1008 and it connects afresh.
    disconnectAll: () => {
      for (const c of connections.each()) {
        connections.remove(c);
        c.socket.close(1012, 'service restart');
      }
    },
    dropAll: () => {
      for (const c of connections.each()) c.socket.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections.each()) {
          connections.remove(c);
          c.socket.terminate();
        }
        wss.close();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
  const rest = { hub: options.hub, port, endpoint, key, now, connections };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serveRest(req, res, { ...rest, onSend: (group, data) => hub.onSend?.(group, data) });
  });
  const rules = { port, endpoint, key, now, clientPath: `/client/hubs/${options.hub}` };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { allowedOrigins } = options;
    const admitted = admitUpgrade(req, {
      ...rules,
      allowedOrigins:
        typeof allowedOrigins === 'function' ? allowedOrigins() : (allowedOrigins ?? []),
    });
    if (!admitted.ok) {
      const { status, reason } = admitted;
      socket.end(
        `HTTP/1.1 ${String(status)} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}`,
      );
      return;
    }
    if ('recover' in admitted) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        recover(connections, ws, admitted.recover);
      });
      return;
    }
    // The blocking `connect` event first: the event handler may refuse the client (its status and text).
    const id = randomUUID();
    void events.connect(id, admitted.claims.sub, admitted.claims).then((verdict) => {
      if (!verdict.ok) {
        const text = verdict.text.replace(/[\r\n]+/g, ' ');
        socket.end(
          `HTTP/1.1 ${String(verdict.status)} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${text}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        connect(connections, ws, admitted.claims, id);
        events.connected(id, admitted.claims.sub);
      });
    });
  });
  return hub;
}

/** Listen on a loopback port (0: any free one) and return the port. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** How long a reliable connection whose socket dropped waits for its client to recover it (the SDK tries 30 s). */
const RECOVERY_WINDOW_MS = 60_000;

/**
 * Take an admitted client in: it joins the groups its token's `webpubsub.group` claim lists; on a JSON
 * subprotocol it is told `connected` (with a reconnection token on the reliable one) and its own requests are
 * decided by its token's roles.
 */
function connect(
  connections: HubConnections,
  ws: WebSocket,
  claims: HubTokenClaims,
  id: string,
): void {
  const c: Connection = {
    id,
    userId: claims.sub,
    roles: claims.role ?? [],
    groups: new Set(),
    lower: new Set(),
    socket: ws,
    json: ws.protocol === JSON_SUBPROTOCOL || ws.protocol === RELIABLE_SUBPROTOCOL,
    reliable: ws.protocol === RELIABLE_SUBPROTOCOL ? new ReliableSession() : undefined,
  };
  connections.add(c, claims['webpubsub.group'] ?? []);
  attach(connections, c, ws);
}

/**
 * A reliable client back after its socket dropped: the same connection (groups, sequence) on the new socket,
 * told `connected` again and sent what it had not acknowledged. A connection the hub no longer holds (expired,
 * closed for its backlog, a restart) is closed with 1008, which tells the client to start afresh (Learn,
 * "Create reliable WebSocket clients", Reconnection).
 */
function recover(
  connections: HubConnections,
  ws: WebSocket,
  asked: { connectionId: string; reconnectionToken: string },
): void {
  const c = connections.get(asked.connectionId);
  if (
    !c?.reliable ||
    c.reliable.reconnectionToken !== asked.reconnectionToken ||
    ws.protocol !== RELIABLE_SUBPROTOCOL ||
    c.socket.readyState === c.socket.OPEN
  ) {
    ws.close(1008, 'The connection cannot be recovered.');
    return;
  }
  clearTimeout(c.reliable.expiry);
  c.reliable.expiry = undefined;
  c.socket = ws;
  attach(connections, c, ws);
  for (const text of c.reliable.unacked()) connections.reply(c, text);
}

/** Listen to a connection's socket and greet it; a reliable session outlives a dropped socket for a while. */
function attach(connections: HubConnections, c: Connection, ws: WebSocket): void {
  ws.on('close', (code: number) => {
    if (c.socket !== ws) return;
    // Only a socket lost without a close handshake (1006) is worth waiting for; a client that closed is gone.
    if (!c.reliable || code !== 1006) {
      connections.remove(c);
      return;
    }
    c.reliable.expiry = setTimeout(() => {
      connections.remove(c);
    }, RECOVERY_WINDOW_MS);
    c.reliable.expiry.unref();
  });
  ws.on('message', (raw: Buffer) => {
    if (c.json) onClientMessage(connections, c, raw.toString('utf8'));
  });
  if (c.json)
    connections.reply(
      c,
      JSON.stringify({
        type: 'system',
        event: 'connected',
        userId: c.userId ?? null,
        connectionId: c.id,
        ...(c.reliable ? { reconnectionToken: c.reliable.reconnectionToken } : {}),
      }),
    );
}

/** A client's own request: what its token's roles allow (hub-client-messages.ts), else a Forbidden ack. */
function onClientMessage(connections: HubConnections, c: Connection, text: string): void {
  const { ack, action } = clientMessage(text, c.roles);
  if (action?.kind === 'join') connections.join(c, action.group);
  else if (action?.kind === 'leave') connections.leave(c, action.group);
  else if (action?.kind === 'send')
    connections.deliver(action.group, action.data, action.contentType);
  else if (action?.kind === 'sequenceAck') c.reliable?.ack(action.sequenceId);
  else if (action?.kind === 'ping') connections.reply(c, JSON.stringify({ type: 'pong' }));
  if (ack) connections.reply(c, JSON.stringify(ack));
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
