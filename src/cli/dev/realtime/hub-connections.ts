import type { WebSocket } from 'ws';
import type { FilterSubject } from './hub-filter.js';

/** One client connection of the hub. */
export interface Connection {
  readonly id: string;
  readonly userId: string | undefined;
  readonly roles: readonly string[];
  readonly groups: Set<string>;
  /** The groups in lower case: the service's `in groups` filter compares case-insensitively. */
  readonly lower: Set<string>;
  readonly socket: WebSocket;
  /** Whether the client speaks the JSON subprotocol (frames), or none (each message's data as it is). */
  readonly json: boolean;
}

/**
 * The hub's connections and their groups: who joins and leaves, and what a group message sends to each member
 * (framed for the JSON subprotocol, the bare data without one).
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
  private readonly all = new Set<Connection>();
  private readonly byGroup = new Map<string, Set<Connection>>();

  get size(): number {
    return this.all.size;
  }

  /** Every open connection, for a restart or a stop. */
  each(): Iterable<Connection> {
    return this.all;
  }

  /** The groups with members now (a send to the whole hub goes to each). */
  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  add(c: Connection, groups: readonly string[]): void {
    this.all.add(c);
    for (const g of groups) this.join(c, g);
  }

  remove(c: Connection): void {
    this.all.delete(c);
    for (const g of [...c.groups]) this.leave(c, g);
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

  /** Send a group message to each open member the filter (the REST call's `filter`) admits. */
  deliver(
    group: string,
    data: unknown,
    contentType: string,
    filter?: (s: FilterSubject) => boolean,
  ): void {
    const members = this.byGroup.get(group);
    if (!members) return;
    for (const c of members) {
      if (filter && !filter({ userId: c.userId, connectionId: c.id, groups: c.lower })) continue;
      if (c.socket.readyState !== c.socket.OPEN) continue;
      this.delivered++;
      c.socket.send(
        c.json
          ? JSON.stringify({
              type: 'message',
              from: 'group',
              group,
              dataType: dataTypeOf(contentType),
              data,
            })
          : typeof data === 'string'
            ? data
            : JSON.stringify(data),
      );
    }
  }
}

/** A group message's `dataType` on the JSON subprotocol, from the REST call's content type. */
function dataTypeOf(contentType: string): 'json' | 'text' | 'binary' {
  return contentType.startsWith('application/json')
    ? 'json'
    : contentType.startsWith('text/plain')
      ? 'text'
      : 'binary';
}
