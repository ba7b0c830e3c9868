import { randomBytes } from 'node:crypto';

/** The subprotocol `@azure/web-pubsub-client` speaks by default (Learn, "Azure Web PubSub reliable JSON WebSocket
 * subprotocol"): the JSON protocol plus sequence ids, sequence acks and connection recovery. */
export const RELIABLE_SUBPROTOCOL = 'json.reliable.webpubsub.azure.v1';

/**
 * One connection's session on the reliable subprotocol, as the service keeps it (Learn, "Create reliable
 * WebSocket clients"): every data message gets the next `sequenceId` (1, 2, …) and is held until the client's
 * `sequenceAck` covers it, so that a client whose socket dropped can reconnect with `awps_connection_id` and
 * `awps_reconnection_token` and receive what it missed. The service holds unacked messages up to a limit and
 * past it closes the connection and removes the session; so does the hub ({@link heldBytes} against the bound).
 *
 * @example
 * ```ts
 * const session = new ReliableSession();
 * socket.send(session.frame({ type: 'message', from: 'group', group: 'g', dataType: 'json', data: {} }));
 * session.ack(1);
 * ```
 */
export class ReliableSession {
  /** What the client presents to recover the session (`awps_reconnection_token`). */
  readonly reconnectionToken = randomBytes(24).toString('base64url');
  private nextId = 1;
  private held: { readonly id: number; readonly text: string }[] = [];
  private bytes = 0;
  /** Set while the socket is gone: the session ends unless the client recovers it in time. */
  expiry: NodeJS.Timeout | undefined;

  /** The bytes of messages sent and not yet acknowledged. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** A data message with its sequence id, held until acknowledged. */
  frame(message: Record<string, unknown>): string {
    const text = JSON.stringify({ sequenceId: this.nextId, ...message });
    this.held.push({ id: this.nextId, text });
    this.bytes += text.length;
    this.nextId += 1;
    return text;
  }

  /** The client has every message up to `sequenceId` (a selective ack covers all before it). */
  ack(sequenceId: number): void {
    let received = 0;
    for (const m of this.held) {
      if (m.id > sequenceId) break;
      this.bytes -= m.text.length;
      received++;
    }
    this.held = this.held.slice(received);
  }

  /** The messages to send again after a recovery, in order. */
  unacked(): readonly string[] {
    return this.held.map((m) => m.text);
  }
}
