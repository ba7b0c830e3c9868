import type { HttpRequest } from '@azure/functions';

/**
 * What the runtime's handlers read of a request: method, URL, headers, query, route parameters and body.
 *
 * @example
 * ```ts
 * const parts: PlainRequestParts = { method: 'GET', url, headers: new Headers(), query: new URLSearchParams() };
 * ```
 */
export interface PlainRequestParts {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly query: URLSearchParams;
  readonly params?: Readonly<Record<string, string>>;
  /** The body as JSON text: a stream, and `text()`, `json()`, `arrayBuffer()` as the host's request gives them. */
  readonly body?: string | undefined;
}

const UTF8 = new TextEncoder();

/** The doors an in-process request comes through: an MCP tool call, or a function's `dataOf`. */
export type InProcessDoor = 'mcp' | 'handler';

// Where an in-process request says which door made it: a hidden symbol key on the request itself — never read from
// a client (a REST request cannot carry a symbol), gone with the request (pipeline/request-door.ts reads it).
export const IN_PROCESS_DOOR: unique symbol = Symbol('atakora.door');

/**
 * A request the runtime makes for itself (a parent's first children page, a background job's, an operation run
 * in-process: `dataOf`, an MCP tool), as a plain object of what the handlers read, marked with the door it came
 * through when it has one (`door`). Not the host's class: `@azure/functions` is CommonJS, and its classes are no
 * named exports of an ES module bundle.
 *
 * @example
 * ```ts
 * const page = plainRequest({ method: 'GET', url: request.url, headers: request.headers, query: new URLSearchParams({ $first: '10' }) });
 * ```
 */
export function plainRequest(parts: PlainRequestParts, door?: InProcessDoor): HttpRequest {
  // Typed as the host's class the handlers take; they read only what PlainRequest has.
  return new PlainRequest(parts, door) as unknown as HttpRequest;
}

/**
 * The request {@link plainRequest} makes: its fields named one by one (every in-process operation, children page and
 * job makes one), the body's bytes and stream made only when read, `text()`, `json()` and `arrayBuffer()` on the
 * prototype — nothing made per request that a request does not use.
 */
class PlainRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly [IN_PROCESS_DOOR]: InProcessDoor | undefined;
  readonly #text: string | undefined;
  #stream: ReadableStream<Uint8Array> | null | undefined;

  constructor(parts: PlainRequestParts, door: InProcessDoor | undefined) {
    this.method = parts.method;
    this.url = parts.url;
    this.headers = parts.headers;
    this.query = parts.query;
    this.params = { ...parts.params };
    this[IN_PROCESS_DOOR] = door;
    this.#text = parts.body;
  }

  /** The body as a stream of its UTF-8 bytes (one stream, as the host's request gives it), or null for none. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) {
      const text = this.#text;
      const bytes = text === undefined ? undefined : UTF8.encode(text);
      this.#stream = bytes
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes);
              controller.close();
            },
          })
        : null;
    }
    return this.#stream;
  }

  // What a user's handler reads of a body (an MCP tool's arguments), as the host's request gives it.
  text(): Promise<string> {
    return Promise.resolve(this.#text ?? '');
  }

  json(): Promise<unknown> {
    return Promise.resolve(JSON.parse(this.#text ?? '') as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const text = this.#text;
    return Promise.resolve(text === undefined ? new ArrayBuffer(0) : UTF8.encode(text).buffer);
  }
}
