// A FileStore's routes as the runtime tests call them: the store a test declares, its handlers over an Azurite
// container, the SAS upload of the bytes, and a file uploaded and completed — written once for the tests that drive
// the routes (file-store.test.ts, file-store-access.test.ts).
import { expect } from 'vitest';
import type { RuntimeAuth, RuntimeFileStore } from '../../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../../src/runtime/files/blobs.js';
import { createFileHandlers, type FileHandlers } from '../../../src/runtime/files/handlers.js';
import { azuriteCredential } from '../../support/azurite.js';
import { invoke } from './http.js';

/**
 * The tests' `Attachments` FileStore (text and PNG, 1 KiB, isolated per tenant), with `over`'s changes.
 *
 * @example
 * ```ts
 * testFileStore({ access: [{ allow: 'owner' }] });
 * ```
 */
export const testFileStore = (over: Partial<RuntimeFileStore> = {}): RuntimeFileStore => ({
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 1024,
  contentTypes: ['image/png', 'text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
  ...over,
});

/** A caller's headers (`x-ms-client-principal`, as App Service authentication passes it). */
type Headers = Record<string, string>;

/**
 * `s`'s routes over the Azurite container `container`, for the caller named by each call's headers.
 *
 * @example
 * ```ts
 * const api = fileStoreApi(testFileStore(), { blobEndpoint: azurite.blobEndpoint, container: 'attachments', caller });
 * await api.get(id, ALICE);
 * ```
 */
export function fileStoreApi(
  s: RuntimeFileStore,
  where: {
    readonly blobEndpoint: string;
    readonly container: string;
    readonly caller: RuntimeAuth;
  },
) {
  const env = {
    [s.settings.endpoint]: where.blobEndpoint,
    [s.settings.container]: where.container,
  };
  const blobs = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [s] },
    env,
    { credential: azuriteCredential() },
  )(s);
  const handlers: FileHandlers = createFileHandlers(s, blobs, { caller: where.caller });
  return {
    handlers,
    create: (body: unknown, headers: Headers) =>
      invoke(handlers.collection, 'POST', s.route, { body, headers }),
    list: (headers: Headers) => invoke(handlers.collection, 'GET', s.route, { headers }),
    get: (id: string, headers: Headers) =>
      invoke(handlers.item, 'GET', `${s.route}/${id}`, { headers, params: { id } }),
    del: (id: string, headers: Headers) =>
      invoke(handlers.item, 'DELETE', `${s.route}/${id}`, { headers, params: { id } }),
    complete: (id: string, headers: Headers) =>
      invoke(handlers.complete, 'POST', `${s.route}/${id}/complete`, { headers, params: { id } }),
  };
}

/** The routes {@link fileStoreApi} gives. */
export type FileStoreApi = ReturnType<typeof fileStoreApi>;

/**
 * The PUT of `body` to an upload URL (a SAS: no sign-in travels to storage).
 *
 * @example
 * ```ts
 * expect((await putBlob(created.body.uploadUrl as string, 'hello', 'text/plain')).status).toBe(201);
 * ```
 */
export const putBlob = (url: string, body: string, type: string) =>
  fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': type },
    body,
  });

/**
 * A file of `headers`'s caller, declared, its bytes sent to the upload URL and completed (each step's success
 * asserted): its id.
 *
 * @example
 * ```ts
 * const id = await uploadedTo(api, ALICE, 'hello', 'text/plain');
 * ```
 */
export async function uploadedTo(
  api: Pick<FileStoreApi, 'create' | 'complete'>,
  headers: Headers,
  text = 'hello',
  type = 'text/plain',
): Promise<string> {
  const created = await api.create(
    { name: 'hello.txt', contentType: type, size: Buffer.byteLength(text) },
    headers,
  );
  expect(created.status).toBe(201);
  expect((await putBlob(created.body.uploadUrl as string, text, type)).status).toBe(201);
  const done = await api.complete(created.body.id as string, headers);
  expect(done.status).toBe(200);
  return created.body.id as string;
}
