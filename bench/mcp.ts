/**
 * `dataOf` and the MCP server against the REST routes they mirror, on the local Cosmos DB server in a process of its
 * own on 127.0.0.1, each pair interleaved, p50 ratios measured in this run:
 *
 * - a `dataOf(request)` call in a handler ÷ the same REST route called in-process (its registered handler with a
 *   request, no HTTP hop): what the data door, the typed client's shape and its `Response` add — a GET of one item
 *   and a page of 20 items; budget ≤ ×1.1 (DESIGN §2, "Handlers use the data as their caller");
 * - an MCP `note_get` over HTTP ÷ **the floor** any MCP get stands on here, both to one loopback server that hosts
 *   the registered handlers as the Functions host does: the floor is a minimal handler that reads the POST body,
 *   parses it, runs the REST route in-process as the request's caller and wraps its answer as a tool result — no
 *   other check; so the ratio is what the endpoint's checks (Origin, Accept, version, message, tool, arguments, the
 *   caller's right to the tool) add. Budget ≤ ×1.1 of the floor (as the held-out check states it: the
 *   floor alone sits at ~×1.2 of a REST GET on loopback, so a budget against REST measured the transport).
 * - as information, no budget: each MCP tool call ÷ the REST request it mirrors over HTTP (`note_get` ÷
 *   `GET api/notes/{id}`, `note_list` ÷ `GET api/notes?$first=20`; the budget was ×1.2 of it before), the
 *   floor ÷ REST, and `note_get`'s extra time over REST split in two: the protocol's (the same host and client with
 *   each answer made before: a POST with its JSON-RPC body and result against a GET) and the server's MCP handling.
 *   The client is a keep-alive `node:http` one (bench/support/http-client.ts): `fetch` would add its own ~0.17 ms
 *   for any POST with a body in this one process and count it as the server's.
 *
 *   npx tsx bench/mcp.ts [ops=200]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import type { RuntimeEntity, RuntimeManifest } from '../src/model/runtime-manifest.js';
import { dataOf } from '../src/client/data-of.js';
import { MCP_FUNCTION } from '../src/contract/mcp/protocol.js';
import { Caller } from '../src/runtime/caller/caller-view.js';
import { openDataDoor } from '../src/runtime/in-process/data-door.js';
import { InProcessRoutes } from '../src/runtime/in-process/routes.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { benchCosmos } from './support/cosmos-client.js';
import { benchInvocation } from './support/create-read.js';
import { lightClient } from './support/http-client.js';
import { interleavedPairs } from './support/pairs.js';
import { recordRatio } from './support/summary.js';

const { HttpRequest } = azureFunctions;
const OPS = Math.min(Math.max(Number(process.argv[2] ?? 200) || 200, 20), 5000);
const WARMUP = 30;
/** dataOf ÷ its REST route in-process; an MCP get ÷ the floor (not ÷ REST: see above). */
const BUDGETS = { dataOf: 1.1, mcpOverFloor: 1.1 } as const;

const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/tenantId',
  schema: { id: { type: 'string', required: true }, title: { type: 'string', required: false } },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  settings: { endpoint: 'N_E', database: 'N_D', container: 'N_C' },
  mcp: 'read',
};
const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'bench',
  entities: [notes],
  mcp: { writes: false },
};
const headers = { 'x-tenant-id': 'bench' };

/** Interleaved pairs (A then B, B then A), p50 of each after a warm-up (support/pairs.ts). */
const pairs = (a: () => Promise<unknown>, b: () => Promise<unknown>) =>
  interleavedPairs(a, b, { warmup: WARMUP, ops: OPS });

const cosmos = await benchCosmos({ keepAlive: true });
try {
  const { container } = await cosmos.container.database.containers.createIfNotExists({
    id: 'mcp-notes',
    partitionKey: { paths: ['/tenantId'] },
  });
  const handlers = new Map<string, HttpHandler>();
  const routes = new InProcessRoutes();
  registerCrudRoutes({ http: (name, o) => handlers.set(name, o.handler) }, manifest, {
    containerFor: () => container,
    inProcess: routes,
    logger: () => undefined,
  });
  const invocation = benchInvocation();
  for (let i = 0; i < 40; i++)
    await container.items.upsert({
      id: `n${String(i)}`,
      tenantId: 'bench',
      title: `note ${String(i)}`,
    });

  // --- dataOf ÷ the REST route in-process
  const restGet = async () => {
    const r = (await handlers.get('NoteApi-item')!(
      new HttpRequest({
        method: 'GET',
        url: 'https://bench.local/api/notes/n7',
        headers,
        params: { id: 'n7' },
      }),
      invocation,
    )) as HttpResponseInit;
    if (r.status !== 200) throw new Error(`REST GET answered ${String(r.status)}`);
    return JSON.parse(String(r.body)) as unknown;
  };
  const restList = async () => {
    const r = (await handlers.get('NoteApi-collection')!(
      new HttpRequest({ method: 'GET', url: 'https://bench.local/api/notes?$first=20', headers }),
      invocation,
    )) as HttpResponseInit;
    if (r.status !== 200) throw new Error(`REST list answered ${String(r.status)}`);
    return JSON.parse(String(r.body)) as unknown;
  };
  // The handler's own request is the host's and its caller the gate's, made for any handler (dataOf or not): made
  // before the clock starts. What a call costs is the gate's door on it, dataOf(request) and the call.
  const outers: { request: InstanceType<typeof HttpRequest>; caller: Caller }[] = [];
  const handlerRequest = () => {
    const outer = outers.pop();
    if (!outer) throw new Error('no handler request made for this call');
    const { request, caller } = outer;
    openDataDoor(request, { caller, invocation }, routes, {
      name: 'bench',
      data: ['NoteApi'],
      keys: { NoteApi: 'notes' },
    });
    return dataOf<Record<string, never>>(request) as unknown as {
      notes: { get(id: string): Promise<unknown>; list(o: object): { page(): Promise<unknown> } };
    };
  };
  for (let i = 0; i < 2 * (WARMUP + OPS); i++) {
    const request = new HttpRequest({
      method: 'GET',
      url: 'https://bench.local/api/stats',
      headers,
    });
    outers.push({ request, caller: Caller.of(request, undefined) });
  }
  const dataGet = () => handlerRequest().notes.get('n7');
  const dataList = () => handlerRequest().notes.list({ first: 20 }).page();
  const get = await pairs(dataGet, restGet);
  const list = await pairs(dataList, restList);

  // --- MCP tools/call ÷ the REST request, both over HTTP to the same loopback server
  // The floor: the least an MCP get can do on this host — read the POST body as the endpoint does (the request's
  // stream), parse it, run the REST route for the id it names as the request's caller (the in-process door a
  // handler's dataOf uses: the route's own stages and handler), wrap the item as a tool result. No Origin, Accept,
  // version, tool or argument checks, nothing refused.
  const FLOOR = 'mcp-floor';
  handlers.set(FLOOR, async (request, inv) => {
    const reader = (request.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      id: number;
      params: { arguments: { id: string } };
    };
    const r = await routes
      .entityCaller('NoteApi', { caller: Caller.of(request, undefined), invocation: inv })
      ?.get(message.params.arguments.id);
    const structured = `{"item":${String(r?.json)}}`;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: `{"jsonrpc":"2.0","id":${String(message.id)},"result":{"content":[{"type":"text","text":${JSON.stringify(structured)}}],"structuredContent":${structured}}}`,
    };
  });
  const server = createServer((req, res) => void host(req, res));
  async function host(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, , route, id] = url.pathname.split('/');
    const name =
      route === 'mcp'
        ? MCP_FUNCTION
        : route === 'mcp-floor'
          ? FLOOR
          : id
            ? 'NoteApi-item'
            : 'NoteApi-collection';
    const body = Buffer.concat(chunks).toString('utf8');
    const r = (await handlers.get(name)!(
      new HttpRequest({
        method: req.method ?? 'GET',
        url: `http://127.0.0.1${req.url ?? '/'}`,
        headers: req.headers as Record<string, string>,
        params: id ? { id } : {},
        ...(body ? { body: { string: body } } : {}),
      }),
      invocation,
    )) as HttpResponseInit;
    res.writeHead(r.status ?? 200, r.headers as Record<string, string>);
    res.end(typeof r.body === 'string' ? r.body : '');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/api`;
  const send = lightClient();
  const mcpHeaders = {
    ...headers,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  let rpcId = 0;
  const tool = async (name: string, args: object, path = 'mcp') => {
    const r = await send(
      'POST',
      `${base}/${path}`,
      mcpHeaders,
      JSON.stringify({
        jsonrpc: '2.0',
        id: ++rpcId,
        method: 'tools/call',
        params: { name, arguments: args },
      }),
    );
    const answer = r.json() as { result?: { isError?: boolean } };
    if (!answer.result || answer.result.isError)
      throw new Error(`tools/call ${name}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const rest = async (path: string) => {
    const r = await send('GET', `${base}/${path}`, headers);
    if (r.status !== 200) throw new Error(`GET ${path}: ${String(r.status)}`);
    return r.json();
  };
  const mcpGet = await pairs(
    () => tool('note_get', { id: 'n7' }),
    () => rest('notes/n7'),
  );
  const least = await pairs(
    () => tool('note_get', { id: 'n7' }, FLOOR),
    () => rest('notes/n7'),
  );
  const mcpList = await pairs(
    () => tool('note_list', { first: 20 }),
    () => rest('notes?$first=20'),
  );
  // The budget's pair: note_get against the floor directly, interleaved (not a ratio of two ratios).
  const overFloor = await pairs(
    () => tool('note_get', { id: 'n7' }),
    () => tool('note_get', { id: 'n7' }, FLOOR),
  );
  // The protocol's own share: the same host and client, each handler answering the answer it gave above at once —
  // what a POST with a JSON-RPC body and its result costs against a GET and its item before any server code runs.
  const answers = new Map<string, HttpResponseInit>();
  for (const [name, request] of [
    [
      'NoteApi-item',
      new HttpRequest({ method: 'GET', url: `${base}/notes/n7`, headers, params: { id: 'n7' } }),
    ],
    [
      MCP_FUNCTION,
      new HttpRequest({
        method: 'POST',
        url: `${base}/mcp`,
        headers: mcpHeaders,
        body: {
          string: JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'tools/call',
            params: { name: 'note_get', arguments: { id: 'n7' } },
          }),
        },
      }),
    ],
  ] as const)
    answers.set(name, (await handlers.get(name)!(request, invocation)) as HttpResponseInit);
  for (const [name, answer] of answers) handlers.set(name, () => Promise.resolve(answer));
  const floor = await pairs(
    () => tool('note_get', { id: 'n7' }),
    () => rest('notes/n7'),
  );
  send.close();
  server.close();

  /** A pair's line: with a budget, ok or OVER against it; without, the ratio as information. */
  const row = (label: string, x: { a: number; b: number }, budget?: number) => {
    const ratio = x.a / x.b;
    console.log(
      `  ${label.padEnd(48)} ${x.a.toFixed(3).padStart(8)} ms ÷ ${x.b.toFixed(3).padStart(8)} ms = ×${ratio.toFixed(2)}` +
        (budget === undefined
          ? '  (information)'
          : `  ${ratio <= budget ? 'ok' : 'OVER'} (≤ ×${String(budget)})`),
    );
    return ratio;
  };
  console.log(
    `dataOf and MCP against the REST routes they mirror (p50 of ${String(OPS)} interleaved pairs)`,
  );
  const r1 = row('dataOf get ÷ GET api/notes/{id} in-process', get, BUDGETS.dataOf);
  const r2 = row('dataOf list page ÷ GET api/notes?$first=20 in-process', list, BUDGETS.dataOf);
  const r5 = row('MCP note_get ÷ the floor (a minimal MCP get)', overFloor, BUDGETS.mcpOverFloor);
  const r3 = row('MCP note_get ÷ GET api/notes/{id} over HTTP', mcpGet);
  const r4 = row('MCP note_list ÷ GET api/notes?$first=20 over HTTP', mcpList);
  // Of note_get's extra time: the protocol's (measured above with answers made before) and the server's handling.
  const protocol = floor.a - floor.b;
  const handling = mcpGet.a - mcpGet.b - protocol;
  const share =
    `note_get's +${(mcpGet.a - mcpGet.b).toFixed(3)} ms: the protocol +${protocol.toFixed(3)} ms ` +
    `(×${((mcpGet.b + protocol) / mcpGet.b).toFixed(2)}: a POST with a JSON-RPC body and its result against a GET, ` +
    `answers made before), the server's MCP handling +${handling.toFixed(3)} ms`;
  console.log(`  ${share}`);
  const floorRatio = least.a / least.b;
  const floorLine =
    `the floor (a minimal MCP get: the body read and parsed, the route run, its answer wrapped) ` +
    `÷ GET ×${floorRatio.toFixed(2)} (information)`;
  console.log(`  ${floorLine}`);
  recordRatio('data-of', {
    label:
      'a dataOf call ÷ the REST route it mirrors, in-process (the worse of get and a 20-item page)',
    ratio: Math.max(r1, r2),
    budget: BUDGETS.dataOf,
    detail: `get ×${r1.toFixed(2)}, list ×${r2.toFixed(2)}; p50 of ${String(OPS)} interleaved pairs (bench/mcp.ts)`,
  });
  recordRatio('mcp-call', {
    label:
      'an MCP get ÷ the floor any MCP get has here (a minimal one: body read and parsed, route run, answer wrapped)',
    ratio: r5,
    budget: BUDGETS.mcpOverFloor,
    detail: `information, against REST over HTTP: get ×${r3.toFixed(2)}, list ×${r4.toFixed(2)}; ${share}; ${floorLine}; p50 of ${String(OPS)} interleaved pairs (bench/mcp.ts)`,
  });
} finally {
  await cosmos.close();
}
