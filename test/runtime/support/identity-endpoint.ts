import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tokenFor } from './data-plane-rbac.js';

/** One token request as the endpoint received it. */
export interface TokenRequest {
  readonly path: string;
  readonly clientId: string | null;
  readonly resource: string | null;
  readonly apiVersion: string | null;
  readonly headerOk: boolean;
  /** When it arrived (`performance.now()` of the test process). */
  readonly at: number;
}

/**
 * A local App Service managed-identity endpoint on 127.0.0.1. The app finds it through `IDENTITY_ENDPOINT`
 * and `IDENTITY_HEADER`; @azure/identity 4.x (through @azure/msal-node's `AppService` source) sends
 * `GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<scope without /.default>&client_id=<id>` with the
 * header `X-IDENTITY-HEADER: <IDENTITY_HEADER>`, and reads `access_token` and `expires_on` (seconds since
 * the epoch) from the answer
 * (https://learn.microsoft.com/azure/app-service/overview-managed-identity; read in @azure/msal-node 7.x, class
 * `AppService`).
 * `tokenUrl` issues tokens; `hangingUrl` accepts the request and never answers (identity endpoint down).
 */
export interface IdentityEndpoint {
  readonly tokenUrl: string;
  readonly hangingUrl: string;
  readonly header: string;
  readonly requests: TokenRequest[];
  stop(): Promise<void>;
}

/**
 * `systemAssigned`: also answer requests without `client_id` (the app's system-assigned identity, which the trace
 * exporter uses); off by default, so a test sees a runtime that forgets a component's client id fail.
 */
export async function startIdentityEndpoint(
  options: { readonly systemAssigned?: boolean } = {},
): Promise<IdentityEndpoint> {
  const header = 'local-identity-header-secret';
  const requests: TokenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: TokenRequest = {
      path: url.pathname,
      clientId: url.searchParams.get('client_id'),
      resource: url.searchParams.get('resource'),
      apiVersion: url.searchParams.get('api-version'),
      headerOk: req.headers['x-identity-header'] === header,
      at: performance.now(),
    };
    requests.push(request);
    if (url.pathname === '/hang/token') return; // never answers
    if (url.pathname !== '/msi/token' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    if (
      !request.headerOk ||
      request.apiVersion !== '2019-08-01' ||
      !request.resource ||
      (!request.clientId && !options.systemAssigned)
    ) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ statusCode: 400, message: 'bad request' }));
      return;
    }
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: tokenFor(request.clientId ?? 'system-assigned'),
        expires_on: String(expiresOn),
        resource: request.resource,
        token_type: 'Bearer',
        client_id: request.clientId ?? 'system-assigned',
      }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    tokenUrl: `http://127.0.0.1:${port}/msi/token`,
    hangingUrl: `http://127.0.0.1:${port}/hang/token`,
    header,
    requests,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
