/**
 * The `atakora dev` worker: one process per Function App. Like the Azure Functions Node.js worker it
 * requires the package's `main` (with the stand-in `@azure/functions-core` on NODE_PATH), indexes what it
 * registered, then serves HTTP functions under `/api/<route>` and invokes any function through the host's
 * admin API shape, `POST /admin/functions/<name>` with `{ "input": ... }` (queue message, timer).
 * argv: <appDir> <port>. Prints one `@@READY@@<json>` line when listening.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// A CommonJS package without named ESM exports: import the whole module.
import functionsModule, { type HttpResponse as HttpResponseType, type HttpResponseInit } from '@azure/functions';
import { matchRoute } from './dev-routes.js';
import { firesAt } from './dev-schedule.js';
import { corsHeadersFor, DEFAULT_DEV_USER, DEV_ORIGINS_ENV, DEV_TENANT_CLAIM_ENV, DEV_USER_ENV, DEV_USER_HEADER, principalHeaderFor, type DevUser } from './dev-sign-in.js';

interface Registered {
  metadata: { name: string; bindings: Record<string, { type: string; direction: string; route?: string; methods?: string[] }> };
  callback: (...args: unknown[]) => unknown;
}

const { HttpRequest, HttpResponse, InvocationContext } = functionsModule;
type HttpResponse = HttpResponseType;
type InvocationContext = InstanceType<typeof InvocationContext>;
const [appDir = '.', portArg = '0'] = process.argv.slice(2);
const require = createRequire(join(appDir, 'package.json'));
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { main: string };
const core = require('@azure/functions-core') as { state: { functions: Registered[] } };
require(join(appDir, pkg.main));
const functions = core.state.functions;
const trigger = (f: Registered) => Object.values(f.metadata.bindings).find((b) => b.direction === 'in');
let invocations = 0;
// Who calls (dev-sign-in.ts): the session's user, or the one a request names in x-atakora-dev-user.
const SESSION_USER = process.env[DEV_USER_ENV] ? (JSON.parse(process.env[DEV_USER_ENV]) as DevUser) : DEFAULT_DEV_USER;
const ORIGINS = (process.env[DEV_ORIGINS_ENV] ?? '').split(',').filter(Boolean);
const TENANT_CLAIM = process.env[DEV_TENANT_CLAIM_ENV] || 'tid';

function context(name: string): InvocationContext {
  invocations += 1;
  return new InvocationContext({ functionName: name, invocationId: `dev-${String(invocations)}` });
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
  if (admin && method === 'POST') {
    const fn = functions.find((f) => f.metadata.name === decodeURIComponent(admin[1]!));
    if (!fn) { send(res, 404, { error: `no function ${admin[1]!}` }); return; }
    const text = await body(req);
    const input = text ? (JSON.parse(text) as { input?: unknown }).input : undefined;
    await fn.callback(trigger(fn)?.type === 'timerTrigger' ? { isPastDue: false, ...(input as object | undefined) } : input, context(fn.metadata.name));
    send(res, 202, { invoked: fn.metadata.name });
    return;
  }
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const requested = req.headers['access-control-request-headers'];
  const cors = corsHeadersFor(origin, ORIGINS, typeof requested === 'string' ? requested : undefined);
  // A preflight is answered by the platform (App Service CORS) before the app, with or without a token.
  if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(cors ? 204 : 403, cors ?? {});
    res.end();
    return;
  }
  const path = url.pathname.replace(/^\/api\/?/, '');
  for (const fn of functions) {
    const t = trigger(fn);
    if (t?.type !== 'httpTrigger' || !url.pathname.startsWith('/api/') || !(t.methods ?? []).includes(method)) continue;
    const params = matchRoute(t.route ?? fn.metadata.name, path);
    if (!params) continue;
    const text = await body(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    // App Service authentication drops a caller-sent principal and sets the validated caller's; locally the
    // caller is the session's user or the one the request names (x-atakora-dev-user), never a forged header.
    Reflect.deleteProperty(headers, 'x-ms-client-principal');
    const principal = principalHeaderFor(headers[DEV_USER_HEADER], SESSION_USER, TENANT_CLAIM);
    Reflect.deleteProperty(headers, DEV_USER_HEADER);
    if (principal) headers['x-ms-client-principal'] = principal;
    const request = new HttpRequest({
      method, url: url.href, headers, params, query: Object.fromEntries(url.searchParams),
      ...(text ? { body: { string: text } } : {}),
    });
    const result = (await fn.callback(request, context(fn.metadata.name))) as HttpResponseInit | HttpResponse | undefined;
    // The bundle has its own copy of the HttpResponse class: accept any response-shaped object.
    const response = result && typeof (result as HttpResponse).arrayBuffer === 'function' ? (result as HttpResponse) : new HttpResponse(result ?? {});
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...(cors ? { 'access-control-allow-origin': cors['access-control-allow-origin']!, vary: 'Origin', 'access-control-expose-headers': cors['access-control-expose-headers']! } : {}) });
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  // With CORS headers, so a browser on a dev origin sees the 404 instead of a CORS failure.
  send(res, 404, { error: `no function serves ${method} ${url.pathname}` }, cors ? { 'access-control-allow-origin': cors['access-control-allow-origin']!, vary: 'Origin' } : {});
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(json));
}

const server = createServer((req, res) => {
  serve(req, res).catch((e: unknown) => {
    console.error(e);
    if (!res.headersSent) send(res, 500, { error: String(e) });
    else res.end();
  });
});
// A port taken between the dev command's check and this listen: one line, no unhandled 'error' event.
server.once('error', (e: NodeJS.ErrnoException) => {
  process.stderr.write(`cannot listen on 127.0.0.1:${portArg}: ${e.code === 'EADDRINUSE' ? 'the port is in use (DEV_PORT_IN_USE); --port picks another' : e.message}\n`);
  process.exit(1);
});
server.listen(Number(portArg), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const indexed = functions.map((f) => ({ ...trigger(f), name: f.metadata.name }));
  process.stdout.write(`@@READY@@${JSON.stringify({ port, functions: indexed })}\n`);
});
// Timers fire on their schedule, as in Azure: checked once a second, on the second.
const timers = functions.filter((f) => trigger(f)?.type === 'timerTrigger');
let ticker: NodeJS.Timeout | undefined;
if (timers.length > 0) {
  setTimeout(() => {
    ticker = setInterval(() => {
      const now = new Date();
      for (const f of timers) {
        const schedule = (trigger(f) as { schedule?: string } | undefined)?.schedule ?? '';
        if (!firesAt(schedule, now)) continue;
        Promise.resolve(f.callback({ isPastDue: false }, context(f.metadata.name))).catch((e: unknown) => { console.error(e); });
      }
    }, 1000);
  }, 1000 - (Date.now() % 1000));
}
process.on('SIGTERM', () => {
  if (ticker) clearInterval(ticker);
  server.close(() => process.exit(0));
});
