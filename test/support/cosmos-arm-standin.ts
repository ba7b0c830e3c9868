import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restorableRoutes } from './cosmos-arm-restorable.js';
import { privateEndpointRoutes } from './network-arm-standin.js';
import { searchRoutes, type SearchState } from './cosmos-arm-search.js';

/** One request the stand-in answered. */
export interface ArmCall {
  /** When it came (process.hrtime.bigint(): comparable with the data-plane gate's requests, ./cosmos-gate.ts). */
  readonly seq: bigint;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A container of the live account and when it was created (what Restorable Sql Resources lists as at a time). */
export interface StandInContainer {
  readonly database: string;
  readonly container: string;
  createdOn: string;
}

/** How the stand-in behaves; tests change it between runs. */
export interface CosmosArmBehaviour {
  /** The live account's backup policy type. */
  backup: 'Continuous' | 'Periodic';
  /** The restorable instance's creation time. */
  creationTime: string;
  /** How many looks at an operation answer InProgress before Succeeded. */
  pollsBeforeDone: number;
  /** Answer DELETE of a temporary account with 500. */
  failDelete: boolean;
  /** Answer 404 to Get of the live account (a Resource Manager that does not show it). */
  hideLive: boolean;
  /** The live account's network properties (Database Accounts - Get). */
  liveNetwork: Record<string, unknown>;
  /** The live account's containers and their creation times. */
  containers: StandInContainer[];
  /** How far the latest restorable time trails now (Retrieve Continuous Backup Information); 'epoch': not yet. */
  backupLagMs: number | 'epoch';
  /**
   * Keep the network properties a restore PUT sends. False (default): the restored account comes up open to every
   * network, as Learn says a restore brings back no firewall setting (and hashicorp/terraform-provider-azurerm#20552
   * saw it happen).
   */
  restoreKeepsNetwork: boolean;
  /** Accept a PATCH of an account (the temporary one's network, the live one's capabilities) and change nothing. */
  patchIgnored: boolean;
  /** The private endpoint connection's state once created. */
  endpointConnection: string;
  /** Where the temporary account's data plane answers (its `documentEndpoint`). */
  restoredEndpoint: string;
}

/** A temporary account the stand-in made. */
export interface StandInAccount {
  tags: Record<string, string>;
  state: string;
  properties: Record<string, unknown>;
}

/** A loopback Resource Manager for Cosmos DB accounts and point-in-time restores. */
export interface CosmosArmStandIn {
  readonly endpoint: string;
  readonly calls: ArmCall[];
  readonly behaviour: CosmosArmBehaviour;
  /** Temporary accounts that exist now, by name. */
  readonly accounts: Map<string, StandInAccount>;
  /** Private endpoints that exist now, by name: their body and state. */
  readonly endpoints: Map<
    string,
    { body: Record<string, any>; zoneGroups: string[]; state: string }
  >;
  /** The live account's containers made through Resource Manager, identities and data role assignments. */
  readonly search: SearchState;
  stop(): Promise<void>;
}

/** What a route handler of the stand-in gets. */
export interface StandInRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: any;
  readonly send: (status: number, body?: unknown, headers?: Record<string, string>) => void;
  /** A new long-running operation: its `Azure-AsyncOperation` URL; `done` runs when it succeeds. */
  readonly operation: (done: () => void) => string;
  /** A URL the stand-in answers 202 at `polls` times, then 200 with `result` (a `Location` poll). */
  readonly locationResult: (polls: number, result: unknown) => string;
  readonly standIn: CosmosArmStandIn;
}

const ACCOUNT = new RegExp(
  '^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.DocumentDB/databaseAccounts/([^/]+)' +
    '(/sqlRoleAssignments/([^/]+))?$',
);
/** The network keys a restore or an Update (PATCH) of an account writes. */
const NETWORK_KEYS = [
  'publicNetworkAccess',
  'ipRules',
  'isVirtualNetworkFilterEnabled',
  'virtualNetworkRules',
  'networkAclBypass',
  'networkAclBypassResourceIds',
];
const OPEN = { publicNetworkAccess: 'Enabled', ipRules: [], isVirtualNetworkFilterEnabled: false };
const pick = (p: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => k in p).map((k) => [k, p[k]]));

/**
 * Start a Resource Manager stand-in on 127.0.0.1 that answers what `atakora tenant restore` asks, as the REST
 * reference (api-version 2024-08-15 for Cosmos DB, 2025-01-01 for the network) describes it:
 * - Database Accounts - Get: the live account (West Europe, its backup policy and network); a temporary account:
 *   404 until created, `Creating` until its operation ends, then `Succeeded` with `documentEndpoint`.
 * - Database Accounts - Create Or Update (`createMode: 'Restore'`): 201 with `Azure-AsyncOperation`, polled
 *   `pollsBeforeDone` times InProgress; 400 when `databasesToRestore` names a container that did not exist at
 *   `restoreTimestampInUtc` (Azure restores only what existed then). The account comes up open to every network
 *   unless `restoreKeepsNetwork`.
 * - Database Accounts - Update (PATCH): 200 with `Azure-AsyncOperation`; a temporary account's network keys, the live
 *   account's capabilities, applied when it ends.
 * - Database Accounts - Delete, the SQL role assignment: 202 with an operation.
 * - Restorable Database Accounts - List By Location, Restorable Sql Resources - List, Sql Resources - Retrieve
 *   Continuous Backup Information: ./cosmos-arm-restorable.ts.
 * - Private Endpoints and Private Dns Zone Groups - Create Or Update, Get, Delete: ./network-arm-standin.ts.
 * Every call is recorded.
 *
 * @example
 * ```ts
 * const arm = await startCosmosArmStandIn(past.endpoint);
 * process.env['ATAKORA_ARM_ENDPOINT'] = arm.endpoint;
 * ```
 */
export async function startCosmosArmStandIn(restoredEndpoint: string): Promise<CosmosArmStandIn> {
  const created = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
  const behaviour: CosmosArmBehaviour = {
    backup: 'Continuous',
    creationTime: created,
    pollsBeforeDone: 2,
    failDelete: false,
    hideLive: false,
    liveNetwork: { publicNetworkAccess: 'Enabled', ipRules: [{ ipAddressOrRange: '203.0.113.7' }] },
    containers: [
      { database: 'note-db', container: 'note', createdOn: created },
      { database: 'task-db', container: 'task', createdOn: created },
      { database: 'product-db', container: 'product', createdOn: created },
      { database: 'atakora', container: 'tenants', createdOn: created },
    ],
    backupLagMs: 60_000,
    restoreKeepsNetwork: false,
    patchIgnored: false,
    endpointConnection: 'Approved',
    restoredEndpoint,
  };
  const operations = new Map<string, { polls: number; done: () => void; result?: unknown }>();
  let next = 0;
  let endpoint = '';
  const standIn: CosmosArmStandIn = {
    get endpoint() {
      return endpoint;
    },
    calls: [],
    behaviour,
    accounts: new Map(),
    endpoints: new Map(),
    search: {
      containers: new Map(),
      identities: new Map(),
      assignments: new Map(),
      capabilities: ['EnableServerless', 'EnableNoSQLVectorSearch', 'EnableNoSQLFullTextSearch'],
    },
    async stop() {
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    standIn.calls.push({
      seq: process.hrtime.bigint(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    const send = (status: number, b?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(b === undefined ? '' : JSON.stringify(b));
    };
    if (req.headers.authorization === undefined) return send(401, { error: { code: 'NoToken' } });
    const op = /^\/operations\/(.+)$/.exec(path);
    if (op) {
      const o = operations.get(op[1]!);
      if (!o) return send(404);
      if (o.polls-- > 0)
        return o.result === undefined ? send(200, { status: 'InProgress' }) : send(202);
      o.done();
      return o.result === undefined ? send(200, { status: 'Succeeded' }) : send(200, o.result);
    }
    const r: StandInRequest = {
      method,
      path,
      query: url.searchParams,
      body,
      send,
      standIn,
      operation: (done) => {
        const id = `op-${String(++next)}`;
        operations.set(id, { polls: behaviour.pollsBeforeDone, done });
        return `${endpoint}/operations/${id}`;
      },
      locationResult: (polls, result) => {
        const id = `op-${String(++next)}`;
        operations.set(id, { polls, done: () => undefined, result });
        return `${endpoint}/operations/${id}?api-version=2024-08-15`;
      },
    };
    if (restorableRoutes(r) || privateEndpointRoutes(r) || searchRoutes(r)) return;
    accountRoutes(r);
  };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      handle(req, res, text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return standIn;
}

/** Database Accounts - Get, Create Or Update (restore), Update, Delete, and the SQL role assignment. */
function accountRoutes(r: StandInRequest): void {
  const { method, path, send, standIn } = r;
  const { behaviour, accounts } = standIn;
  const account = ACCOUNT.exec(path);
  if (!account) return send(404, { error: { code: 'NotFound', message: path } });
  const [, , , name, assignment] = account as unknown as [string, string, string, string, string?];
  const id = path.replace(/\/sqlRoleAssignments\/.*$/, '');
  const temp = /-r[0-9a-f]{10}$/.test(name);
  if (assignment) {
    if (method !== 'PUT' || !accounts.has(name)) return send(404);
    return send(202, undefined, { 'azure-asyncoperation': r.operation(() => undefined) });
  }
  if (method === 'GET') {
    if (!temp && behaviour.hideLive) return send(404, { error: { code: 'ResourceNotFound' } });
    if (!temp)
      return send(200, {
        id,
        name,
        location: 'West Europe',
        kind: 'GlobalDocumentDB',
        tags: {},
        properties: {
          provisioningState: 'Succeeded',
          documentEndpoint: `https://${name}.documents.azure.com:443/`,
          ...behaviour.liveNetwork,
          capabilities: standIn.search.capabilities.map((name) => ({ name })),
          backupPolicy:
            behaviour.backup === 'Continuous'
              ? { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
              : { type: 'Periodic' },
        },
      });
    const a = accounts.get(name);
    if (!a) return send(404, { error: { code: 'ResourceNotFound', message: `${name} not found` } });
    return send(200, {
      id,
      name,
      location: 'West Europe',
      tags: a.tags,
      properties: {
        provisioningState: a.state,
        ...a.properties,
        ...(a.state === 'Succeeded' ? { documentEndpoint: behaviour.restoredEndpoint } : {}),
      },
    });
  }
  if (method === 'PUT' && temp) return restoreAccount(r, name);
  if (method === 'PATCH' && !temp) return patchLive(r, id, name);
  if (method === 'PATCH' && temp) {
    const a = accounts.get(name);
    if (!a) return send(404, { error: { code: 'ResourceNotFound' } });
    const change = pick((r.body?.properties ?? {}) as Record<string, unknown>, NETWORK_KEYS);
    return send(
      200,
      { id, name, properties: { provisioningState: 'Updating' } },
      {
        'azure-asyncoperation': r.operation(() => {
          if (!behaviour.patchIgnored) Object.assign(a.properties, change);
        }),
      },
    );
  }
  if (method === 'DELETE' && temp) {
    const a = accounts.get(name);
    if (!a) return send(404);
    if (behaviour.failDelete)
      return send(500, { error: { code: 'InternalServerError', message: 'boom' } });
    a.state = 'Deleting';
    return send(202, undefined, {
      'azure-asyncoperation': r.operation(() => {
        accounts.delete(name);
      }),
    });
  }
  return send(405, { error: { code: 'MethodNotAllowed', message: `${method} ${path}` } });
}

/**
 * Database Accounts - Update of the live account: its `capabilities` (a list replaces the account's; Learn, "Vector
 * search in Azure Cosmos DB for NoSQL": `az cosmosdb update --capabilities EnableNoSQLVectorSearch` on a live
 * account) applied when the operation ends; nothing else of the live account is modelled.
 */
function patchLive(r: StandInRequest, id: string, name: string): void {
  const caps = (r.body?.properties?.capabilities ?? undefined) as { name: string }[] | undefined;
  return r.send(
    200,
    { id, name, properties: { provisioningState: 'Updating' } },
    {
      'azure-asyncoperation': r.operation(() => {
        if (caps && !r.standIn.behaviour.patchIgnored)
          r.standIn.search.capabilities = caps.map((c) => c.name);
      }),
    },
  );
}

/** Create Or Update with `createMode: 'Restore'`: refused for a container that did not exist at the time. */
function restoreAccount(r: StandInRequest, name: string): void {
  const { behaviour, accounts } = r.standIn;
  const body = r.body as {
    tags: Record<string, string>;
    properties: Record<string, any>;
  };
  const params = body.properties['restoreParameters'] as {
    restoreTimestampInUtc: string;
    databasesToRestore: { databaseName: string; collectionNames: string[] }[];
  };
  const t = Date.parse(params.restoreTimestampInUtc);
  for (const d of params.databasesToRestore)
    for (const c of d.collectionNames)
      if (
        !behaviour.containers.some(
          (x) => x.database === d.databaseName && x.container === c && Date.parse(x.createdOn) <= t,
        )
      )
        return r.send(400, {
          error: {
            code: 'BadRequest',
            message: `Collection ${c} in database ${d.databaseName} does not exist at the restore timestamp.`,
          },
        });
  const a: StandInAccount = {
    tags: body.tags,
    state: 'Creating',
    properties: behaviour.restoreKeepsNetwork ? pick(body.properties, NETWORK_KEYS) : { ...OPEN },
  };
  accounts.set(name, a);
  return r.send(201, body, {
    'azure-asyncoperation': r.operation(() => {
      a.state = 'Succeeded';
    }),
  });
}
