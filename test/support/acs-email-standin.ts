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
}

/**
 * How the stand-in answers the next sends: `accept` (202, then the operation `Succeeded`), `reject-400` (400
 * `BadRequest` at once), `unavailable` (503 on every attempt, the SDK's retries included), `operation-failed` (202,
 * then the operation `Failed`).
 */
export type AcsEmailMode = 'accept' | 'reject-400' | 'unavailable' | 'operation-failed';

/** The running stand-in: its base URL (what `ATAKORA_EMAIL_ENDPOINT` names), what it took, its mode, a stop. */
export interface AcsEmailStandIn {
  readonly base: string;
  readonly taken: TakenEmail[];
  /** Requests answered, by method and path (the SDK's retries and polls included). */
  readonly requests: string[];
  mode: AcsEmailMode;
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
 * It checks what the SDK must send: an `api-version`, an HMAC `Authorization` (the placeholder key over `http:`),
 * `x-ms-content-sha256`; anything else is 400. Started and stopped by the test, on 127.0.0.1.
 *
 * @example
 * ```ts
 * const acs = await startAcsEmailStandIn();
 * process.env.ATAKORA_EMAIL_ENDPOINT = acs.base;
 * ```
 */
export async function startAcsEmailStandIn(): Promise<AcsEmailStandIn> {
  const operations = new Map<string, 'Succeeded' | 'Failed'>();
  const state = { mode: 'accept' as AcsEmailMode };
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
          if (state.mode === 'reject-400')
            return json(400, { error: { code: 'InvalidSenderAddress', message: 'Rejected.' } });
          if (state.mode === 'unavailable')
            return json(503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } });
          const message = JSON.parse(text) as Omit<TakenEmail, 'authorization'>;
          if (
            !message.senderAddress ||
            !message.content?.subject ||
            !message.recipients?.to?.length
          )
            return json(400, { error: { code: 'BadRequest', message: 'Incomplete message.' } });
          taken.push({ ...message, authorization });
          const id = randomUUID();
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
    close: listening.close,
  };
}
