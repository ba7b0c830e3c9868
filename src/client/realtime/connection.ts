import {
  type Negotiated,
  REALTIME_SUBPROTOCOL,
  type RealtimeEvent,
} from '../../contract/realtime.js';
import { ProblemError } from '../problem-error.js';
import { send, type Transport } from '../transport.js';

/**
 * What the client needs of a WebSocket: the browser's (and Node 22's) `WebSocket`, or the `ws` package's on Node 20
 * (`createClient({ …, WebSocket })`).
 *
 * @example
 * ```ts
 * import WebSocket from 'ws';
 * const ctor: WebSocketConstructor = WebSocket;
 * ```
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/**
 * The part of a WebSocket the client uses (the WHATWG interface; `ws` implements it). The handlers' events are
 * typed `never` so that any implementation's own event types fit; the client reads only a message's `data`.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  close(code?: number, reason?: string): void;
}

/** One subscriber of a connection: a CrudApi route and what it is told. */
export interface RealtimeListener {
  /** The CrudApi's route (`notes`): the negotiate answer maps it to the component id events carry. */
  readonly route: string;
  onEvent(event: RealtimeEvent): void;
  /**
   * The connection (re)opened after it was closed, or was replaced by a fresh one: events in between may be lost,
   * so whoever keeps state reads it again. Called after the first open too.
   */
  onGap(): void;
  /** A failure it cannot recover from (`ProblemError` from negotiate: 401, 403; or the route is not receivable). */
  onError(error: Error): void;
}

/** Timing of reconnects and token renewal (tests shorten them). */
export interface ConnectionTiming {
  /** First reconnect delay, doubled up to `maxDelayMs` (default 500 ms, 30 s). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Renew this long before `expiresOn` (default 2 minutes). */
  readonly renewBeforeMs?: number;
}

/** WebSocket.OPEN. */
const OPEN = 1;

/**
 * One realtime connection of a client per API (its negotiate URL), shared by every `watch` and `live` on that API:
 * negotiates (`POST api/realtime/negotiate` with the client's token), opens the WebSocket with Web PubSub's JSON
 * subprotocol, dispatches each group message to the listeners of its entity, and keeps itself up:
 * - a closed socket is reopened with a fresh negotiate, after a delay that doubles (with jitter) up to 30 s;
 * - before the token expires a new connection is negotiated and opened, and the old one closed once the new one
 *   is up (the server stops sending to a connection within an hour of its negotiate, however long it stays open);
 * - after either, listeners are told of the gap (`live` re-lists); an event both sockets carried is dropped once;
 * - a 401 or 403 from negotiate, or a route the caller may not receive, is an error to its listeners, not retried.
 * The last listener's unsubscribe closes it.
 */
export class RealtimeConnection {
  private readonly listeners = new Set<RealtimeListener>();
  private socket: WebSocketLike | undefined;
  private entities: Readonly<Record<string, string>> = {};
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = true;
  /** Recent event keys, to drop the copy a second socket delivers while two are open. */
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly negotiate: Pick<Transport, 'baseUrl' | 'getToken' | 'fetch' | 'tenant'>,
    private readonly WebSocketCtor: WebSocketConstructor,
    private readonly timing: ConnectionTiming = {},
  ) {}

  /** Add a listener (opening the connection when it is the first); returns its unsubscribe. */
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    if (this.stopped) {
      this.stopped = false;
      void this.open(false);
    } else if (this.socket?.readyState === OPEN) {
      if (this.check(listener)) listener.onGap();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.onclose = null;
      s.close(1000, 'no more listeners');
    }
  }

  /** Whether the listener's route is one this connection receives; tells it otherwise. */
  private check(listener: RealtimeListener): boolean {
    if (Object.hasOwn(this.entities, listener.route)) return true;
    listener.onError(
      new Error(
        `No realtime events for "${listener.route}": it is not a realtime CrudApi of this API, or your access ` +
          `rules let you read none of its items (the connection receives ${Object.keys(this.entities).join(', ') || 'nothing'}).`,
      ),
    );
    return false;
  }

  private async open(renewal: boolean): Promise<void> {
    let negotiated: Negotiated;
    try {
      negotiated = (await send(this.negotiate, { method: 'POST', path: '' })).body as Negotiated;
    } catch (e) {
      if (this.stopped) return;
      if (e instanceof ProblemError && (e.status === 401 || e.status === 403 || e.status === 404)) {
        for (const l of [...this.listeners]) l.onError(e);
        this.listeners.clear();
        this.stop();
        return;
      }
      this.retry();
      return;
    }
    if (this.stopped) return;
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketCtor(negotiated.url, REALTIME_SUBPROTOCOL);
    } catch {
      this.retry();
      return;
    }
    const previous = this.socket;
    let connected = false;
    socket.onmessage = (m: { readonly data: unknown }) => {
      const msg = parse(m.data);
      if (!msg) return;
      if (msg['type'] === 'system' && msg['event'] === 'connected' && !connected) {
        connected = true;
        this.attempt = 0;
        this.entities = negotiated.entities;
        // Swap: the new socket is up; the one it replaces (a renewal) goes now.
        this.socket = socket;
        if (previous && previous !== socket) {
          previous.onclose = null;
          previous.close(1000, 'renewed');
        }
        this.renewAt(negotiated.expiresOn);
        for (const l of [...this.listeners]) if (this.check(l)) l.onGap();
        return;
      }
      if (msg['type'] === 'message' && msg['from'] === 'group') this.dispatch(msg['data']);
    };
    socket.onclose = () => {
      if (this.stopped) return;
      // The current socket dropped (or a renewal failed before it was up): reconnect.
      if (this.socket === socket || (!connected && !previous)) {
        this.socket = undefined;
        this.retry();
      } else if (!connected && previous) this.renewAt(undefined);
    };
    socket.onerror = () => undefined;
    if (!renewal) this.socket = socket;
  }

  private dispatch(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const event = data as RealtimeEvent;
    if (typeof event.entity !== 'string' || typeof event.id !== 'string') return;
    // Two sockets are open for a moment during a renewal: the second copy of one event is dropped.
    const key = `${event.entity}|${event.operation}|${event.id}|${event.at}`;
    const now = Date.now();
    if (this.recent.has(key)) return;
    this.recent.set(key, now);
    if (this.recent.size > 1000)
      for (const [k, t] of this.recent)
        if (now - t > 60_000 || this.recent.size > 1000) this.recent.delete(k);
    for (const l of [...this.listeners])
      if (this.entities[l.route] === event.entity) l.onEvent(event);
  }

  private retry(): void {
    if (this.stopped) return;
    const min = this.timing.minDelayMs ?? 500;
    const max = this.timing.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.open(false), delay);
  }

  /** Negotiate and open a replacement before `expiresOn` (or soon, when a renewal failed). */
  private renewAt(expiresOn: string | undefined): void {
    clearTimeout(this.timer);
    const before = this.timing.renewBeforeMs ?? 120_000;
    const at =
      expiresOn === undefined
        ? Date.now() + (this.timing.minDelayMs ?? 500)
        : Date.parse(expiresOn) - before;
    this.timer = setTimeout(() => void this.open(true), Math.max(0, at - Date.now()));
  }
}

function parse(data: unknown): Record<string, unknown> | undefined {
  const text = typeof data === 'string' ? data : undefined;
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
