import { request } from 'node:http';
import { signHs256 } from './hub-jwt.js';

/** An answer of the event handler: its status and text. */
interface Answer {
  readonly status: number;
  readonly text: string;
}

/** POST `body` to a loopback URL (the dev worker's events route), within `ms`. */
function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  ms: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: ms }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 500, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${String(ms)} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The event handler's answer to a blocking `connect`: admitted, or the status and text the client gets. */
export type ConnectVerdict = { ok: true } | { ok: false; status: number; text: string };

/** How long the hub waits for the event handler's answer to a `connect` (the service's is 20 s; loopback is fast). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The hub's event handler, as Web PubSub calls one (Learn, "CloudEvents extension for Azure Web PubSub event
 * handler with HTTP protocol"): CloudEvents in binary mode — `ce-type` `azure.webpubsub.sys.connect` (blocking:
 * a non-2xx answer refuses the client with it), `…sys.connected` and `…sys.disconnected` (not awaited), with
 * `ce-hub`, `ce-connectionId`, `ce-userId`, `WebHook-Request-Origin` — each carrying a bearer token the hub signs
 * with its key (`aud` `urn:atakora:realtime-events:<hub>`), as the service sends its managed identity's token.
 *
 * @example
 * ```ts
 * const events = hubEvents('atakora', key, '127.0.0.1:7071', () => 'http://127.0.0.1:7072/api/realtime/events');
 * await events.connect('c1', 't1/u1', ['json.webpubsub.azure.v1']);
 * ```
 */
export function hubEvents(
  hub: string,
  key: string,
  origin: string,
  url: () => string | undefined,
  now: () => number = Date.now,
  log: (line: string) => void = () => undefined,
): {
  connect(
    connectionId: string,
    userId: string | undefined,
    claims: object,
  ): Promise<ConnectVerdict>;
  connected(connectionId: string, userId: string | undefined): void;
  disconnected(connectionId: string, userId: string | undefined): void;
} {
  const post = async (
    event: 'connect' | 'connected' | 'disconnected',
    connectionId: string,
    userId: string | undefined,
    body: object,
  ): Promise<Answer | undefined> => {
    const target = url();
    if (!target) return undefined;
    const token = signHs256(
      { aud: `urn:atakora:realtime-events:${hub}`, exp: Math.floor(now() / 1000) + 300 },
      key,
    );
    return postJson(
      target,
      {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json; charset=utf-8',
        'webhook-request-origin': origin,
        'ce-specversion': '1.0',
        'ce-type': `azure.webpubsub.sys.${event}`,
        'ce-source': `/hubs/${hub}/client/${connectionId}`,
        'ce-id': `${connectionId}.${event}`,
        'ce-time': new Date(now()).toISOString(),
        'ce-hub': hub,
        'ce-connectionId': connectionId,
        'ce-eventName': event,
        ...(userId === undefined ? {} : { 'ce-userId': userId }),
      },
      JSON.stringify(body),
      CONNECT_TIMEOUT_MS,
    );
  };
  // A connection's events leave in order: its `disconnected` never overtakes its `connected`.
  const chains = new Map<string, Promise<void>>();
  const unblocking = (
    event: 'connected' | 'disconnected',
    connectionId: string,
    userId: string | undefined,
  ) => {
    const next = (chains.get(connectionId) ?? Promise.resolve())
      .then(() => post(event, connectionId, userId, {}))
      .then(() => undefined)
      .catch((e: unknown) => {
        log(
          `realtime hub: ${event} event not delivered: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    chains.set(connectionId, next);
    void next.then(() => {
      if (chains.get(connectionId) === next) chains.delete(connectionId);
    });
  };
  return {
    async connect(connectionId, userId, claims) {
      let r: Answer | undefined;
      try {
        r = await post('connect', connectionId, userId, { claims });
      } catch (e) {
        // The service refuses a connect whose handler does not answer (Learn: the connect event is blocking).
        return {
          ok: false,
          status: 500,
          text: `event handler failed: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
      if (!r) return { ok: true };
      return r.status >= 200 && r.status < 300
        ? { ok: true }
        : { ok: false, status: r.status, text: r.text };
    },
    connected: (id, userId) => {
      unblocking('connected', id, userId);
    },
    disconnected: (id, userId) => {
      unblocking('disconnected', id, userId);
    },
  };
}
