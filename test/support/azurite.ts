import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { BlobServiceClient, type BlobServiceProperties } from '@azure/storage-blob';
import { QueueServiceClient, type QueueServiceProperties } from '@azure/storage-queue';
import { spawnAzurite } from '../../src/cli/dev/storage/azurite.js';
import { timedStart } from './profile.js';
import { onWorkerExit } from './worker-scope.js';

const require = createRequire(import.meta.url);

/**
 * Azurite (the npm `azurite` package) on 127.0.0.1: blob service over HTTPS with OAuth on (`--oauth basic`, which
 * Azurite takes only over HTTPS; its README, "OAuth Configuration"), which is what Get User Delegation Key needs.
 * The certificate is the local Cosmos DB server's self-signed one: clients of this loopback service skip
 * certificate checks (NODE_TLS_REJECT_UNAUTHORIZED, restored by `stop`).
 *
 * One Azurite process per service and worker, shared by the worker's test files (./worker-scope.ts: starting one
 * is a Node process loading Azurite, seconds on a loaded machine, and twelve files used one each). Each file still
 * gets what a fresh one gave it: an endpoint of its own (a loopback port passing its TLS through to the shared
 * process, so nothing keyed by endpoint — a client cache, a token — carries over from another file) and an empty
 * account: `stop` deletes every container or queue and restores the service properties (CORS, retention) the
 * process started with, then closes the file's port. One user at a time: a file starts it once, stops it in
 * afterAll.
 */
export interface LocalAzurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1/` (the service started: blob by default). */
  readonly blobEndpoint: string;
  /** The same endpoint, by the name that reads right for the queue service. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

type Service = 'blob' | 'queue';
interface Running {
  readonly port: number;
  /** The account's service properties as the process started, restored after each file. */
  readonly properties: unknown;
}

// On the global, not the module: after a file calls vi.resetModules every later import in its worker is a fresh copy
// of this module, which would start a second Azurite per service beside the first.
const RUNNING = Symbol.for('atakora.test.azurite');
const scope = globalThis as { [RUNNING]?: Map<Service, Promise<Running>> };
scope[RUNNING] ??= new Map();
const running = scope[RUNNING];

export function startAzurite(service: Service = 'blob'): Promise<LocalAzurite> {
  return timedStart(`Azurite (${service})`, async () => {
    const previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    const restoreTls = () => {
      if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
    };
    try {
      const shared = await processFor(service);
      const front = await passThrough(shared.port);
      const endpoint = `https://127.0.0.1:${String(front.port)}/devstoreaccount1/`;
      return {
        blobEndpoint: endpoint,
        endpoint,
        async stop() {
          try {
            await emptyAccount(service, endpoint, shared.properties);
          } finally {
            await front.close();
            restoreTls();
          }
        },
      };
    } catch (e) {
      restoreTls();
      throw e;
    }
  });
}

/** The worker's Azurite for `service`, started on first need and stopped with the worker. */
function processFor(service: Service): Promise<Running> {
  let started = running.get(service);
  if (!started) {
    started = (async () => {
      const certDir = dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
      // Azurite's own main: spawnAzurite's lifeline (cli/dev/host/lifeline.ts) ends it if this worker dies first.
      const main = join(
        dirname(require.resolve('azurite/package.json')),
        'dist',
        'src',
        service,
        'main.js',
      );
      const { child, port, cwd } = await spawnAzurite(main, certDir, service);
      onWorkerExit(() => {
        child.kill('SIGKILL');
        rmSync(cwd, { recursive: true, force: true });
      });
      const endpoint = `https://127.0.0.1:${String(port)}/devstoreaccount1/`;
      return { port, properties: await propertiesOf(service, endpoint) };
    })();
    // A start that failed is tried again by the next file, not handed to it.
    started.catch(() => running.delete(service));
    running.set(service, started);
  }
  return started;
}

/** The service properties a file may change (CORS above all: atakora dev's files set it), as they are now. */
async function propertiesOf(service: Service, endpoint: string): Promise<unknown> {
  if (service === 'blob') {
    const p = await new BlobServiceClient(endpoint, azuriteCredential()).getProperties();
    return {
      blobAnalyticsLogging: p.blobAnalyticsLogging,
      hourMetrics: p.hourMetrics,
      minuteMetrics: p.minuteMetrics,
      cors: p.cors ?? [],
      defaultServiceVersion: p.defaultServiceVersion,
      deleteRetentionPolicy: p.deleteRetentionPolicy,
      staticWebsite: p.staticWebsite,
    } satisfies BlobServiceProperties;
  }
  const p = await new QueueServiceClient(endpoint, azuriteCredential()).getProperties();
  return {
    queueAnalyticsLogging: p.queueAnalyticsLogging,
    hourMetrics: p.hourMetrics,
    minuteMetrics: p.minuteMetrics,
    cors: p.cors ?? [],
  } satisfies QueueServiceProperties;
}

/** Back to the account the process started with: no container or queue, the first service properties. */
async function emptyAccount(service: Service, endpoint: string, properties: unknown) {
  if (service === 'blob') {
    const blobs = new BlobServiceClient(endpoint, azuriteCredential());
    for await (const c of blobs.listContainers()) await blobs.deleteContainer(c.name);
    await blobs.setProperties(properties as BlobServiceProperties);
  } else {
    const queues = new QueueServiceClient(endpoint, azuriteCredential());
    for await (const q of queues.listQueues()) await queues.deleteQueue(q.name);
    await queues.setProperties(properties as QueueServiceProperties);
  }
}

/** A loopback port of the file's own whose connections go, bytes untouched (TLS included), to `port`. */
async function passThrough(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An Entra-shaped access token for Azurite's basic OAuth (it checks issuer, audience and lifetime, not the
 * signature), as a managed identity of `oid` in directory `tid` would present one.
 */
export function azuriteCredential(
  oid = '11111111-1111-1111-1111-111111111111',
  tid = '22222222-2222-2222-2222-222222222222',
): TokenCredential {
  return {
    getToken(): Promise<AccessToken> {
      const now = Math.floor(Date.now() / 1000);
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'https://storage.azure.com', iss: `https://sts.windows.net/${tid}/`, nbf: now - 60, iat: now - 60, exp: now + 3600, oid, tid })}.`;
      return Promise.resolve({ token, expiresOnTimestamp: (now + 3600) * 1000 });
    },
  };
}
