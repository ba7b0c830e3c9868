import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in answered. */
export interface ArmCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
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
}

/** A loopback Resource Manager for Cosmos DB accounts and point-in-time restores. */
export interface CosmosArmStandIn {
  readonly endpoint: string;
  readonly calls: ArmCall[];
  readonly behaviour: CosmosArmBehaviour;
  /** Temporary accounts that exist now, by name: their tags and state. */
  readonly accounts: Map<string, { tags: Record<string, string>; state: string }>;
  stop(): Promise<void>;
}

const ACCOUNT = new RegExp(
  '^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.DocumentDB/databaseAccounts/([^/]+)' +
    '(/sqlRoleAssignments/([^/]+))?$',
);
const RESTORABLE =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.DocumentDB\/locations\/([^/]+)\/restorableDatabaseAccounts$/;
const INSTANCE = 'b2b7a0a1-0000-4000-8000-00000000c05d';

/**
 * Start a Resource Manager stand-in on 127.0.0.1 that answers what `atakora tenant restore` asks, as the REST
 * reference describes it: Database Accounts - Get (the live account: West Europe, its backup policy; a temporary
 * account: 404 until created, `Creating` until its operation ends, then `Succeeded` with `documentEndpoint`
 * `restoredEndpoint`), Restorable Database Accounts - List By Location (one live instance of every account asked
 * about, plus an unrelated account), Create Or Update (201 with `Azure-AsyncOperation`, polled
 * `pollsBeforeDone` times InProgress), the SQL role assignment (202 with an operation) and Delete (202 with an
 * operation; the account is gone after). Every call is recorded.
 *
 * @example
 * ```ts
 * const arm = await startCosmosArmStandIn(past.endpoint);
 * process.env['ATAKORA_ARM_ENDPOINT'] = arm.endpoint;
 * ```
 */
export async function startCosmosArmStandIn(restoredEndpoint: string): Promise<CosmosArmStandIn> {
  const calls: ArmCall[] = [];
  const behaviour: CosmosArmBehaviour = {
    backup: 'Continuous',
    creationTime: new Date(Date.now() - 2 * 24 * 3600_000).toISOString(),
    pollsBeforeDone: 2,
    failDelete: false,
    hideLive: false,
  };
  const accounts = new Map<string, { tags: Record<string, string>; state: string }>();
  const operations = new Map<string, { polls: number; done: () => void }>();
  let next = 0;
  let endpoint = '';
  const operation = (done: () => void): string => {
    const id = `op-${String(++next)}`;
    operations.set(id, { polls: 0, done });
    return `${endpoint}/operations/${id}`;
  };
  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    calls.push({ method, path, body: text ? (JSON.parse(text) as unknown) : undefined });
    if (req.headers.authorization === undefined)
      return send(res, 401, { error: { code: 'NoToken' } });
    const op = /^\/operations\/(.+)$/.exec(path);
    if (op) {
      const o = operations.get(op[1]!);
      if (!o) return send(res, 404);
      if (o.polls++ < behaviour.pollsBeforeDone) return send(res, 200, { status: 'InProgress' });
      o.done();
      return send(res, 200, { status: 'Succeeded' });
    }
    const restorable = RESTORABLE.exec(path);
    if (restorable && method === 'GET') {
      const names = new Set(
        calls.map((c) => ACCOUNT.exec(c.path)?.[3]).filter((n) => n !== undefined),
      );
      return send(res, 200, {
        value: [...names, 'someone-else']
          .filter((n) => !accounts.has(n))
          .map((accountName, i) => ({
            id:
              `/subscriptions/${restorable[1]!}/providers/Microsoft.DocumentDB/locations/${restorable[2]!}` +
              `/restorableDatabaseAccounts/${INSTANCE.slice(0, -1)}${String(i)}`,
            name: `${INSTANCE.slice(0, -1)}${String(i)}`,
            type: 'Microsoft.DocumentDB/locations/restorableDatabaseAccounts',
            properties: { accountName, creationTime: behaviour.creationTime, apiType: 'Sql' },
          })),
      });
    }
    const account = ACCOUNT.exec(path);
    if (!account) return send(res, 404, { error: { code: 'NotFound', message: path } });
    const [, , , name, assignment] = account;
    const id = path.replace(/\/sqlRoleAssignments\/.*$/, '');
    const temp = /-r[0-9a-f]{10}$/.test(name!);
    if (assignment) {
      if (method !== 'PUT' || !accounts.has(name!)) return send(res, 404);
      return send(res, 202, undefined, { 'azure-asyncoperation': operation(() => undefined) });
    }
    if (method === 'GET') {
      if (!temp && behaviour.hideLive)
        return send(res, 404, { error: { code: 'ResourceNotFound' } });
      if (!temp)
        return send(res, 200, {
          id,
          name,
          location: 'West Europe',
          kind: 'GlobalDocumentDB',
          tags: {},
          properties: {
            provisioningState: 'Succeeded',
            documentEndpoint: `https://${name!}.documents.azure.com:443/`,
            publicNetworkAccess: 'Enabled',
            ipRules: [{ ipAddressOrRange: '203.0.113.7' }],
            backupPolicy:
              behaviour.backup === 'Continuous'
                ? { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
                : { type: 'Periodic' },
          },
        });
      const a = accounts.get(name!);
      if (!a)
        return send(res, 404, {
          error: { code: 'ResourceNotFound', message: `${name!} not found` },
        });
      return send(res, 200, {
        id,
        name,
        location: 'West Europe',
        tags: a.tags,
        properties: {
          provisioningState: a.state,
          ...(a.state === 'Succeeded' ? { documentEndpoint: restoredEndpoint } : {}),
        },
      });
    }
    if (method === 'PUT' && temp) {
      const body = JSON.parse(text) as { tags: Record<string, string> };
      const a = { tags: body.tags, state: 'Creating' };
      accounts.set(name!, a);
      return send(res, 201, JSON.parse(text), {
        'azure-asyncoperation': operation(() => {
          a.state = 'Succeeded';
        }),
      });
    }
    if (method === 'DELETE' && temp) {
      if (!accounts.has(name!)) return send(res, 404);
      if (behaviour.failDelete)
        return send(res, 500, { error: { code: 'InternalServerError', message: 'boom' } });
      const a = accounts.get(name!)!;
      a.state = 'Deleting';
      return send(res, 202, undefined, {
        'azure-asyncoperation': operation(() => {
          accounts.delete(name!);
        }),
      });
    }
    return send(res, 405, { error: { code: 'MethodNotAllowed', message: `${method} ${path}` } });
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
  return {
    endpoint,
    calls,
    behaviour,
    accounts,
    async stop() {
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
}
