import { createServer } from 'node:http';
import { localVector } from '../../src/runtime/embed/local-embedder.js';
import { listenOnLoopback, readBody } from './loopback-server.js';

/** One embeddings request the stand-in took. */
export interface TakenEmbedding {
  readonly deployment: string;
  readonly apiVersion: string;
  readonly input: string;
  readonly dimensions?: number;
  /** `api-key` (the placeholder over `http:`) or `Bearer …`. */
  readonly auth: string;
}

/**
 * How the stand-in answers the next requests: `accept`; `throttle-once` (one 429 with `Retry-After: 0`, then
 * accept: the SDK's retry); `unavailable` (503 on every attempt, retries included); `content-filter` (400
 * `content_filter`); `wrong-length` (200 with one number too few).
 */
export type OpenAiMode =
  | 'accept'
  | 'throttle-once'
  | 'unavailable'
  | 'content-filter'
  | 'wrong-length';

/** The running stand-in: its base URL (what `ATAKORA_OPENAI_ENDPOINT` names), what it took, its mode, a stop. */
export interface OpenAiStandIn {
  readonly base: string;
  readonly taken: TakenEmbedding[];
  /** Requests answered (method and path), the SDK's retries included. */
  readonly requests: string[];
  mode: OpenAiMode;
  close(): Promise<void>;
}

/** The most tokens an embedding model takes (Learn: 8,192); the stand-in counts words and punctuation as tokens. */
const MAX_TOKENS = 8192;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  json(status, { error: { code, message } }, headers);

/**
 * A loopback stand-in for Azure OpenAI's embeddings as Learn's REST reference documents the call (Azure OpenAI in
 * Azure AI Foundry Models REST API reference, data plane inference 2024-10-21, "Embeddings - Create"):
 * `POST {endpoint}/openai/deployments/{deployment-id}/embeddings?api-version=…`, auth by an `api-key` header or an
 * `Authorization: Bearer` Entra token, a body `{ input, dimensions?, encoding_format?, user? }` → 200
 * `{ object: 'list', data: [{ object: 'embedding', index: 0, embedding: number[] }], model, usage: { prompt_tokens,
 * total_tokens } }`; errors `{ error: { code, message } }` — 400 for an input over the model's 8,192 tokens or
 * empty, 429 with `Retry-After` when throttled. Its vectors are the local embedder's (deterministic, of the asked
 * `dimensions`, else 1,536). Started and stopped by the test, on 127.0.0.1.
 *
 * @example
 * ```ts
 * const openai = await startOpenAiStandIn();
 * process.env.ATAKORA_OPENAI_ENDPOINT = openai.base;
 * ```
 */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const state = { mode: 'accept' as OpenAiMode, throttled: false };
  const taken: TakenEmbedding[] = [];
  const requests: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? '/', base);
      requests.push(`${req.method ?? ''} ${url.pathname}`);
      const answer = (() => {
        const apiVersion = url.searchParams.get('api-version');
        if (!apiVersion) return error(404, '404', 'Resource not found (no api-version).');
        const apiKey = req.headers['api-key'];
        const bearer = String(req.headers['authorization'] ?? '');
        if (!apiKey && !bearer.startsWith('Bearer '))
          return error(401, '401', 'Access denied due to missing credentials.');
        const route = /^\/openai\/deployments\/([^/]+)\/embeddings$/.exec(url.pathname);
        if (req.method !== 'POST' || !route)
          return error(404, 'DeploymentNotFound', `${req.method ?? ''} ${url.pathname}`);
        const body = JSON.parse(text) as { input?: unknown; dimensions?: unknown };
        if (typeof body.input !== 'string' || body.input === '')
          return error(400, 'invalid_request_error', "'input' must be a non-empty string.");
        const tokens = body.input.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
        if (tokens > MAX_TOKENS)
          return error(
            400,
            'context_length_exceeded',
            `Maximum context length is ${String(MAX_TOKENS)} tokens.`,
          );
        if (state.mode === 'unavailable') return error(503, 'ServiceUnavailable', 'Try later.');
        if (state.mode === 'throttle-once' && !state.throttled) {
          state.throttled = true;
          return error(429, '429', 'Rate limit reached.', { 'retry-after': '0' });
        }
        if (state.mode === 'content-filter')
          return error(400, 'content_filter', 'The input was filtered.');
        const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 1536;
        taken.push({
          deployment: decodeURIComponent(route[1] ?? ''),
          apiVersion,
          input: body.input,
          ...(typeof body.dimensions === 'number' ? { dimensions: body.dimensions } : {}),
          auth: apiKey ? `api-key ${String(apiKey)}` : bearer.slice(0, 7),
        });
        const embedding = localVector(body.input, dimensions);
        if (state.mode === 'wrong-length') embedding.pop();
        return json(200, {
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding }],
          model: 'text-embedding-3-small',
          usage: { prompt_tokens: tokens, total_tokens: tokens },
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
    set mode(m: OpenAiMode) {
      state.mode = m;
      state.throttled = false;
    },
    close: listening.close,
  };
}
