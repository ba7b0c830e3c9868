/**
 * Files and events against their budgets, on real emulators in processes of their own on 127.0.0.1:
 *
 * - upload creation (`POST api/<files>`: admission, the declared name/type/size checked, the pending marker
 *   written to Azurite, a user-delegation SAS signed) against a plain CRUD create (`POST api/<items>`, one item
 *   written to the local Cosmos DB server), interleaved, p50 ratio — budget ≤ 1.1×;
 * - an `onChange` handler's dispatch: the same CRUD create with and without an (empty) change handler, interleaved
 *   — the p50 difference is what the dispatch adds — budget ≤ 5 ms; and `dispatchChange` alone.
 *
 *   npx tsx bench/files-events.ts [ops=300]
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { spawnAzurite } from '../src/cli/dev/storage/azurite.js';
import { devIdentityToken } from '../src/cli/dev/sign-in/identity.js';
import type { RuntimeFileStore } from '../src/model/runtime-manifest.js';
import { dispatchChange } from '../src/runtime/events/change-dispatch.js';
import { createCrudHandlers } from '../src/runtime/crud/handlers.js';
import { createFileBlobsResolver } from '../src/runtime/files/blobs.js';
import { createFileHandlers } from '../src/runtime/files/handlers.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const OPS = Math.min(Math.max(Number(process.argv[2] ?? 300) || 300, 20), 5000);
const WARMUP = 30;
const require = createRequire(import.meta.url);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const expectStatus = (r: HttpResponseInit, status: number) => {
  if (r.status !== status)
    throw new Error(
      `expected ${status}, got ${String(r.status)}: ${JSON.stringify(r.jsonBody ?? r.body)}`,
    );
};

const cosmos = await benchCosmos();
const { child, port, cwd } = await spawnAzurite(
  join(dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js'),
  dirname(require.resolve('@vercel/cosmosdb-server/package.json')),
);
// Azurite's loopback certificate is self-signed: this bench process alone skips the check.
process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
try {
  const credential = {
    getToken: () =>
      Promise.resolve({
        token: devIdentityToken('https://storage.azure.com'),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
  };
  const blobEndpoint = `https://127.0.0.1:${String(port)}/devstoreaccount1/`;
  await new BlobServiceClient(blobEndpoint, credential).getContainerClient('files').create();
  const store: RuntimeFileStore = {
    componentId: 'BenchFiles',
    entityName: 'File',
    route: 'files',
    maxSizeBytes: 1 << 20,
    contentTypes: ['text/plain'],
    partitionKey: '/tenantId',
    settings: { endpoint: 'BENCH_BLOB_ENDPOINT', container: 'BENCH_FILES_CONTAINER' },
  };
  const env = { BENCH_BLOB_ENDPOINT: blobEndpoint, BENCH_FILES_CONTAINER: 'files' };
  const blobs = createFileBlobsResolver(
    { version: 1, backendId: 'bench', entities: [], fileStores: [store] },
    env,
    { credential },
  )(store);
  // The same admission on both sides: no sign-in required, the tenant from its header.
  const files = createFileHandlers(store, blobs);
  const crud = createCrudHandlers(BENCH_ENTITY, cosmos.container);
  let changes = 0;
  const reacting = createCrudHandlers(BENCH_ENTITY, cosmos.container, {
    onChange: () => {
      changes += 1;
    },
  });
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => undefined,
  });
  const headers = { 'content-type': 'application/json', 'x-tenant-id': 'bench' };
  const upload = () =>
    new HttpRequest({
      method: 'POST',
      url: 'https://bench.local/api/files',
      headers,
      body: { string: JSON.stringify({ name: 'a.txt', contentType: 'text/plain', size: 5 }) },
    });
  const create = (id: string) =>
    new HttpRequest({
      method: 'POST',
      url: 'https://bench.local/api/docs',
      headers,
      body: { string: JSON.stringify({ id, name: id, n: 1, at: '2026-01-31T10:00:00Z' }) },
    });

  for (let i = 0; i < WARMUP; i++) {
    expectStatus((await files.collection(upload(), context)) as HttpResponseInit, 201);
    expectStatus(
      (await crud.collection(create(`w-${String(i)}`), context)) as HttpResponseInit,
      201,
    );
    expectStatus(
      (await reacting.collection(create(`wr-${String(i)}`), context)) as HttpResponseInit,
      201,
    );
  }
  const s = {
    upload: [] as number[],
    create: [] as number[],
    plain: [] as number[],
    reacting: [] as number[],
    dispatch: [] as number[],
  };
  for (let i = 0; i < OPS; i++) {
    const u = upload(),
      c = create(`c-${String(i)}`),
      p = create(`p-${String(i)}`),
      r = create(`r-${String(i)}`);
    s.upload.push(
      await timed(async () => {
        expectStatus((await files.collection(u, context)) as HttpResponseInit, 201);
      }),
    );
    s.create.push(
      await timed(async () => {
        expectStatus((await crud.collection(c, context)) as HttpResponseInit, 201);
      }),
    );
    s.plain.push(
      await timed(async () => {
        expectStatus((await crud.collection(p, context)) as HttpResponseInit, 201);
      }),
    );
    s.reacting.push(
      await timed(async () => {
        expectStatus((await reacting.collection(r, context)) as HttpResponseInit, 201);
      }),
    );
    s.dispatch.push(
      await timed(() =>
        dispatchChange('Bench', () => undefined, {
          operation: 'create',
          item: { id: `r-${String(i)}` },
        }),
      ),
    );
  }
  if (changes !== OPS + WARMUP)
    throw new Error(
      `the change handler ran ${String(changes)} times for ${String(OPS + WARMUP)} creates`,
    );

  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const [up, cr, pl, re, di] = [
    median(s.upload),
    median(s.create),
    median(s.plain),
    median(s.reacting),
    median(s.dispatch),
  ];
  console.log(
    `Files and events — ${String(OPS)} interleaved ops each; Azurite and @vercel/cosmosdb-server on 127.0.0.1, Node ${process.version}`,
  );
  console.log(`upload creation (marker blob + SAS)     p50 ${ms(up)}`);
  console.log(`plain CRUD create                       p50 ${ms(cr)}`);
  console.log(
    `upload creation ÷ CRUD create: ×${(up / cr).toFixed(2)} (budget ≤ ×1.10) ${up / cr <= 1.1 ? 'ok' : 'OVER'}`,
  );
  console.log(`CRUD create without / with onChange     p50 ${ms(pl)} / ${ms(re)}`);
  console.log(
    `onChange dispatch adds p50 ${ms(re - pl)} (budget ≤ 5 ms) ${re - pl <= 5 ? 'ok' : 'OVER'}; dispatchChange alone p50 ${ms(di)}`,
  );
} finally {
  await cosmos.close();
  await new Promise<void>((r) => {
    child.once('exit', () => {
      r();
    });
    child.kill('SIGTERM');
  });
  rmSync(cwd, { recursive: true, force: true });
}
