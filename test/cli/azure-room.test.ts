import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  armEndpoint,
  blobServiceUrl,
  cosmosEndpoint,
  graphEndpoint,
  logsEndpoint,
  scmUrl,
  vaultUrl,
} from '../../src/cli/azure/endpoints.js';
import { AzureRequestError } from '../../src/cli/azure/errors.js';
import { azureOk, azureRequest } from '../../src/cli/azure/http.js';
import { logsRows, queryLogs } from '../../src/cli/azure/log-analytics.js';

// The CLI's Azure room: one place for endpoints and their overrides, one error shape, one call — through a
// loopback stand-in of an Azure service.
let server: Server;
let base = '';
const seen: { method: string; url: string; auth: string; body: string }[] = [];
const read = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => done(body));
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization ?? '',
        body,
      });
      if (req.url?.startsWith('/logs/v1/workspaces/ws-1/query')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            tables: [
              {
                name: 'PrimaryResult',
                columns: [
                  { name: 'Name', type: 'string' },
                  { name: 'Count', type: 'long' },
                ],
                rows: [['GET /api/notes', 3]],
              },
            ],
          }),
        );
        return;
      }
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end('{"error":{"code":"AuthorizationFailed","message":"no role"}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('cli/azure: endpoints', () => {
  it('the public cloud by default; each ATAKORA_*_ENDPOINT overrides its service, with its placeholder', () => {
    expect(armEndpoint(undefined, {})).toBe('https://management.azure.com');
    expect(graphEndpoint({})).toBe('https://graph.microsoft.com');
    expect(vaultUrl('kv-a', {})).toBe('https://kv-a.vault.azure.net');
    expect(blobServiceUrl('sta', {})).toBe('https://sta.blob.core.windows.net');
    expect(scmUrl('func-a', {})).toBe('https://func-a.scm.azurewebsites.net');
    expect(logsEndpoint({})).toBe('https://api.loganalytics.io');
    const env = {
      ATAKORA_ARM_ENDPOINT: `${base}/arm/`,
      ATAKORA_GRAPH_ENDPOINT: `${base}/graph`,
      ATAKORA_KEYVAULT_ENDPOINT: `${base}/kv/{vault}`,
      ATAKORA_BLOB_ENDPOINT: `${base}/blob/{account}/`,
      ATAKORA_COSMOS_ENDPOINT: `${base}/cosmos/{account}/`,
      ATAKORA_SCM_ENDPOINT: `${base}/scm/{app}`,
      ATAKORA_LOGS_ENDPOINT: `${base}/logs`,
    };
    expect(armEndpoint(undefined, env)).toBe(`${base}/arm`);
    expect(graphEndpoint(env)).toBe(`${base}/graph`);
    expect(vaultUrl('kv-a', env)).toBe(`${base}/kv/kv-a`);
    expect(blobServiceUrl('sta', env)).toBe(`${base}/blob/sta`);
    expect(cosmosEndpoint('https://cosmos-a.documents.azure.com:443/', env)).toBe(
      `${base}/cosmos/cosmos-a/`,
    );
    expect(scmUrl('func-a', env)).toBe(`${base}/scm/func-a`);
    expect(logsEndpoint(env)).toBe(`${base}/logs`);
  });
});

describe('cli/azure: one call, one error shape', () => {
  it('a refusal is an AzureRequestError with the service, what was asked, the status and the service’s code', async () => {
    const failed = await azureOk({
      service: 'Resource Manager',
      what: 'POST /restart',
      url: `${base}/arm/x/restart`,
      method: 'POST',
      token: 't0k',
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AzureRequestError);
    expect(failed).toMatchObject({
      service: 'Resource Manager',
      what: 'POST /restart',
      status: 403,
      azureCode: 'AuthorizationFailed',
      azureMessage: 'no role',
      network: undefined,
    });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'Bearer t0k' });
    // azureRequest hands any status back for the caller to judge.
    expect((await azureRequest({ service: 'X', what: 'y', url: `${base}/z` })).status).toBe(403);
  });

  it('no answer is an AzureRequestError without a status, naming the network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const failed = await azureRequest({
      service: 'Key Vault',
      what: 'listing secrets',
      url: `http://127.0.0.1:${String(port)}/secrets`,
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      service: 'Key Vault',
      status: undefined,
      network: 'ECONNREFUSED',
    });
  });
});

describe('cli/azure: Log Analytics', () => {
  it('queryLogs posts the query and timespan to the workspace and reads the tables', async () => {
    const [table] = await queryLogs({
      workspaceId: 'ws-1',
      query: 'AppRequests | summarize count() by Name',
      timespan: 'PT1H',
      env: { ATAKORA_LOGS_ENDPOINT: `${base}/logs` },
      token: () => Promise.resolve('logs-token'),
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/logs/v1/workspaces/ws-1/query',
      auth: 'Bearer logs-token',
    });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({
      query: 'AppRequests | summarize count() by Name',
      timespan: 'PT1H',
    });
    expect(logsRows(table!)).toEqual([{ Name: 'GET /api/notes', Count: 3 }]);
  });
});
