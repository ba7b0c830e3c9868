import type { WebSocket } from 'ws';
import type { FilterSubject } from './hub-filter.js';
import type { ReliableSession } from './hub-reliable.js';

/**
 * The most a connection may have waiting to be sent (1 MiB): bytes the socket has not taken
 * (`ws.bufferedAmount`: group messages and the hub's own frames alike — acks, pongs), or on the reliable
 * subprotocol messages sent and not acknowledged. A client that does not
 * read is closed past it, as the service closes a connection whose messages pile up (Learn, "Create reliable
 * WebSocket clients": "if messages exceed the limit, the service will close the WebSockets connection"), rather
 * than the hub holding without bound what it cannot deliver. A realtime event is a few hundred bytes: a client
 * that reads is never near it.
 */
export const SEND_BUFFER_LIMIT = 1024 * 1024;

/** One client connection of the hub. */
export interface Connection {
  readonly id: string;
  readonly userId: string | undefined;
  readonly roles: readonly string[];
  readonly groups: Set<string>;
  /** The groups in lower case: the service's `in groups` filter compares case-insensitively. */
  readonly lower: Set<string>;
  /** The current socket: a reliable connection recovered after a drop gets a new one. */
  socket: WebSocket;
  /** Whether the client speaks a JSON subprotocol (frames), or none (each message's data as it is). */
  readonly json: boolean;
  /** The session on the reliable subprotocol, undefined on the others. */
  readonly reliable: ReliableSession | undefined;
}

/**
 * The hub's connections and their groups: who joins and leaves, and what a group message sends to each member
 * (framed for the JSON subprotocols, with a sequence id on the reliable one; the bare data without one).
 *
 * @example
 * ```ts
 * const connections = new HubConnections();
 * connections.add(c, ['notes.t1']);
 * connections.deliver('notes.t1', { id: 'n1' }, 'application/json');
 * ```
 */
export class HubConnections {
  /** Group messages delivered to connections so far (a message to n connections counts n). */
  delivered = 0;
  /** Connections closed for passing {@link SEND_BUFFER_LIMIT}. */
  overflowed = 0;
  private readonly all = new Map<string, Connection>();
  private readonly byGroup = new Map<string, Set<Connection>>();

  /** Called once for each connection the hub forgets (its `disconnected` event). */
  onRemoved: ((c: Connection) => void) | undefined;

  constructor(private readonly limit: number = SEND_BUFFER_LIMIT) {}

  /** Connections with an open socket. */
  get size(): number {
    let n = 0;
    for (const c of this.all.values()) if (c.socket.readyState === c.socket.OPEN) n++;
    return n;
  }

  /** Every connection, a reliable one waiting for its client to recover included. */
  each(): Iterable<Connection> {
    return [...this.all.values()];
  }

  /** The connection of this id, when the hub still holds it. */
  get(id: string): Connection | undefined {
    return this.all.get(id);
  }

  /** The groups with members now (a send to the whole hub goes to each). */
  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  add(c: Connection, groups: readonly string[]): void {
    this.all.set(c.id, c);
    for (const g of groups) this.join(c, g);
  }

  /** Forget a connection: its groups, its session (a recovery then finds nothing). */
  remove(c: Connection): void {
    if (this.all.get(c.id) !== c) return;
    this.all.delete(c.id);
    if (c.reliable?.expiry) clearTimeout(c.reliable.expiry);
    for (const g of [...c.groups]) this.leave(c, g);
    this.onRemoved?.(c);
  }

  /**
   * Close every connection in `group` (REST `closeConnections` on a group): each is forgotten, its socket closed
   * with `reason`. Returns how many.
   */
  closeGroup(group: string, reason: string): number {
    const members = [...(this.byGroup.get(group) ?? [])];
    for (const c of members) {
      this.remove(c);
      c.socket.close(1000, reason.slice(0, 120));
    }
    return members.length;
  }

  join(c: Connection, group: string): void {
    c.groups.add(group);
    c.lower.add(group.toLowerCase());
    let set = this.byGroup.get(group);
    if (!set) this.byGroup.set(group, (set = new Set()));
    set.add(c);
  }

  leave(c: Connection, group: string): void {
    c.groups.delete(group);
    c.lower.delete(group.toLowerCase());
    const set = this.byGroup.get(group);
    set?.delete(c);
    if (set?.size === 0) this.byGroup.delete(group);
  }

  /** Send a group message to each member the filter (the REST call's `filter`) admits. */
  deliver(
    group: string,
    data: unknown,
    contentType: string,
    filter?: (s: FilterSubject) => boolean,
  ): void {
    const members = this.byGroup.get(group);
    if (!members) return;
    for (const c of [...members]) {
      if (filter && !filter({ userId: c.userId, connectionId: c.id, groups: c.lower })) continue;
      const open = c.socket.readyState === c.socket.OPEN;
      // A reliable session whose socket dropped holds the message for its recovery; any other needs a socket.
      if (!open && !c.reliable) continue;
      this.delivered++;
      const message = {
        type: 'message',
        from: 'group',
        group,
        dataType: dataTypeOf(contentType),
        data,
      };
      const text = c.reliable
        ? c.reliable.frame(message)
        : c.json
          ? JSON.stringify(message)
          : typeof data === 'string'
            ? data
            : JSON.stringify(data);
      if (open) c.socket.send(text);
      this.bound(c);
    }
  }

  /**
   * Send the hub's own frame to one connection (a `connected` greeting, an ack, a `pong`, a recovery's resend)
   * under the same bound as group messages: a client that asks and never reads is closed, not buffered for.
   */
  reply(c: Connection, text: string): void {
    if (c.socket.readyState !== c.socket.OPEN) return;
    c.socket.send(text);
    this.bound(c);
  }

  /**
   * Close a connection past the limit: `terminate()`, not a close handshake, whose frame would queue behind
   * what the client does not read; its session goes with it.
   */
  private bound(c: Connection): void {
    if (c.socket.bufferedAmount <= this.limit && (c.reliable?.heldBytes ?? 0) <= this.limit) return;
    this.overflowed++;
    this.remove(c);
    c.socket.terminate();
  }
}

/** A group message's `dataType` on the JSON subprotocols, from the REST call's content type. */
function dataTypeOf(contentType: string): 'json' | 'text' | 'binary' {
  return contentType.startsWith('application/json')
    ? 'json'
    : contentType.startsWith('text/plain')
      ? 'text'
      : 'binary';
}
