/**
 * What the hub does with one message a client sends on `json.webpubsub.azure.v1` or
 * `json.reliable.webpubsub.azure.v1` (Learn, "Azure Web PubSub supported JSON WebSocket subprotocol" and "Azure
 * Web PubSub reliable JSON WebSocket subprotocol"): a `joinGroup`/`leaveGroup` needs the role `webpubsub.joinLeaveGroup`
 * (or `….<group>`), a `sendToGroup` the role `webpubsub.sendToGroup` (or `….<group>`); an `event` would go to an
 * event handler, and the hub has none. Whatever is not allowed is answered with a `Forbidden` ack (when the
 * message asked for one, `ackId`) and changes nothing. A `sequenceAck` (reliable subprotocol) says which messages
 * the client has received; a `ping` (what `@azure/web-pubsub-client` sends every 20 s, closing a connection that
 * hears nothing for 120 s: its webPubSubClient.ts, keepAliveIntervalInMs/keepAliveTimeoutInMs) is answered with a
 * `pong`. Pure: the hub applies the action.
 */
export type ClientAction =
  | { readonly kind: 'join' | 'leave'; readonly group: string }
  | { readonly kind: 'sequenceAck'; readonly sequenceId: number }
  | { readonly kind: 'ping' }
  | {
      readonly kind: 'send';
      readonly group: string;
      readonly data: unknown;
      readonly contentType: string;
    };

/** The answer to a client's message: the ack frame to send (if any) and the action to take (if allowed). */
export interface ClientReply {
  readonly ack?: Readonly<Record<string, unknown>>;
  readonly action?: ClientAction;
}

/**
 * Decide one client message against the connection's roles.
 *
 * @example
 * ```ts
 * clientMessage('{"type":"joinGroup","group":"g","ackId":1}', []);
 * // { ack: { type: 'ack', ackId: 1, success: false, error: { name: 'Forbidden', … } } }
 * ```
 */
export function clientMessage(text: string, roles: readonly string[]): ClientReply {
  let msg: {
    type?: unknown;
    group?: unknown;
    ackId?: unknown;
    dataType?: unknown;
    data?: unknown;
    sequenceId?: unknown;
  };
  try {
    msg = JSON.parse(text) as typeof msg;
  } catch {
    return {};
  }
  if (typeof msg !== 'object' || msg === null) return {};
  const ack = (error?: { name: string; message: string }) =>
    typeof msg.ackId === 'number'
      ? {
          type: 'ack',
          ackId: msg.ackId,
          success: error === undefined,
          ...(error ? { error } : {}),
        }
      : undefined;
  const reply = (a: ReturnType<typeof ack>, action?: ClientAction): ClientReply => ({
    ...(a ? { ack: a } : {}),
    ...(action ? { action } : {}),
  });
  const group = typeof msg.group === 'string' ? msg.group : undefined;
  const may = (role: string) =>
    roles.includes(role) || (group !== undefined && roles.includes(`${role}.${group}`));
  if (msg.type === 'joinGroup' || msg.type === 'leaveGroup') {
    if (!group || !may('webpubsub.joinLeaveGroup'))
      return reply(
        ack({
          name: 'Forbidden',
          message: `The connection has no permission to ${msg.type} ${String(group)}.`,
        }),
      );
    return reply(ack(), { kind: msg.type === 'joinGroup' ? 'join' : 'leave', group });
  }
  if (msg.type === 'sendToGroup') {
    if (!group || !may('webpubsub.sendToGroup'))
      return reply(
        ack({
          name: 'Forbidden',
          message: `The connection has no permission to send to ${String(group)}.`,
        }),
      );
    return reply(ack(), {
      kind: 'send',
      group,
      data: msg.data,
      contentType: msg.dataType === 'json' ? 'application/json' : 'text/plain',
    });
  }
  if (msg.type === 'event')
    return reply(
      ack({ name: 'Forbidden', message: 'The hub has no event handler: clients only receive.' }),
    );
  if (msg.type === 'sequenceAck')
    return typeof msg.sequenceId === 'number' && Number.isInteger(msg.sequenceId)
      ? { action: { kind: 'sequenceAck', sequenceId: msg.sequenceId } }
      : {};
  if (msg.type === 'ping') return { action: { kind: 'ping' } };
  return reply(
    ack({ name: 'BadRequest', message: `Unknown message type ${JSON.stringify(msg.type)}.` }),
  );
}
