import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.js';

/** One message the stand-in took, as the Email REST API's `EmailMessage` names its fields. */
export interface TakenEmail {
  readonly senderAddress: string;
  readonly content: {
    readonly subject: string;
    readonly plainText?: string;
    readonly html?: string;
  };
  readonly recipients: { readonly to: readonly { readonly address: string }[] };
  /** The request's `Authorization` header (the SDK's HMAC signature with the placeholder key). */
  readonly authorization: string;
  /** The request's `Operation-Id` header (the send's operation id), when it had one. */
  readonly operationId?: string;
  /** When the stand-in took it (ms, its clock's). */
  readonly at: number;
}

/**
 * How the stand-in answers the next sends: `accept` (202, then the operation `Succeeded`), `reject-400` (400
 * `BadRequest` at once), `unavailable` (503 on every attempt, the SDK's retries included), `operation-failed` (202,
 * then the operation `Failed`), `throttled` (429 with `Retry-After` on every send: the subscription's limit reached),
 * `status-throttled` (202, then 429 on every status read: accepted, its status unreadable).
 */
export type AcsEmailMode =
  | 'accept'
  | 'reject-400'
  | 'unavailable'
  | 'operation-failed'
  | 'throttled'
  | 'status-throttled';

/**
 * A sending limit as ACS counts it (Learn, "Service limits for Azure Communication Services", Email: e-mails per
 * subscription per minute or hour): past `max` accepted sends within `windowMs`, a send is 429 with `Retry-After` the
 * whole seconds until the oldest of them leaves the window.
 */
export interface AcsSendLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** The running stand-in: its base URL (what `ATAKORA_EMAIL_ENDPOINT` names), what it took, its mode, a stop. */
export interface AcsEmailStandIn {
  readonly base: string;
  readonly taken: TakenEmail[];
  /** Requests answered, by method and path (the SDK's retries and polls included). */
  readonly requests: string[];
  mode: AcsEmailMode;
  /** A sliding-window sending limit (none: unbounded). */
  limit: AcsSendLimit | undefined;
  /** `Retry-After` seconds of `throttled` (default 1). */
  retryAfterSeconds: number;
  /** Sends answered 429, by their `Operation-Id`. */
  readonly throttled: string[];
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', 'x-ms-request-id': randomUUID(), ...headers },
});

/**
 * A loopback stand-in for Azure Communication Services Email as the REST reference documents the two calls the
 * `@azure/communication-email` SDK makes (Learn, "Email - Send" and "Email - Get Send Result", Communication Services
 * data plane REST API, api-version 2025-09-01; azure-rest-api-specs `specification/communication/data-plane/Email`):
 *
 * - `POST /emails:send?api-version=…` with an `EmailMessage` (`senderAddress`, `content: { subject, plainText,
 *   html }`, `recipients.to[]`) → 202 `{ id, status: 'Running' }` with `Operation-Location` (the operation's URL)
 *   and `Retry-After`; errors are an `ErrorResponse` `{ error: { code, message } }` with a 4xx or 5xx.
 * - `GET /emails/operations/{operationId}?api-version=…` → 200 `{ id, status: 'Succeeded' | 'Failed' | …, error? }`.
 *
 * - Past a sending limit (`limit`, or `mode: 'throttled'`): 429 with `Retry-After` (seconds) and an `ErrorResponse`,
 *   taking nothing — Learn, "Service limits for Azure Communication Services", Email: "If you exceed the following
 *   limits on your subscription, your requests are rejected. You can attempt these requests again, when the
 *   Retry-After time has passed."
 *
 * It checks what the SDK must send: an `api-version`, an HMAC `Authorization` (the placeholder key over `http:`),
 * `x-ms-content-sha256`; anything else is 400. Started and stopped by the test, on 127.0.0.1. Its sending window
 * counts in `options.now`'s milliseconds (the wall clock by default; a test that skips its waits gives its own clock).
 *
 * @example
 * ```ts
 * const acs = await startAcsEmailStandIn();
 * process.env.ATAKORA_EMAIL_ENDPOINT = acs.base;
 * ```
 */
export async function startAcsEmailStandIn(
  options: { readonly now?: () => number } = {},
): Promise<AcsEmailStandIn> {
  const now = options.now ?? Date.now;
  const operations = new Map<string, 'Succeeded' | 'Failed'>();
  const state = {
    mode: 'accept' as AcsEmailMode,
    limit: undefined as AcsSendLimit | undefined,
    retryAfterSeconds: 1,
  };
  /** When each accepted send came (the window the limit counts in). */
  const sentAt: number[] = [];
  const throttled: string[] = [];
  const taken: TakenEmail[] = [];
  const requests: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? '/', base);
      requests.push(`${req.method ?? ''} ${url.pathname}`);
      const answer = (() => {
        if (!url.searchParams.get('api-version'))
          return json(400, {
            error: { code: 'MissingApiVersion', message: 'api-version is required.' },
          });
        const authorization = String(req.headers['authorization'] ?? '');
        if (!authorization.startsWith('HMAC-SHA256 ') || !req.headers['x-ms-content-sha256'])
          return json(401, { error: { code: 'Unauthorized', message: 'Not signed.' } });
        if (req.method === 'POST' && url.pathname === '/emails:send') {
          const operationId = String(req.headers['operation-id'] ?? '');
          const wait = throttleWait(state, sentAt, now());
          if (wait !== undefined) {
            throttled.push(operationId);
            return json(
              429,
              { error: { code: 'TooManyRequests', message: 'The sending limit is reached.' } },
              { 'Retry-After': String(wait) },
            );
          }
          if (state.mode === 'reject-400')
            return json(400, { error: { code: 'InvalidSenderAddress', message: 'Rejected.' } });
          if (state.mode === 'unavailable')
            return json(503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } });
          const message = JSON.parse(text) as Omit<TakenEmail, 'authorization' | 'at'>;
          if (
            !message.senderAddress ||
            !message.content?.subject ||
            !message.recipients?.to?.length
          )
            return json(400, { error: { code: 'BadRequest', message: 'Incomplete message.' } });
          const at = now();
          taken.push({ ...message, authorization, at, ...(operationId ? { operationId } : {}) });
          sentAt.push(at);
          const id = operationId || randomUUID();
          operations.set(id, state.mode === 'operation-failed' ? 'Failed' : 'Succeeded');
          const location = `${base}/emails/operations/${id}?api-version=${url.searchParams.get('api-version') ?? ''}`;
          return json(
            202,
            { id, status: 'Running' },
            { 'Operation-Location': location, 'Retry-After': '0' },
          );
        }
        const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
        if (req.method === 'GET' && op) {
          if (state.mode === 'status-throttled')
            return json(
              429,
              { error: { code: 'TooManyRequests', message: 'The status read limit is reached.' } },
              { 'Retry-After': '60' },
            );
          const status = operations.get(op[1] ?? '');
          if (!status)
            return json(404, { error: { code: 'NotFound', message: 'No such operation.' } });
          return json(200, {
            id: op[1],
            status,
            ...(status === 'Failed'
              ? { error: { code: 'EmailDroppedAllRecipientsSuppressed', message: 'Dropped.' } }
              : {}),
          });
        }
        return json(404, {
          error: { code: 'NotFound', message: `${req.method ?? ''} ${url.pathname}` },
        });
      })();
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  const listening = await listenOnLoopback(server);
  base = listening.base;
  return {
    base,
    taken,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(m: AcsEmailMode) {
      state.mode = m;
    },
    get limit() {
      return state.limit;
    },
    set limit(l: AcsSendLimit | undefined) {
      state.limit = l;
    },
    get retryAfterSeconds() {
      return state.retryAfterSeconds;
    },
    set retryAfterSeconds(n: number) {
      state.retryAfterSeconds = n;
    },
    throttled,
    close: listening.close,
  };
}

/** The `Retry-After` seconds of a send refused now, or undefined when it may go. */
function throttleWait(
  state: { mode: AcsEmailMode; limit: AcsSendLimit | undefined; retryAfterSeconds: number },
  sentAt: readonly number[],
  now: number,
): number | undefined {
  if (state.mode === 'throttled') return state.retryAfterSeconds;
  const limit = state.limit;
  if (!limit) return undefined;
  const inWindow = sentAt.filter((t) => t > now - limit.windowMs);
  if (inWindow.length < limit.max) return undefined;
  return Math.max(1, Math.ceil((inWindow[0]! + limit.windowMs - now) / 1000));
}
