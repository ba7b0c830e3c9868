import type { IncomingMessage, ServerResponse } from 'node:http';
import { at } from '../../../model/at.js';
import { checkHost, decodePath } from '../loopback/guard.js';
import type { HubConnections } from './hub-connections.js';
import { compileFilter, type FilterSubject } from './hub-filter.js';
import { verifyHs256 } from './hub-jwt.js';

/** What the REST side of the hub needs: its name, port, key, clock and connections. */
export interface HubRestContext {
  readonly hub: string;
  readonly port: number;
  readonly endpoint: string;
  readonly key: string;
  readonly now: () => number;
  readonly connections: HubConnections;
  /** Called with each group send accepted. */
  readonly onSend: (group: string, data: unknown) => void;
}

/**
 * Serve one REST call of the hub: `POST /api/hubs/<hub>/groups/<group>/:send[?filter=…]` and
 * `POST /api/hubs/<hub>/:send`, with a bearer JWT signed with the key for this URL (what `@azure/web-pubsub` sends
 * with an `AzureKeyCredential`); 202. Only loopback `Host` names on this port (421 otherwise: DNS rebinding).
 *
 * @example
 * ```ts
 * server.on('request', (req, res) => { serveRest(req, res, context); });
 * ```
 */
export function serveRest(req: IncomingMessage, res: ServerResponse, ctx: HubRestContext): void {
  const refused = checkHost(req.headers.host, ctx.port);
  if (refused) {
    answer(res, refused.status, refused.detail);
    return;
  }
  const url = new URL(req.url ?? '/', ctx.endpoint);
  const route = restRoute(url.pathname);
  if (req.method !== 'POST' || !route) {
    answer(res, route === null ? 400 : 404, 'Not a Web PubSub REST route the hub serves.');
    return;
  }
  if (route.hub !== ctx.hub) {
    answer(res, 404, `No hub ${route.hub}.`);
    return;
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const auth = bearer ? verifyHs256(bearer, ctx.key, Math.floor(ctx.now() / 1000)) : undefined;
  if (!auth?.ok) {
    answer(res, 401, `Unauthorized: ${auth ? auth.reason : 'no bearer token'}.`);
    return;
  }
  const aud = auth.claims.aud === undefined ? undefined : safeUrl(auth.claims.aud);
  if (!aud || aud.pathname !== url.pathname) {
    answer(res, 401, 'Unauthorized: wrong audience.');
    return;
  }
  let filter: ((s: FilterSubject) => boolean) | undefined;
  const filterText = url.searchParams.get('filter');
  try {
    filter = filterText === null ? undefined : compileFilter(filterText);
  } catch (e) {
    answer(res, 400, `Invalid filter: ${(e as Error).message}`);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const contentType = (req.headers['content-type'] ?? 'application/octet-stream').toLowerCase();
    const data = bodyData(Buffer.concat(chunks), contentType);
    if (data === NOT_JSON) {
      answer(res, 400, 'The body is not JSON.');
      return;
    }
    const { group } = route;
    if (route.close) {
      // Web PubSub REST "Close connections in a specific group": 204.
      if (group !== undefined)
        ctx.connections.closeGroup(group, url.searchParams.get('reason') ?? 'closed by the server');
      res.writeHead(204).end();
      return;
    }
    if (group === undefined)
      for (const g of ctx.connections.groups())
        ctx.connections.deliver(g, data, contentType, filter);
    else ctx.connections.deliver(group, data, contentType, filter);
    if (group !== undefined) ctx.onSend(group, data);
    res.writeHead(202).end();
  });
}

const NOT_JSON = Symbol('not JSON');

/** A send's data as the JSON subprotocol carries it: parsed JSON, text, or base64 for binary. */
function bodyData(body: Buffer, contentType: string): unknown {
  const text = body.toString('utf8');
  if (contentType.startsWith('application/json')) {
    try {
      return JSON.parse(text);
    } catch {
      return NOT_JSON;
    }
  }
  return contentType.startsWith('text/plain') ? text : body.toString('base64');
}

/**
 * The hub and group of a REST route the hub serves (`/api/hubs/<hub>/:send`, `/api/hubs/<hub>/groups/<group>/:send`,
 * `/api/hubs/<hub>/groups/<group>/:closeConnections`), `undefined` for another path, `null` for malformed
 * percent-encoding.
 */
function restRoute(
  pathname: string,
): { hub: string; group?: string; close?: true } | undefined | null {
  const parts = decodePath(pathname);
  if (!parts) return null;
  if (parts[0] !== 'api' || parts[1] !== 'hubs' || parts[2] === undefined) return undefined;
  if (parts.length === 4 && parts[3] === ':send') return { hub: parts[2] };
  if (parts.length === 6 && parts[3] === 'groups' && parts[5] === ':send')
    return { hub: parts[2], group: at(parts, 4) };
  if (parts.length === 6 && parts[3] === 'groups' && parts[5] === ':closeConnections')
    return { hub: parts[2], group: at(parts, 4), close: true };
  return undefined;
}

/**
 * A URL, or undefined when `s` is not one (a token's `aud`).
 *
 * @example
 * ```ts
 * safeUrl('not a url'); // undefined
 * ```
 */
export function safeUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, detail: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(detail);
}
