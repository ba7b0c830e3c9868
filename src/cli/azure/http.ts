import { AzureRequestError } from './errors.js';

/** One call to an Azure endpoint. */
export interface AzureRequest {
  /** For errors: `Resource Manager`, `Key Vault`, … */
  readonly service: string;
  /** For errors: what is asked, in words. */
  readonly what: string;
  readonly url: string;
  readonly method?: string;
  /** A bearer token for the call, when it takes one. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (sent as application/json), or bytes/text as they are. */
  readonly json?: unknown;
  readonly body?: Uint8Array | string;
  /** Default 60 s. */
  readonly timeoutMs?: number;
  /** A signal of the caller's (a poll's attempt), instead of the timeout. */
  readonly signal?: AbortSignal;
  readonly redirect?: 'follow' | 'manual' | 'error';
  /** Another fetch (tests inject one). */
  readonly fetch?: typeof fetch;
}

/** What came back: the status, the headers and the whole body as text. */
export interface AzureAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is empty or not JSON. */
  json(): unknown;
}

/**
 * Make one call to Azure and read its answer: the bearer token, the body, a deadline (60 s unless given), the
 * whole answer read. Any status is an answer, for the caller to judge ({@link expectOk} for "2xx or an error");
 * no answer at all (DNS, refused, timeout) is an {@link AzureRequestError} without a status.
 *
 * @example
 * ```ts
 * const a = await azureRequest({ service: 'Resource Manager', what: 'reading the app', url, token });
 * if (a.status === 404) …
 * ```
 */
export async function azureRequest(request: AzureRequest): Promise<AzureAnswer> {
  const hasBody = request.json !== undefined || request.body !== undefined;
  const method = request.method ?? 'GET';
  let res: Response;
  try {
    res = await (request.fetch ?? fetch)(request.url, {
      method,
      headers: {
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
        // Resource Manager refuses a bodiless POST/PUT without a length (411).
        ...(!hasBody && method !== 'GET' && method !== 'HEAD' ? { 'content-length': '0' } : {}),
        ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
      // A view over an ArrayBuffer (what fetch's BodyInit names once the DOM library is in the program: elements/).
      ...(request.body !== undefined
        ? { body: request.body as Uint8Array<ArrayBuffer> | string }
        : {}),
      ...(request.redirect ? { redirect: request.redirect } : {}),
      signal: request.signal ?? AbortSignal.timeout(request.timeoutMs ?? 60_000),
    });
  } catch (e) {
    throw new AzureRequestError(request.service, request.what, { cause: e });
  }
  const text = method === 'HEAD' ? '' : await res.text();
  return {
    status: res.status,
    ok: res.ok,
    headers: res.headers,
    text,
    json() {
      try {
        return text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The answer when it is a 2xx, else an {@link AzureRequestError} with its status and body.
 *
 * @example
 * ```ts
 * const a = expectOk(await azureRequest(request), request);
 * ```
 */
export function expectOk(
  answer: AzureAnswer,
  request: Pick<AzureRequest, 'service' | 'what'>,
): AzureAnswer {
  if (answer.ok) return answer;
  throw new AzureRequestError(request.service, request.what, {
    status: answer.status,
    body: answer.text,
  });
}

/**
 * {@link azureRequest} then {@link expectOk}: the 2xx answer, or the error.
 *
 * @example
 * ```ts
 * const settings = (await azureOk({ service: 'Resource Manager', what: 'listing settings', url, token, method: 'POST' })).json();
 * ```
 */
export async function azureOk(request: AzureRequest): Promise<AzureAnswer> {
  return expectOk(await azureRequest(request), request);
}
