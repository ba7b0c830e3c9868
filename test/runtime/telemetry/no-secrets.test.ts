/**
 * No span carries an item field, a query value, a token, a SAS, a key or a secret (DESIGN §2, "Traces"): markers
 * planted in all of them go through the real runtime — CRUD on a Cosmos DB protocol server, a FileStore on Azurite,
 * a FunctionsApp handler, an `onChange` — while the spans are exported by the real exporters (OTLP/HTTP JSON and
 * protobuf, Azure Monitor) to a loopback receiver; every payload they sent is scanned for every marker.
 */
import { CosmosClient } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { OTLPTraceExporter as OtlpJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { BlobServiceClient } from '@azure/storage-blob';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../../src/runtime/caller/tenant-source.js';
import { createFileBlobsResolver } from '../../../src/runtime/files/blobs.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { registerHostedFunctions } from '../../../src/packaging/register-hosted.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../../support/azurite.js';
import {
  startTelemetryReceiver,
  type TelemetryReceiver,
} from '../../support/telemetry-receiver.js';
import { noteEntity, userEntity } from '../support/entities.js';
import { invoke } from '../support/http.js';
import { type LocalCosmos, startLocalCosmos, testAgent } from '../support/local-cosmos.js';
import { principalHeaders, type RecordedSpans, recordSpans } from '../support/spans.js';
import { testCertificate } from '../../support/test-certificate.js';

const M = {
  itemField: 'zz-item-field-7f3a',
  itemId: 'zz-item-id-91c2',
  patched: 'zz-patched-value-2e77',
  queryValue: 'zz-query-value-5b1e',
  partitionKey: 'zz-partition-value-c4d0',
  bearer: 'zz-bearer-token-3d8c',
  callerName: 'zz-caller-name-a6f1',
  callerEmail: 'zz-caller-mail-0b9e@example.com',
  cosmosKey: 'zz-cosmos-key-8d24',
  fileName: 'zz-file-name-5c31.txt',
  handlerBody: 'zz-handler-body-e810',
  secret: 'zz-app-secret-17aa',
} as const;
const PRINCIPAL = principalHeaders({
  tid: 'tenant-a',
  oid: 'oid-ada',
  name: M.callerName,
  preferred_username: M.callerEmail,
});
const CALLER = { ...PRINCIPAL, authorization: `Bearer ${M.bearer}` };

let cosmos: LocalCosmos;
let azurite: LocalAzurite;
let receiver: TelemetryReceiver;
let ingestion: TelemetryReceiver;
let recorded: RecordedSpans;
const sas: string[] = [];
const fns = new Map<string, HttpFunctionOptions>();
const previousSecret = process.env['STRIPE_KEY'];
const previousStatsbeat = process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'];

const store = {
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 1024,
  contentTypes: ['text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
} as const;

beforeAll(async () => {
  process.env['STRIPE_KEY'] = M.secret;
  process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = 'true';
  const certificate = testCertificate();
  [cosmos, azurite, receiver, ingestion] = await Promise.all([
    startLocalCosmos(),
    startAzurite(),
    startTelemetryReceiver(),
    startTelemetryReceiver(certificate),
  ]);
  await cosmos.container('secret-notes', '/tenantId');
  await cosmos.container('secret-users', '/id');
  await new BlobServiceClient(azurite.blobEndpoint, azuriteCredential())
    .getContainerClient('secret-files')
    .create();
  // The runtime's client signs with a key that is itself a marker.
  const keyed = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: Buffer.from(M.cosmosKey).toString('base64'),
    agent: testAgent(),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'secrets',
    entities: [noteEntity, userEntity],
    fileStores: [store],
  };
  const env = {
    [store.settings.endpoint]: azurite.blobEndpoint,
    [store.settings.container]: 'secret-files',
  };
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: (e) =>
      keyed
        .database('atakora')
        .container(e.componentId === 'NoteApi' ? 'secret-notes' : 'secret-users'),
    caller: callerPolicyOf(manifest),
    logger: () => {},
    blobsFor: createFileBlobsResolver(manifest, env, { credential: azuriteCredential() }),
    changeHandlers: { NoteApi: () => undefined },
  });
  registerHostedFunctions(
    { http: (name, o) => fns.set(name, o), storageQueue: () => {}, timer: () => {} },
    [
      {
        name: 'Echo-echo',
        componentId: 'Echo',
        trigger: 'http',
        route: 'echo',
        methods: ['POST'],
        exported: async (request: { json(): Promise<unknown> }) => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ got: await request.json(), key: process.env['STRIPE_KEY'] }),
        }),
      },
    ],
    {},
  );
  recorded = recordSpans(
    new OtlpJson({ url: `${receiver.url}/json/v1/traces` }),
    new OtlpProto({ url: `${receiver.url}/proto/v1/traces` }),
    new AzureMonitorTraceExporter({
      connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${ingestion.url}/`,
      credential: {
        getToken: () =>
          Promise.resolve({ token: 'aad-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
      },
      tlsOptions: { ca: certificate.cert },
      disableOfflineStorage: true,
    }),
  );
});
afterAll(async () => {
  await recorded?.stop();
  await Promise.all([cosmos?.stop(), azurite?.stop(), receiver?.stop(), ingestion?.stop()]);
  if (previousSecret === undefined) delete process.env['STRIPE_KEY'];
  else process.env['STRIPE_KEY'] = previousSecret;
  if (previousStatsbeat === undefined) delete process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'];
  else process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = previousStatsbeat;
});

const handler = (name: string) => fns.get(name)!.handler as HttpHandler;

describe('exported spans', () => {
  it('hold none of the planted markers, in any exporter’s payload', async () => {
    const notes = handler('NoteApi-collection');
    const note = handler('NoteApi-item');
    const at = { headers: CALLER, params: { id: M.itemId } };
    const created = await invoke(notes, 'POST', 'notes', {
      headers: CALLER,
      body: { id: M.itemId, title: M.itemField },
    });
    expect(created.status).toBe(201);
    const filtered = await invoke(notes, 'GET', 'notes', {
      headers: CALLER,
      query: { $filter: `title eq '${M.queryValue}' or title eq '${M.itemField}'` },
    });
    expect(filtered.body.items).toHaveLength(1);
    expect((await invoke(note, 'GET', `notes/${M.itemId}`, at)).status).toBe(200);
    expect(
      (await invoke(note, 'PATCH', `notes/${M.itemId}`, { ...at, body: { body: M.patched } }))
        .status,
    ).toBe(200);
    const users = handler('UserApi-collection');
    expect(
      (
        await invoke(users, 'POST', 'users', {
          headers: CALLER,
          body: { id: M.partitionKey, name: 'u' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await invoke(handler('UserApi-item'), 'GET', `users/${M.partitionKey}`, {
          headers: CALLER,
          params: { id: M.partitionKey },
        })
      ).status,
    ).toBe(200);

    // A file: the upload URL's and the download URL's SAS signatures are markers too.
    const text = 'hello';
    const upload = await invoke(handler('Attachments-files'), 'POST', 'attachments', {
      headers: CALLER,
      body: { name: M.fileName, contentType: 'text/plain', size: text.length },
    });
    expect(upload.status).toBe(201);
    const uploadUrl = new URL(upload.body.uploadUrl as string);
    sas.push(uploadUrl.searchParams.get('sig')!, uploadUrl.search);
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' },
      body: text,
    });
    expect(put.status).toBe(201);
    const fileId = upload.body.id as string;
    const fileAt = { headers: CALLER, params: { id: fileId } };
    expect(
      (
        await invoke(
          handler('Attachments-complete'),
          'POST',
          `attachments/${fileId}/complete`,
          fileAt,
        )
      ).status,
    ).toBe(200);
    const download = await invoke(
      handler('Attachments-file'),
      'GET',
      `attachments/${fileId}`,
      fileAt,
    );
    expect(download.status).toBe(200);
    const downloadUrl = new URL(download.body.downloadUrl as string);
    sas.push(downloadUrl.searchParams.get('sig')!, downloadUrl.search);

    const echoed = await invoke(handler('Echo-echo'), 'POST', 'echo', {
      headers: CALLER,
      body: { value: M.handlerBody },
    });
    expect(echoed.body.got.value).toBe(M.handlerBody);
    expect((await invoke(note, 'DELETE', `notes/${M.itemId}`, at)).status).toBe(204);

    await recorded.flush();
    await Promise.all([
      receiver.waitFor('/json/v1/traces'),
      receiver.waitFor('/proto/v1/traces'),
      ingestion.waitFor('/v2.1/track'),
    ]);
    const payloads = [...receiver.received, ...ingestion.received].map((r) => ({
      path: r.path,
      // Protobuf strings are UTF-8 bytes in the message: a marker would show in either reading.
      text: `${r.body.toString('utf8')}\n${r.body.toString('latin1')}`,
    }));
    payloads.push({ path: 'in-memory', text: JSON.stringify(recorded.spans().map(spanData)) });
    const all = payloads.map((p) => p.text).join('\n');
    // The payloads are real: each exporter sent the routes, tenants and operations.
    for (const expected of [
      'api/notes/{id}',
      'tenant-a',
      'oid-ada',
      'update',
      'upload',
      'download',
      'handler',
      'on-change',
      'query_items',
    ])
      expect(all).toContain(expected);
    const markers = [
      ...Object.values(M),
      Buffer.from(M.cosmosKey).toString('base64'),
      PRINCIPAL['x-ms-client-principal'] ?? '',
      ...sas.filter((s) => s.length > 8),
    ];
    for (const p of payloads)
      for (const marker of markers)
        expect(p.text.includes(marker), `${marker} in ${p.path}`).toBe(false);
  });
});

function spanData(s: ReturnType<RecordedSpans['spans']>[number]) {
  return {
    name: s.name,
    attributes: s.attributes,
    events: s.events,
    links: s.links,
    resource: s.resource.attributes,
    status: s.status,
  };
}
