import type { Server } from 'node:http';

/**
 * How long a local server (the dev host, a dev site, the dev Cosmos DB server) keeps an idle keep-alive
 * connection: a minute, where Node's default is 5 s.
 *
 * With 5 s, a client whose event loop is busy for a few seconds (a machine under load, a synchronous schema
 * compile, a breakpoint) reuses its pooled connection just as the server closes it, and the request fails with
 * "other side closed" / ECONNRESET, an error that has nothing to do with the request. Clients drop idle
 * connections by the server's `Keep-Alive: timeout=` hint or their own shorter timeout (undici: 4 s; Node's
 * agent: on `free`), so with the server keeping them this long the client is the side that closes first. Azure's
 * own front ends keep idle connections for minutes too, so nothing here behaves unlike the cloud.
 *
 * @example
 * ```ts
 * const server = keepIdleConnections(createServer(handler));
 * ```
 */
export const LOCAL_KEEP_ALIVE_MS = 60_000;

/**
 * Sets {@link LOCAL_KEEP_ALIVE_MS} on `server` (and the headers timeout above it, as Node requires); returns it.
 *
 * @example
 * ```ts
 * const server = keepIdleConnections(createServer(handler));
 * ```
 */
export function keepIdleConnections<S extends Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>>(
  server: S,
): S {
  server.keepAliveTimeout = LOCAL_KEEP_ALIVE_MS;
  // A request's headers must be allowed longer than an idle connection is kept.
  server.headersTimeout = Math.max(server.headersTimeout, LOCAL_KEEP_ALIVE_MS + 1_000);
  return server;
}
