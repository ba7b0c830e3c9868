import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** What one attempt got: the endpoint's status (and its `Retry-After` in ms), or why there was none. */
export interface WebhookAnswer {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly error?: string;
}

/** One attempt's request: the checked URL, the address to connect to, the signed headers and body. */
export interface WebhookRequest {
  readonly url: URL;
  readonly address: { readonly address: string; readonly family: number };
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The whole attempt's bound (DESIGN §2: 10 s per delivery). */
  readonly timeoutMs: number;
  /** Certificates trusted instead of Node's defaults (tests). */
  readonly ca?: string;
}

/**
 * `Retry-After` in milliseconds from `now` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date); undefined when absent
 * or unreadable.
 *
 * @example
 * ```ts
 * retryAfterMs('120', 0); // 120000
 * ```
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POST one delivery: to the address checked just before (the connection never resolves the host again, so DNS
 * rebinding between the check and the connection reaches nothing new), TLS still verifying the certificate for the
 * URL's host name; **no redirect followed** (a 3xx is the answer, a failure — a redirect is how a public URL
 * reaches a private one); the whole attempt bounded by `timeoutMs` (a hanging endpoint costs 10 s, not a worker);
 * the answer's body read no further than 64 KiB and dropped. Never throws.
 *
 * @example
 * ```ts
 * const answer = await sendWebhook({ url, address, headers, body, timeoutMs: 10_000 }, Date.now());
 * ```
 */
export function sendWebhook(req: WebhookRequest, now: number): Promise<WebhookAnswer> {
  const { url } = req;
  const secure = url.protocol === 'https:';
  const named = isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0;
  return new Promise<WebhookAnswer>((resolve) => {
    let settled = false;
    const done = (answer: WebhookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const options = {
      host: req.address.address,
      family: req.address.family,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: {
        ...req.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(req.body, 'utf8')),
        'user-agent': 'atakora-webhooks/1',
        host: url.host,
      },
      agent: false as const,
      ...(secure && named ? { servername: url.hostname } : {}),
      ...(secure && req.ca ? { ca: req.ca } : {}),
    };
    const onAnswer = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const header: string | string[] | undefined = res.headers['retry-after'];
      const after = retryAfterMs(typeof header === 'string' ? header : header?.[0], now);
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024) res.destroy();
      });
      const answered = () => {
        done({ status, ...(after !== undefined ? { retryAfterMs: after } : {}) });
      };
      res.on('end', answered);
      res.on('close', answered);
      res.on('error', answered);
    };
    const r = secure ? httpsRequest(options, onAnswer) : httpRequest(options, onAnswer);
    const timer = setTimeout(() => {
      r.destroy();
      done({ error: `no answer within ${String(req.timeoutMs / 1000)} s` });
    }, req.timeoutMs);
    r.on('error', (e) => {
      done({ error: `could not be reached: ${e.message}` });
    });
    r.end(req.body);
  });
}
