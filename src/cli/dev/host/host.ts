/**
 * The `atakora dev` worker: one process per Function App. Like the Azure Functions Node.js worker it
 * loads the package's `main` (with the stand-in `@azure/functions-core` on NODE_PATH), indexes what it
 * registered, then serves HTTP functions under `/api/<route>` and invokes any function through the host's
 * admin API shape, `POST /admin/functions/<name>` with `{ "input": ... }` (queue message, timer); queue
 * triggers also run on the messages of their queues on Azurite, timers on their schedule.
 * argv: <appDir> <port>. Prints one `@@READY@@<json>` line when listening.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// A CommonJS package without named ESM exports: import the whole module.
import functionsModule, {
  type HttpResponse as HttpResponseType,
  type HttpResponseInit,
} from '@azure/functions';
import { matchSegments } from './routes.js';
import { problemDocument, type ProblemCode } from '../../../contract/problems.js';
import {
  ADMIN_KEY_HEADER,
  adminAllowed,
  checkHost,
  decodePath,
  DEV_ADMIN_KEY_ENV,
  DEV_ANONYMOUS_ENV,
  DEV_AUTH_ENV,
  originTrusted,
} from '../loopback/guard.js';
import { hostRouteOrder } from '../../../kit/pure/route-order.js';
import { firesAt } from './schedule.js';
import { startDevTraces, TRACE_VIEW_PATH } from '../traces/traces.js';
import { keepIdleConnections } from '../../../kit/node/keep-alive.js';
import { tenantSignedIn } from '../seed/tenant-seed-signal.js';
import {
  callerOf,
  corsHeadersFor,
  DEFAULT_DEV_USER,
  DEV_ORIGINS_ENV,
  DEV_TENANT_CLAIM_ENV,
  DEV_USER_ENV,
  DEV_USER_HEADER,
  principalHeaderFor,
  type DevUser,
} from '../sign-in/sign-in.js';

interface Registered {
  metadata: {
    name: string;
    bindings: Record<
      string,
      {
        type: string;
        direction: string;
        route?: string;
        methods?: string[];
        queueName?: string;
        connection?: string;
      }
    >;
  };
  callback: (...args: unknown[]) => unknown;
}

const { HttpRequest, HttpResponse, InvocationContext } = functionsModule;
type HttpResponse = HttpResponseType;
type InvocationContext = InstanceType<typeof InvocationContext>;
const [appDir = '.', portArg = '0'] = process.argv.slice(2);
const appRequire = createRequire(join(appDir, 'package.json'));
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as {
  main: string;
  type?: string;
};
const core = appRequire('@azure/functions-core') as { state: { functions: Registered[] } };
// Started before the package loads, loaded beside it: spans go to the trace view (and an OTLP endpoint if set).
const traces = startDevTraces(process.env);
// As the worker loads `main` (azure-functions-nodejs-worker, src/loadScriptFile.ts): import() for an ES module
// (`.mjs`, or `.js` under "type": "module", what packages are: packaging/esm-package.ts), else require().
const mainFile = join(appDir, pkg.main);
if (mainFile.endsWith('.mjs') || (!mainFile.endsWith('.cjs') && pkg.type === 'module'))
  await import(pathToFileURL(mainFile).href);
else appRequire(mainFile);
const functions = core.state.functions;
const trigger = (f: Registered) =>
  Object.values(f.metadata.bindings).find((b) => b.direction === 'in');
let invocations = 0;
// Who calls (cli/dev/sign-in/sign-in.ts): the session's user, or the one a request names in x-atakora-dev-user.
const SESSION_USER = process.env[DEV_USER_ENV]
  ? (JSON.parse(process.env[DEV_USER_ENV]) as DevUser)
  : DEFAULT_DEV_USER;
const ORIGINS = (process.env[DEV_ORIGINS_ENV] ?? '').split(',').filter(Boolean);
const TENANT_CLAIM = process.env[DEV_TENANT_CLAIM_ENV] || 'tid';
const ADMIN_KEY = process.env[DEV_ADMIN_KEY_ENV] ?? '';
const AUTH_REQUIRED = process.env[DEV_AUTH_ENV] !== '0';
const ANONYMOUS_PATHS = new Set(
  (process.env[DEV_ANONYMOUS_ENV] ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => p.toLowerCase()),
);
// The port the Host header must name: the one asked for, or the one listen() picked (set once listening).
let PORT = Number(portArg);
const HTTP_FUNCTIONS = hostRouteOrder(
  functions
    .filter((f) => trigger(f)?.type === 'httpTrigger')
    .map((f) => ({ ...f, name: f.metadata.name })),
);

function context(name: string, triggerMetadata?: Record<string, unknown>): InvocationContext {
  invocations += 1;
  return new InvocationContext({
    functionName: name,
    invocationId: `dev-${String(invocations)}`,
    ...(triggerMetadata ? { triggerMetadata } : {}),
  });
}

/** Run a non-HTTP function with its trigger's input: the admin route and the queue poller both come here. */
async function invoke(
  fn: Registered,
  input: unknown,
  triggerMetadata?: Record<string, unknown>,
): Promise<unknown> {
  return await fn.callback(
    trigger(fn)?.type === 'timerTrigger'
      ? { isPastDue: false, ...(input as object | undefined) }
      : input,
    context(fn.metadata.name, triggerMetadata),
  );
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Which page may drive this server (cli/dev/loopback/guard.ts): a loopback Host first (DNS rebinding), malformed input 400.
  const hostHeader = req.headers.host;
  const refused = checkHost(hostHeader, PORT);
  if (refused) {
    problem(res, refused.slug, refused.detail);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const segments = decodePath(url.pathname);
  if (!segments) {
    problem(res, 'bad-path', 'The path has malformed percent-encoding.');
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname === TRACE_VIEW_PATH && method === 'GET' && traces.serve(res, url)) return;
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const trusted = originTrusted(origin, ORIGINS, hostHeader);
  const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
  if (admin && method === 'POST') {
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    if (
      !adminAllowed(
        {
          key: header(ADMIN_KEY_HEADER),
          contentType: header('content-type'),
          secFetchSite: header('sec-fetch-site'),
        },
        ADMIN_KEY,
        trusted,
      )
    ) {
      problem(
        res,
        'admin-key-required',
        `Invoking functions needs the admin key atakora dev printed (${ADMIN_KEY_HEADER}: <key>) or a JSON ` +
          `request (Content-Type: application/json) from a trusted origin.`,
      );
      return;
    }
    const fn = functions.find((f) => f.metadata.name === segments[2]);
    if (!fn) {
      problem(res, 'not-found', `No function ${segments[2]!}.`);
      return;
    }
    const text = await body(req);
    let input: unknown;
    try {
      const parsed: unknown = text.trim() ? JSON.parse(text) : {};
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new SyntaxError('not an object');
      input = (parsed as { input?: unknown }).input;
    } catch {
      problem(res, 'invalid-json', 'The body must be a JSON object: { "input": … }.');
      return;
    }
    await invoke(fn, input);
    send(res, 202, { invoked: fn.metadata.name });
    return;
  }
  const requested = req.headers['access-control-request-headers'];
  const cors = corsHeadersFor(
    origin,
    ORIGINS,
    typeof requested === 'string' ? requested : undefined,
  );
  const corsOut: Record<string, string> = cors
    ? {
        'access-control-allow-origin': cors['access-control-allow-origin']!,
        vary: 'Origin',
        'access-control-expose-headers': cors['access-control-expose-headers']!,
      }
    : {};
  // A preflight is answered by the platform (App Service CORS) before the app, with or without a token.
  if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(cors ? 204 : 403, cors ?? {});
    res.end();
    return;
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  // App Service authentication drops a caller-sent principal and sets the validated caller's; locally the
  // caller is the session's user or the one the request names (x-atakora-dev-user) — from a trusted origin
  // only: another page goes in anonymous, as a page without a token does in Azure.
  Reflect.deleteProperty(headers, 'x-ms-client-principal');
  // A tenant's first signed-in request waits for dev to seed its empty view (cli/dev/seed/tenant-seed-signal.ts).
  if (trusted) await tenantSignedIn(callerOf(headers[DEV_USER_HEADER], SESSION_USER));
  const principal = trusted
    ? principalHeaderFor(headers[DEV_USER_HEADER], SESSION_USER, TENANT_CLAIM)
    : undefined;
  Reflect.deleteProperty(headers, DEV_USER_HEADER);
  if (principal) headers['x-ms-client-principal'] = principal;
  const apiPath = segments[0]?.toLowerCase() === 'api' ? segments.slice(1) : undefined;
  // App Service authentication answers 401 before the app runs, on every path but the exempt /api/health
  // (every method: resources/functions/auth-settings.ts ANONYMOUS_PATHS) — user handlers included.
  // Anonymous functions' literal paths too, as their excludedPaths entries (resources/functions/auth-settings.ts).
  const exempt =
    apiPath !== undefined &&
    ((apiPath.length === 1 && apiPath[0]!.toLowerCase() === 'health') ||
      ANONYMOUS_PATHS.has(`/api/${apiPath.join('/')}`.toLowerCase()));
  if (AUTH_REQUIRED && !principal && !exempt) {
    problem(
      res,
      'unauthenticated',
      'Sign in: App Service authentication answers 401 to a request without a valid token (in dev: a request ' +
        'marked x-atakora-dev-user: anonymous, or from an origin that is not a dev origin).',
      { ...corsOut, 'www-authenticate': 'Bearer' },
    );
    return;
  }
  // Routes in the host's order: by function name (kit/pure/route-order.ts), first template and method match wins.
  for (const fn of HTTP_FUNCTIONS) {
    const t = trigger(fn);
    if (apiPath === undefined || !(t?.methods ?? []).includes(method)) continue;
    const params = matchSegments(t?.route ?? fn.metadata.name, apiPath);
    if (!params) continue;
    const text = await body(req);
    const request = new HttpRequest({
      method,
      url: `http://${hostHeader ?? '127.0.0.1'}${req.url ?? '/'}`,
      headers,
      params,
      query: Object.fromEntries(url.searchParams),
      ...(text ? { body: { string: text } } : {}),
    });
    let result: HttpResponseInit | HttpResponse | undefined;
    try {
      result = (await fn.callback(request, context(fn.metadata.name))) as
        | HttpResponseInit
        | HttpResponse
        | undefined;
    } catch (e) {
      // The Functions host answers a handler that throws with a bare 500; here the message helps, and the CORS
      // headers let a page on a dev origin read it instead of failing the request as a CORS error.
      console.error(e);
      problem(
        res,
        'internal',
        `${fn.metadata.name} threw: ${e instanceof Error ? e.message : String(e)} (the stack is in the ` +
          `atakora dev output; in Azure the Functions host answers 500 with no body).`,
        corsOut,
      );
      return;
    }
    // The bundle has its own copy of the HttpResponse class: accept any response-shaped object.
    const response =
      result && typeof (result as HttpResponse).arrayBuffer === 'function'
        ? (result as HttpResponse)
        : new HttpResponse(result ?? {});
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...corsOut });
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  // With CORS headers, so a browser on a dev origin sees the 404 instead of a CORS failure.
  problem(res, 'not-found', `No function serves ${method} ${url.pathname}.`, corsOut);
}

/** An `application/problem+json` answer (RFC 9457) built from a code of the problem table, as the runtime's. */
function problem(
  res: ServerResponse,
  code: ProblemCode,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const doc = problemDocument(code, detail);
  res.writeHead(doc.status, {
    'content-type': 'application/problem+json; charset=utf-8',
    ...headers,
  });
  res.end(JSON.stringify(doc));
}

function send(
  res: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(json));
}

const server = keepIdleConnections(
  createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent)
        problem(
          res,
          'internal',
          `atakora dev failed to answer: ${e instanceof Error ? e.message : String(e)}`,
        );
      else res.end();
    });
  }),
);
// A port taken between the dev command's check and this listen: one line, no unhandled 'error' event.
server.once('error', (e: NodeJS.ErrnoException) => {
  process.stderr.write(
    `cannot listen on 127.0.0.1:${portArg}: ` +
      `${e.code === 'EADDRINUSE' ? 'the port is in use (DEV_PORT_IN_USE); --port picks another' : e.message}\n`,
  );
  process.exit(1);
});
server.listen(Number(portArg), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  PORT = port;
  const indexed = functions.map((f) => ({ ...trigger(f), name: f.metadata.name }));
  process.stdout.write(`@@READY@@${JSON.stringify({ port, functions: indexed })}\n`);
});
// Timers fire on their schedule, as in Azure: checked once a second, on the second.
const timers = functions.filter((f) => trigger(f)?.type === 'timerTrigger');
let ticker: NodeJS.Timeout | undefined;
if (timers.length > 0) {
  setTimeout(
    () => {
      ticker = setInterval(() => {
        const now = new Date();
        for (const f of timers) {
          const schedule = (trigger(f) as { schedule?: string } | undefined)?.schedule ?? '';
          if (!firesAt(schedule, now)) continue;
          Promise.resolve(f.callback({ isPastDue: false }, context(f.metadata.name))).catch(
            (e: unknown) => {
              console.error(e);
            },
          );
        }
      }, 1000);
    },
    1000 - (Date.now() % 1000),
  );
}
// Queue triggers fire on real messages, as in Azure: each queue polled on Azurite (cli/dev/host/queue-triggers.ts).
const queueFunctions = functions.filter((f) => trigger(f)?.type === 'queueTrigger');
let queuePolling: { stop(): Promise<void> } | undefined;
if (queueFunctions.length > 0) {
  void import('./queue-triggers.js').then(({ startQueueTriggers }) => {
    queuePolling = startQueueTriggers(
      queueFunctions.map((f) => ({
        name: f.metadata.name,
        queueName: trigger(f)?.queueName ?? '',
        connection: trigger(f)?.connection ?? 'AzureWebJobsStorage',
        invoke: (input, metadata) => invoke(f, input, metadata),
      })),
      process.env,
      (line) => {
        console.error(line);
      },
    );
  });
}
process.on('SIGTERM', () => {
  if (ticker) clearInterval(ticker);
  void Promise.all([queuePolling?.stop(), traces.shutdown()]).then(() => {
    server.close(() => process.exit(0));
  });
});
