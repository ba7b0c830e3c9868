import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the gate answers: pass through, the firewall's refusal, or a role not yet spread for the next `n` requests. */
export type GateMode = 'pass' | 'firewall' | { readonly rbac: number };

/** A TLS stand-in in front of a Cosmos DB data plane that refuses as Cosmos DB does. */
export interface CosmosGate {
  readonly endpoint: string;
  mode: GateMode;
  /** Every request it got: when (process.hrtime.bigint(), comparable with the Resource Manager stand-in's calls), what. */
  readonly requests: { readonly seq: bigint; readonly method: string; readonly path: string }[];
  stop(): Promise<void>;
}

/**
 * Start an HTTPS server on 127.0.0.1 (`tls`'s certificate) that forwards every request to `target` (a
 * `startTlsCosmos` server, trusted through `tls.cert`), or refuses it with Cosmos DB's 403 bodies as Learn documents
 * them ("Diagnose and troubleshoot Azure Cosmos DB forbidden exceptions",
 * https://learn.microsoft.com/azure/cosmos-db/troubleshoot-forbidden): the firewall's "Request originated from
 * client IP … through public internet." (no substatus), or a principal without its data role yet, substatus 5301
 * "… does not have required RBAC permissions to perform action …".
 *
 * @example
 * ```ts
 * const gate = await startCosmosGate(tls, past.endpoint);
 * gate.mode = 'firewall';
 * ```
 */
export async function startCosmosGate(
  tls: { cert: string; key: string },
  target: string,
): Promise<CosmosGate> {
  const to = new URL(target);
  const gate: CosmosGate = {
    endpoint: '',
    mode: 'pass',
    requests: [],
    async stop() {
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
  const refuse = (res: import('node:http').ServerResponse, substatus: string, message: string) => {
    res.writeHead(403, {
      'content-type': 'application/json',
      'x-ms-activity-id': '00000000-0000-0000-0000-000000000000',
      ...(substatus ? { 'x-ms-substatus': substatus } : {}),
    });
    res.end(JSON.stringify({ code: 'Forbidden', message }));
  };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    gate.requests.push({
      seq: process.hrtime.bigint(),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
    });
    const mode = gate.mode;
    if (mode === 'firewall')
      return refuse(
        res,
        '',
        'Request originated from client IP 198.51.100.23 through public internet. This is blocked by your Cosmos DB ' +
          'account firewall settings. More info: https://aka.ms/cosmosdb-tsg-forbidden\r\nActivityId: 0',
      );
    if (typeof mode === 'object' && mode.rbac > 0) {
      gate.mode = { rbac: mode.rbac - 1 };
      return refuse(
        res,
        '5301',
        'Request blocked by Auth cosmos-temp : Request is blocked because principal ' +
          '[5d2b0c0e-0000-4000-8000-00000000f00d] does not have required RBAC permissions to perform action ' +
          '[Microsoft.DocumentDB/databaseAccounts/readMetadata] on resource [/]. Learn more: ' +
          'https://aka.ms/cosmos-native-rbac.\r\nActivityId: 0',
      );
    }
    const forward = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
        ca: tls.cert,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(gate, {
    endpoint: `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
  });
  return gate;
}
