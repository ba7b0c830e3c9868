import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** The one container an identity's data role is scoped to (`dbs/<db>/colls/<coll>`), as apply assigns it. */
export interface ContainerGrant {
  readonly db: string;
  readonly coll: string;
}

/** What the policy layer refused, for assertions. */
export interface RbacRefusal {
  readonly clientId: string | undefined;
  readonly method: string;
  readonly path: string;
}

export interface DataPlaneRbac {
  readonly refused: RbacRefusal[];
  /** Requests that carried an Entra (AAD) token and were let through, by client id. */
  readonly allowed: Map<string, number>;
  /** Put the server's own listeners back. */
  remove(): void;
}

/** The access token the local identity endpoint issues for a user-assigned identity (its client id, readable here). */
export function tokenFor(clientId: string): string {
  return `local-mi.${Buffer.from(JSON.stringify({ client_id: clientId })).toString('base64url')}`;
}

function clientIdOf(token: string): string | undefined {
  const [kind, payload] = token.split('.');
  if (kind !== 'local-mi' || !payload) return undefined;
  try {
    return (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { client_id?: string }
    ).client_id;
  } catch {
    return undefined;
  }
}

/**
 * Emulates Cosmos DB data-plane RBAC in front of the local protocol server: a request authorized with an
 * Entra token (`type=aad&ver=1.0&sig=<token>`, URL-encoded, as @azure/cosmos sends it) may read the account
 * (the SDK's endpoint discovery) and anything inside the one container its identity is granted; a read of a
 * database (`/dbs/<db>`), a listing (`/dbs`, `/dbs/<db>/colls`) or another container is refused with 403 and
 * substatus 5301, as Cosmos DB does for a role assignment scoped to a container: `readMetadata` at container
 * scope covers that container's metadata only
 * (https://learn.microsoft.com/azure/cosmos-db/nosql/security/how-to-grant-data-plane-role-based-access).
 * Key-authorized requests (the test's own setup client) pass untouched.
 */
export function enforceDataPlaneRbac(
  server: Server,
  grants: Readonly<Record<string, ContainerGrant>>,
): DataPlaneRbac {
  const original = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  const refused: RbacRefusal[] = [];
  const allowed = new Map<string, number>();
  const policy = (req: IncomingMessage, res: ServerResponse) => {
    const auth = decodeURIComponent(String(req.headers.authorization ?? ''));
    if (auth.startsWith('type=aad')) {
      const token = new URLSearchParams(auth).get('sig') ?? '';
      const clientId = clientIdOf(token);
      const path = new URL(req.url ?? '/', 'https://cosmos.local').pathname;
      const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
      const grant = clientId === undefined ? undefined : grants[clientId];
      const accountRead = segments.length === 0 && req.method === 'GET';
      const inGrantedContainer =
        grant !== undefined &&
        segments[0] === 'dbs' &&
        segments[1] === grant.db &&
        segments[2] === 'colls' &&
        segments[3] === grant.coll;
      if (!(grant !== undefined && (accountRead || inGrantedContainer))) {
        refused.push({ clientId, method: req.method ?? '', path });
        const resource = segments.join('/') || '/';
        const action = segments.includes('docs')
          ? 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers/items/*'
          : 'Microsoft.DocumentDB/databaseAccounts/readMetadata';
        const body = JSON.stringify({
          code: 'Forbidden',
          message: `Request blocked by Auth local : Request is blocked because principal [${clientId ?? 'unknown'}] does not have required RBAC permissions to perform action [${action}] on resource [${resource}]. Learn more: https://aka.ms/cosmos-native-rbac.`,
        });
        req.resume();
        res.writeHead(403, {
          'content-type': 'application/json',
          'x-ms-substatus': '5301',
          'x-ms-activity-id': randomUUID(),
          'x-ms-request-charge': '0',
        });
        res.end(body);
        return;
      }
      allowed.set(clientId!, (allowed.get(clientId!) ?? 0) + 1);
    }
    for (const listener of original) listener.call(server, req, res);
  };
  server.removeAllListeners('request');
  server.on('request', policy);
  return {
    refused,
    allowed,
    remove() {
      server.off('request', policy);
      for (const listener of original) server.on('request', listener);
    },
  };
}
