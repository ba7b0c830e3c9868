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
import { MCP_ROUTE } from '../../../contract/mcp/protocol.js';
import { DEV_USER_HEADER } from '../sign-in/sign-in.js';
import { keepIdleConnections } from '../../../kit/node/keep-alive.js';
import { checkHost, decodePath, DEV_ADMIN_KEY_ENV, originTrusted } from '../loopback/guard.js';
import { startDevTraces, TRACE_VIEW_PATH } from '../traces/traces.js';
import { serveAdmin } from './admin.js';
import { OUTBOX_PATH, serveOutbox } from './outbox-route.js';
import { OUTBOX_DIR_SETTING } from '../../../model/email.js';
import { problem, send } from './answers.js';
import { protectedResourceOf } from './protected-resource.js';
import { corsOf, exemptFromSignIn, signedIn, workerCallers } from './app-service-auth.js';
import { runHttpFunction } from './http-functions.js';
import { DEV_QUIET_ENV, exitWithDevCommand } from './lifeline.js';
import { startTimers } from './timers.js';
import { triggerOf, WorkerFunctions, type Registered } from './worker-functions.js';

exitWithDevCommand();
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
const functions = new WorkerFunctions(core.state.functions, process.env[DEV_QUIET_ENV] === '1');
const callers = workerCallers(process.env);
const PRM = protectedResourceOf(process.env);
const ADMIN_KEY = process.env[DEV_ADMIN_KEY_ENV] ?? '';
// The port the Host header must name: the one asked for, or the one listen() picked (set once listening).
let PORT = Number(portArg);

/**
 * One request, in the order App Service and the Functions host take it: which page may drive this server
 * (loopback/guard.ts: a loopback Host first against DNS rebinding, malformed input 400), the trace view, the
 * admin API, CORS and its preflights, sign-in (401 before the app), then the HTTP function whose route matches.
 */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  if (url.pathname === OUTBOX_PATH && method === 'GET') {
    await serveOutbox(res, process.env[OUTBOX_DIR_SETTING]);
    return;
  }
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const trusted = originTrusted(origin, callers.origins, hostHeader);
  if (method === 'POST' && /^\/admin\/functions\/([^/]+)$/.test(url.pathname))
    return serveAdmin(req, res, { name: segments[2], trusted, adminKey: ADMIN_KEY, functions });
  const cors = corsOf(req, origin, callers.origins);
  // A preflight is answered by the platform (App Service CORS) before the app, with or without a token.
  if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(cors.preflight ? 204 : 403, cors.preflight ?? {});
    res.end();
    return;
  }
  // App Service's protected-resource metadata (the MCP server's sign-in discovery), served without sign-in.
  const self = `http://${hostHeader ?? `127.0.0.1:${String(PORT)}`}`;
  if (PRM && method === 'GET' && PRM.serves(url.pathname)) {
    send(res, 200, PRM.document(self), cors.out);
    return;
  }
  // The backend's own authorization server's metadata (mcp.authorization), at the host's root as RFC 8414 puts it.
  const asMetadata =
    PRM && method === 'GET' ? PRM.authorizationServer(url.pathname, self) : undefined;
  if (asMetadata) {
    send(res, 200, asMetadata, { ...cors.out, 'cache-control': 'public, max-age=3600' });
    return;
  }
  const { headers, principal } = await signedIn(req, trusted, callers);
  const apiPath = segments[0]?.toLowerCase() === 'api' ? segments.slice(1) : undefined;
  // A page of another origin goes in anonymous; on the MCP endpoint the app answers it itself (403: runtime/mcp/
  // origin.ts, MCP transports), as in Azure when App Service lets such a request through with its session cookie.
  const foreignToMcp =
    origin !== undefined &&
    !trusted &&
    apiPath?.length === 1 &&
    apiPath[0]?.toLowerCase() === MCP_ROUTE;
  // The backend's own agent token at the MCP door (mcp.authorization) is the runtime's to check: let through, as in
  // Azure where App Service authentication cannot validate it (runtime/members/agents/agent-tenants.ts).
  const agentAtMcp =
    PRM?.ownsAgents === true &&
    apiPath?.length === 1 &&
    apiPath[0]?.toLowerCase() === MCP_ROUTE &&
    /^Bearer\s+\S+\.\S+\.\S+$/i.test(req.headers.authorization ?? '');
  // With the backend as the MCP door's own authorization server, a request there naming no one — no bearer, no
  // x-atakora-dev-user — is an agent not signed in yet: 401 with the challenge, as the runtime's door answers it in
  // Azure (api/mcp is an excluded path there), so a hosted client starts its OAuth flow instead of being lent the
  // session's user. A developer still names a caller per request with x-atakora-dev-user.
  const agentToSignIn =
    PRM?.ownsAgents === true &&
    apiPath?.length === 1 &&
    apiPath[0]?.toLowerCase() === MCP_ROUTE &&
    req.headers.authorization === undefined &&
    req.headers[DEV_USER_HEADER] === undefined;
  // App Service authentication answers 401 before the app runs, on every path but the exempt ones.
  if (
    agentToSignIn ||
    (callers.authRequired &&
      !principal &&
      !foreignToMcp &&
      !agentAtMcp &&
      !exemptFromSignIn(apiPath, callers.anonymousPaths))
  ) {
    problem(
      res,
      'unauthenticated',
      'Sign in: App Service authentication answers 401 to a request without a valid token (in dev: a request ' +
        'marked x-atakora-dev-user: anonymous, or from an origin that is not a dev origin).',
      { ...cors.out, 'www-authenticate': PRM ? PRM.challenge(self) : 'Bearer' },
    );
    return;
  }
  const call = { method, url, headers, hostHeader, corsOut: cors.out };
  if (apiPath && (await runHttpFunction(req, res, { ...call, apiPath }, functions))) return;
  // With CORS headers, so a browser on a dev origin sees the 404 instead of a CORS failure.
  problem(res, 'not-found', `No function serves ${method} ${url.pathname}.`, cors.out);
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
const stopTimers = startTimers(functions);
// Queue triggers fire on real messages, as in Azure: each queue polled on Azurite (queue-triggers.ts).
const queueFunctions = functions.ofType('queueTrigger');
let queuePolling: { stop(): Promise<void> } | undefined;
if (queueFunctions.length > 0) {
  void import('./queue-triggers.js').then(({ startQueueTriggers }) => {
    queuePolling = startQueueTriggers(
      queueFunctions.map((f) => ({
        name: f.metadata.name,
        queueName: triggerOf(f)?.queueName ?? '',
        connection: triggerOf(f)?.connection ?? 'AzureWebJobsStorage',
        invoke: (input, metadata) => functions.invoke(f, input, metadata),
      })),
      process.env,
      (line) => {
        console.error(line);
      },
    );
  });
}
// onChange hears every writer, as the change feed trigger does in Azure: dev's containers polled (change-feed-triggers.ts).
const feedFunctions = functions.ofType('cosmosDBTrigger');
const feedPolling =
  feedFunctions.length > 0
    ? (await import('./change-feed-triggers.js')).startChangeFeedTriggers(
        feedFunctions.map((f) => ({
          name: f.metadata.name,
          connection: triggerOf(f)?.connection ?? '',
          database: triggerOf(f)?.databaseName ?? '',
          container: triggerOf(f)?.containerName ?? '',
          invoke: (documents) => functions.invoke(f, documents),
        })),
        process.env,
        (line) => {
          console.error(line);
        },
      )
    : undefined;
// Ready only once each feed has been read: a write from then on reaches its functions (change-feed-triggers.ts).
await feedPolling?.ready;
server.listen(Number(portArg), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  PORT = port;
  process.stdout.write(`@@READY@@${JSON.stringify({ port, functions: functions.indexed() })}\n`);
});
process.on('SIGTERM', () => {
  stopTimers();
  void Promise.all([queuePolling?.stop(), feedPolling?.stop(), traces.shutdown()]).then(() => {
    server.close(() => process.exit(0));
  });
});
