import { createServer, type Server } from 'node:http';
import type { HttpHandler } from '@azure/functions';
import WebSocket from 'ws';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeManifest,
} from '../../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { Publisher } from '../../../src/runtime/realtime/publisher.js';
import { webPubSubService } from '../../../src/runtime/realtime/service.js';
import { startRealtimeHub, type RealtimeHub } from '../../../src/cli/dev/realtime/hub.js';
import { settings } from '../../runtime/support/entities.js';
import { invoke, type Reply } from '../../runtime/support/http.js';
import { startLocalCosmos, type LocalCosmos } from '../../runtime/support/local-cosmos.js';
import { HANG_MS } from '../../support/patience.js';

/** A signed-in user as App Service authentication would pass them on. */
/** A realtime CrudApi of notes confined by `tenantId`, every operation on: the bound tests' entity. */
export const REALTIME_NOTES: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/tenantId',
  schema: { id: { type: 'string', required: true }, tenantId: { type: 'string', required: false } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
  realtime: true,
};

/** A realtime CrudApi of products shared by every tenant (`tenancy: 'shared'`), every operation on. */
export const REALTIME_CATALOG: RuntimeEntity = {
  componentId: 'CatalogApi',
  entityName: 'Product',
  route: 'products',
  partitionKey: '/id',
  schema: { id: { type: 'string', required: true }, name: { type: 'string', required: true } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: settings('CATALOG_API'),
  realtime: true,
};

/** The problem type of an answer, without its prefix. */
export const code = (r: { body?: { type?: string } }) =>
  r.body?.type?.replace('urn:atakora:problem:', '');

export interface User {
  readonly oid: string;
  readonly tid: string;
  readonly roles?: readonly string[];
}

/** `x-ms-client-principal` for a user (short claim names). */
export function principalHeader(user: User): Record<string, string> {
  const claims = [
    { typ: 'oid', val: user.oid },
    { typ: 'tid', val: user.tid },
    ...(user.roles ?? []).map((r) => ({ typ: 'roles', val: r })),
  ];
  const value = { auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

/** Sign-in that admits one directory, also the home one: what a single-tenant realtime test runs under. */
export function oneTenantPolicy(tenant: string): RuntimeAuth {
  return {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [tenant],
    homeTenant: tenant,
  };
}

/** One client connection and what it received. */
export interface Listener {
  readonly socket: WebSocket;
  /** Every group message's data, in arrival order. */
  readonly events: { group: string; data: Record<string, unknown> }[];
  /** Every other frame (system, ack). */
  readonly frames: Record<string, unknown>[];
  /** Resolves when `n` events have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  /**
   * Resolves once everything the hub sent this socket before now has arrived: the hub answers a client message
   * (an `event`, which it refuses) after the frames it sent before, on one ordered stream.
   */
  barrier(): Promise<void>;
  close(): void;
}

/** The runtime of one Function App over a local Cosmos DB and the loopback hub, with helpers to write and listen. */
export interface RealtimeApp {
  readonly cosmos: LocalCosmos;
  readonly hub: RealtimeHub;
  readonly publisher: Publisher;
  readonly handlers: ReadonlyMap<string, HttpHandler>;
  /** Call a CRUD route of an entity as a user. */
  call(
    user: User | undefined,
    method: string,
    entity: RuntimeEntity,
    id?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  negotiate(user: User | undefined, method?: string): Promise<Reply>;
  /** Negotiate as the user and open the WebSocket it answers (subprotocol json.webpubsub.azure.v1). */
  connect(user: User, headers?: Record<string, string>): Promise<Listener>;
  /** Every queued send has been made (the hub has delivered them to open sockets). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

let containerSeq = 0;

/** Start Cosmos DB, the hub and the runtime's routes for these entities (each given its own container). */
export async function startRealtimeApp(
  entities: readonly RuntimeEntity[],
  caller: RuntimeAuth,
  hubOptions: { allowedOrigins?: readonly string[] } = {},
  options: { registryMaxAgeMs?: number; suspensionSweepMs?: number } = {},
): Promise<RealtimeApp> {
  const cosmos = await startLocalCosmos();
  // The usage ledger beside the registry, as the plan and atakora dev create it (live connections are kept there).
  if (caller.registry)
    await cosmos.container(caller.registry.usage, '/tenant', caller.registry.database);
  const hub = await startRealtimeHub({ hub: 'atakora', ...hubOptions });
  const containers = new Map<string, Awaited<ReturnType<LocalCosmos['container']>>>();
  for (const e of entities)
    containers.set(
      e.componentId,
      await cosmos.container(`rt${String(++containerSeq)}`, e.partitionKey),
    );
  const service = webPubSubService({
    endpoint: hub.endpoint,
    hub: 'atakora',
    credential: { key: hub.key },
  });
  const publisher = new Publisher(service);
  const handlers = new Map<string, HttpHandler>();
  const sweeps = new AbortController();
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'rt',
    entities,
    auth: caller,
    realtime: { hub: 'atakora' },
  };
  registerCrudRoutes({ http: (name, o) => handlers.set(name, o.handler) }, manifest, {
    containerFor: (e) => containers.get(e.componentId)!,
    caller,
    ...(options.registryMaxAgeMs === undefined
      ? {}
      : { tenantRegistry: { maxAgeMs: options.registryMaxAgeMs } }),
    realtime: {
      service,
      publisher,
      // The suspension sweep stops with the app.
      suspension: {
        signal: sweeps.signal,
        ...(options.suspensionSweepMs === undefined
          ? {}
          : { sweepEveryMs: options.suspensionSweepMs }),
      },
      // The hub's connection events reach the runtime's events route, as dev wires it (with or without a registry).
      events: { auth: { devKey: hub.key }, serviceHost: `127.0.0.1:${String(hub.port)}` },
    },
  });
  const bridge = handlers.has('realtime-events')
    ? await eventsBridge(handlers.get('realtime-events')!)
    : undefined;
  if (bridge) hub.eventHandler = bridge.url;
  const call: RealtimeApp['call'] = (user, method, entity, id, body, headers = {}) => {
    const handler = handlers.get(
      `${entity.componentId}-${id === undefined ? 'collection' : 'item'}`,
    )!;
    const path = id === undefined ? entity.route : `${entity.route}/${encodeURIComponent(id)}`;
    return invoke(handler, method, path, {
      ...(body === undefined ? {} : { body }),
      headers: { ...(user ? principalHeader(user) : {}), ...headers },
      ...(id === undefined ? {} : { params: { id } }),
    });
  };
  const negotiate: RealtimeApp['negotiate'] = (user, method = 'POST') =>
    invoke(handlers.get('realtime-negotiate')!, method, 'realtime/negotiate', {
      headers: user ? principalHeader(user) : {},
    });
  const open: Listener[] = [];
  return {
    cosmos,
    hub,
    publisher,
    handlers,
    call,
    negotiate,
    async connect(user, headers = {}) {
      const n = await negotiate(user);
      if (n.status !== 200) throw new Error(`negotiate ${String(n.status)}: ${n.text}`);
      const listener = await listen(n.body.url as string, headers);
      open.push(listener);
      return listener;
    },
    settle: () => publisher.idle(),
    async stop() {
      sweeps.abort();
      for (const l of open) l.close();
      await hub.close();
      await new Promise((resolve) => bridge?.server.close(resolve) ?? resolve(undefined));
      await cosmos.stop();
    },
  };
}

/** Open a WebSocket to a negotiated URL and record what arrives. */
export function listen(url: string, headers: Record<string, string> = {}): Promise<Listener> {
  const socket = new WebSocket(url, 'json.webpubsub.azure.v1', { headers });
  const events: Listener['events'] = [];
  const frames: Listener['frames'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const acks = new Map<number, () => void>();
  let ackSeq = 0;
  socket.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as Record<string, unknown>;
    if (msg['type'] === 'ack' && acks.has(msg['ackId'] as number)) {
      acks.get(msg['ackId'] as number)!();
      acks.delete(msg['ackId'] as number);
    }
    if (msg['type'] === 'message' && msg['from'] === 'group')
      events.push({ group: String(msg['group']), data: msg['data'] as Record<string, unknown> });
    else frames.push(msg);
    for (const w of waiters.filter((x) => events.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`upgrade refused: ${String(res.statusCode)}`));
    });
    // The hub's `connected` frame comes right after the upgrade: wait for it, so the groups are joined.
    socket.once('message', () => {
      resolve({
        socket,
        events,
        frames,
        waitFor: (n, ms = HANG_MS) =>
          events.length >= n
            ? Promise.resolve()
            : new Promise<void>((ok, fail) => {
                const timer = setTimeout(() => {
                  fail(
                    new Error(
                      `${String(events.length)} of ${String(n)} events after ${String(ms)} ms`,
                    ),
                  );
                }, ms);
                waiters.push({
                  n,
                  resolve: () => {
                    clearTimeout(timer);
                    ok();
                  },
                });
              }),
        barrier: () =>
          // A socket the server closed has received all it ever will.
          socket.readyState !== socket.OPEN
            ? Promise.resolve()
            : new Promise<void>((ok) => {
                socket.once('close', () => ok());
                const ackId = 1_000_000 + ++ackSeq;
                acks.set(ackId, ok);
                socket.send(
                  JSON.stringify({
                    type: 'event',
                    event: 'barrier',
                    ackId,
                    dataType: 'text',
                    data: '',
                  }),
                );
              }),
        close: () => {
          socket.terminate();
        },
      });
    });
  });
}

/** A loopback HTTP server in front of the runtime's events handler: what the hub posts its events to. */
async function eventsBridge(handler: HttpHandler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const text = Buffer.concat(chunks).toString('utf8');
      void invoke(handler, req.method ?? 'POST', 'realtime/events', {
        headers,
        ...(text === '' ? {} : { body: text }),
      }).then((r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers.entries())).end(r.text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${String(port)}/api/realtime/events`, server };
}
