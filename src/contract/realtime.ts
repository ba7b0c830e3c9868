import { REALTIME_NEGOTIATE_ROUTE } from './routes.js';

/**
 * Azure Web PubSub's JSON subprotocol, the one realtime connections speak (the service, `atakora dev`'s hub and the
 * typed client).
 *
 * @example
 * ```ts
 * const ws = new WebSocket(url, REALTIME_SUBPROTOCOL);
 * ```
 */
export const REALTIME_SUBPROTOCOL = 'json.webpubsub.azure.v1';

/**
 * The most UTF-8 bytes an event may take with its item: Web PubSub refuses messages over 1 MB (Learn, "Azure Web
 * PubSub service limits"). A larger item's event goes out without `item`; the client reads it with GET. Here, not
 * in the runtime, because the plan prices the largest event too (plan/realtime-event-bound.ts).
 *
 * @example
 * ```ts
 * Buffer.byteLength(JSON.stringify(event), 'utf8') <= MAX_EVENT_BYTES; // or the event goes without its item
 * ```
 */
export const MAX_EVENT_BYTES = 1_000_000;

/**
 * The live realtime connections one user may hold when `tenants.perUser.realtimeConnections` sets no bound: ten —
 * a tab per connection (the typed client shares one per API), a second one briefly while a token is renewed — so
 * that one negotiated token can never hold the service's places without end (Free_F1 has 20 in all). Enforced as
 * the configured bound is (429 `too-many-connections`, `scope: 'user'`), wherever live connections are counted: a
 * backend with a tenant registry. Set `tenants.perUser.realtimeConnections` for another bound.
 *
 * @example
 * ```ts
 * const bound = config.tenants?.perUser?.realtimeConnections ?? DEFAULT_USER_REALTIME_CONNECTIONS; // 10
 * ```
 */
export const DEFAULT_USER_REALTIME_CONNECTIONS = 10;

/**
 * A realtime event as clients get it in a group message's `data` (DESIGN §2): the CrudApi's component id, the
 * operation, the item's id, the item as the receiver's own GET would show it (never on delete; absent too when it
 * would pass the service's 1 MB message limit), and when the write was acknowledged (ISO 8601, the writing
 * instance's clock).
 *
 * @example
 * ```ts
 * const e: RealtimeEvent = {
 *   entity: 'NoteApi',
 *   operation: 'update',
 *   id: 'n1',
 *   item: { id: 'n1', title: 'x' },
 *   at: '2026-01-01T00:00:00.000Z',
 * };
 * ```
 */
export interface RealtimeEvent<T = Readonly<Record<string, unknown>>> {
  readonly entity: string;
  readonly operation: 'create' | 'replace' | 'update' | 'delete';
  readonly id: string;
  readonly item?: T;
  readonly at: string;
}

/**
 * The answer of `POST api/realtime/negotiate`: the WebSocket URL (its access token inside), when the token stops
 * being accepted, and the realtime CrudApis the connection receives, by route (`notes` → `NoteApi`): those the
 * caller may read.
 *
 * @example
 * ```ts
 * const n: Negotiated = {
 *   url: 'ws://127.0.0.1:7072/client/hubs/atakora?access_token=…',
 *   expiresOn: '2026-01-01T00:58:00.000Z',
 *   entities: { notes: 'NoteApi' },
 * };
 * ```
 */
export interface Negotiated {
  readonly url: string;
  readonly expiresOn: string;
  readonly entities: Readonly<Record<string, string>>;
}

/**
 * The negotiate URL of the API a CrudApi's base URL belongs to: its origin and the Functions route prefix, then
 * `realtime/negotiate`.
 *
 * @example
 * ```ts
 * negotiateUrlOf('https://func-x.azurewebsites.net/api/notes/archive'); // 'https://func-x.azurewebsites.net/api/realtime/negotiate'
 * ```
 */
export function negotiateUrlOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const at = url.pathname.indexOf('/api/');
  const prefix = at >= 0 ? url.pathname.slice(0, at + 4) : '/api';
  return `${url.origin}${prefix}/${REALTIME_NEGOTIATE_ROUTE}`;
}

/**
 * The CrudApi route a base URL names (what `Negotiated.entities` is keyed by).
 *
 * @example
 * ```ts
 * routeOfBaseUrl('http://127.0.0.1:7071/api/notes/archive/'); // 'notes/archive'
 * ```
 */
export function routeOfBaseUrl(baseUrl: string): string {
  const path = new URL(baseUrl).pathname;
  const at = path.indexOf('/api/');
  return (at >= 0 ? path.slice(at + 5) : path.replace(/^\//, '')).replace(/\/+$/, '');
}
