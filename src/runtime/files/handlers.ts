import { createHash, randomUUID } from 'node:crypto';
import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { BlobGetPropertiesResponse } from '@azure/storage-blob';
import type { CrudOperation, RuntimeAuth, RuntimeFileStore } from '../../model/runtime-manifest.js';
import {
  contentTypeAllowed,
  DOWNLOAD_URL_MINUTES,
  type FileMetadata,
  MAX_FILE_NAME_LENGTH,
  MEDIA_TYPE,
  mediaTypeOf,
  UPLOAD_URL_MINUTES,
} from '../../contract/files.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contract/paging.js';
import type { RuntimeProblemCode } from '../../contract/problems.js';
import { authorize } from '../access/scope.js';
import type { AccessScope } from '../data/context.js';
import type { FileBlobs } from './blobs.js';
import { emptyResponse, jsonResponse, problemResponse } from '../http/response.js';
import { readJsonObject } from '../http/body.js';
import type { Resolved } from '../http/scope.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from '../http/log.js';
import { checkId } from '../http/schema-validator.js';
import type { Tenant } from '../values/tenancy.js';
import { authenticate, resolveTenant } from '../access/tenant-source.js';
import { admitDirectory } from '../access/tenant-admission.js';
import { isWellFormed } from '../values/text-checks.js';

/**
 * The three HTTP handlers of one FileStore: `api/<route>` (POST create an upload, GET list), `api/<route>/{id}`
 * (GET the metadata and a download URL, DELETE) and `api/<route>/{id}/complete` (POST).
 *
 * @example
 * ```ts
 * const { collection, item, complete } = createFileHandlers(store, blobs, { caller: callerPolicyOf(manifest) });
 * ```
 */
export interface FileHandlers {
  readonly collection: HttpHandler;
  readonly item: HttpHandler;
  readonly complete: HttpHandler;
}

/**
 * Options of {@link createFileHandlers}.
 *
 * @example
 * ```ts
 * const options: FileHandlerOptions = {
 *   caller: { required: true, tenantClaim: 'tid', trustTenantHeader: false },
 *   timeoutMs: 10_000,
 * };
 * ```
 */
export interface FileHandlerOptions {
  readonly caller?: RuntimeAuth;
  readonly logger?: RuntimeLogger;
  readonly generateId?: () => string;
  /** Deadline of each storage call (default 10 s); past it, or on a storage failure, 503 with Retry-After. */
  readonly timeoutMs?: number;
}

/** What the upload's creation records until completion (the pending marker blob's JSON). */
interface Pending {
  name: string;
  contentType: string;
  size: number;
  ownerId?: string;
  createdOn: string;
}

/** Blob metadata names (lower case: metadata names are C# identifiers, case-insensitive). */
const META = { name: 'filename', owner: 'ownerid', created: 'createdon', state: 'state' } as const;
const COMPLETE = 'complete';
const PENDING_PREFIX = '~pending';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The folder of a tenant's files. A tenant id of plain characters is its own folder (readable in the portal);
 * any other is hashed, with a `~` no plain id has, so two tenants never share a folder and none is `~pending`.
 *
 * @example
 * ```ts
 * tenantFolder({ id: '72f988bf-86f1-41af-91ab-2d7cd011db47', source: '' }); // '72f988bf-86f1-41af-91ab-2d7cd011db47'
 * tenantFolder(undefined);                                                  // '~shared'
 * ```
 */
export function tenantFolder(tenant: Tenant | undefined): string {
  if (tenant === undefined) return '~shared';
  return /^[A-Za-z0-9._-]{1,128}$/.test(tenant.id) && !/^\.+$/.test(tenant.id)
    ? tenant.id
    : `~${createHash('sha256').update(tenant.id).digest('hex')}`;
}

/**
 * Build a FileStore's handlers over its blobs. The same admission as a CrudApi's routes (signed in, allowed
 * directory, the tenant from the token), the same access rules (`create` uploads and completes, `read`, `list`,
 * `delete`), and every blob under the caller's tenant folder: `<tenant>/<id>`, its pending upload's record
 * under `~pending/<tenant>/<id>`. Under an owner rule a file is its uploader's (`ownerid` metadata): others get 404.
 *
 * @example
 * ```ts
 * app.http('Attachments-collection', {
 *   route: 'attachments',
 *   methods: ['GET', 'POST'],
 *   handler: createFileHandlers(store, blobs).collection,
 * });
 * ```
 */
export function createFileHandlers(
  store: RuntimeFileStore,
  blobs: FileBlobs,
  options: FileHandlerOptions = {},
): FileHandlers & {
  /**
   * `GET api/<route>/{id}` for this request's caller without a route of its own: what a CrudApi's `file` relation
   * reads (runtime/relations) — the same admission, tenant folder, access rules and completed-file check.
   */
  readonly readFile: (request: HttpRequest, id: string) => Promise<HttpResponseInit>;
} {
  const logger = options.logger ?? contextLogger;
  const labels = { component: store.componentId, entity: store.entityName };
  const generateId = options.generateId ?? randomUUID;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = () => AbortSignal.timeout(timeoutMs);

  /** Admission, tenant and access for one operation; the tenant's folder and the access verdict. */
  const admit = (
    request: HttpRequest,
    op: CrudOperation,
  ):
    | { ok: true; folder: string; access: AccessScope }
    | { ok: false; response: HttpResponseInit } => {
    const denied = authenticate(request, options.caller) ?? admitDirectory(request, options.caller);
    if (denied) return { ok: false, response: denied };
    const tenant = resolveTenant(store, request, options.caller);
    if (!tenant.ok) return tenant;
    const scope = authorize(store, op, request, options.caller);
    if (!scope.ok) return scope;
    return { ok: true, folder: tenantFolder(tenant.value), access: scope.value };
  };
  const notFound = (id: string) => problemResponse('not-found', `No ${store.entityName} ${id}.`);
  const itemId = (request: HttpRequest): string | HttpResponseInit => {
    const id = request.params['id'] ?? '';
    const bad = checkId(id);
    if (bad) return problemResponse('invalid-id', `The id in the URL ${bad}.`);
    return ID.test(id) ? id : notFound(id);
  };
  const guarded =
    (run: (request: HttpRequest) => Promise<HttpResponseInit>) =>
    async (request: HttpRequest): Promise<HttpResponseInit> => {
      try {
        return await run(request);
      } catch (e) {
        if (statusOf(e) !== undefined && statusOf(e)! < 500) throw e;
        return problemResponse(
          'storage-unavailable',
          `Blob Storage did not answer in time for ${store.entityName}; try again shortly.`,
          { headers: { 'Retry-After': '5' } },
        );
      }
    };

  /** A completed file the caller may see, with its properties, or undefined. */
  const visible = async (
    folder: string,
    id: string,
    access: AccessScope,
  ): Promise<BlobGetPropertiesResponse | undefined> => {
    const props = await orMissing(
      blobs.container
        .getBlockBlobClient(`${folder}/${id}`)
        .getProperties({ abortSignal: signal() }),
    );
    if (!props || props.metadata?.[META.state] !== COMPLETE) return undefined;
    // A write after completion (the upload URL lives 15 minutes) drops the metadata, or breaks the limit: not served.
    if ((props.contentLength ?? 0) > store.maxSizeBytes) return undefined;
    if (access.ownOnly && props.metadata[META.owner] !== access.callerId) return undefined;
    return props;
  };

  const createUpload = async (request: HttpRequest): Promise<HttpResponseInit> => {
    const a = admit(request, 'create');
    if (!a.ok) return a.response;
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const declared = checkDeclaration(store, body.value);
    if (!declared.ok) return declared.response;
    const id = generateId();
    const pending: Pending = {
      ...declared.value,
      ...(a.access.callerId !== undefined ? { ownerId: a.access.callerId } : {}),
      createdOn: new Date().toISOString(),
    };
    const marker = JSON.stringify(pending);
    await blobs.container
      .getBlockBlobClient(`${PENDING_PREFIX}/${a.folder}/${id}`)
      .upload(marker, Buffer.byteLength(marker), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
        abortSignal: signal(),
      });
    const sas = await blobs.sign(`${a.folder}/${id}`, {
      permissions: 'cw',
      minutes: UPLOAD_URL_MINUTES,
      contentType: declared.value.contentType,
    });
    return jsonResponse(
      201,
      { id, uploadUrl: sas.url, expiresOn: sas.expiresOn.toISOString() },
      { Location: `${store.route}/${id}` },
    );
  };

  const complete = async (request: HttpRequest): Promise<HttpResponseInit> => {
    if (request.method.toUpperCase() !== 'POST') return methodNotAllowed(['POST'], request.method);
    const a = admit(request, 'create');
    if (!a.ok) return a.response;
    const id = itemId(request);
    if (typeof id !== 'string') return id;
    const markerBlob = blobs.container.getBlockBlobClient(`${PENDING_PREFIX}/${a.folder}/${id}`);
    const raw = await orMissing(
      markerBlob.downloadToBuffer(0, undefined, { abortSignal: signal() }),
    );
    if (!raw) return notFound(id);
    const pending = JSON.parse(raw.toString('utf8')) as Pending;
    // Only the uploader completes an upload (the access verdict's owner when an owner rule applies,
    // else anyone admitted).
    if (a.access.ownOnly && pending.ownerId !== a.access.callerId) return notFound(id);
    const blob = blobs.container.getBlockBlobClient(`${a.folder}/${id}`);
    const props = await orMissing(blob.getProperties({ abortSignal: signal() }));
    if (!props)
      return problemResponse(
        'upload-missing',
        `Nothing was uploaded for ${store.entityName} ${id}: PUT the file to its uploadUrl first, then complete it.`,
      );
    const size = props.contentLength ?? 0;
    const type = mediaTypeOf(props.contentType ?? '');
    const refusal =
      size > store.maxSizeBytes
        ? problemResponse(
            'file-too-large',
            `The file is ${String(size)} bytes; ${store.entityName} files may be at most ` +
              `${String(store.maxSizeBytes)} bytes. It was not kept.`,
          )
        : !contentTypeAllowed(type, store.contentTypes)
          ? problemResponse(
              'file-type-refused',
              `The file was stored as ${JSON.stringify(type)}, which ${store.entityName} files may not be ` +
                `(${(store.contentTypes ?? []).join(', ')}). It was not kept.`,
            )
          : size !== pending.size || type !== pending.contentType
            ? problemResponse(
                'upload-mismatch',
                `The stored file (${String(size)} bytes, ${JSON.stringify(type)}) is not the one declared ` +
                  `(${String(pending.size)} bytes, ${JSON.stringify(pending.contentType)}). It was not kept.`,
              )
            : undefined;
    if (refusal) {
      // Nothing kept: neither the bytes nor the pending upload.
      await blob.deleteIfExists({ abortSignal: signal() });
      await markerBlob.deleteIfExists({ abortSignal: signal() });
      return refusal;
    }
    const createdOn = new Date().toISOString();
    await blob.setMetadata(
      {
        [META.name]: encodeURIComponent(pending.name),
        [META.created]: createdOn,
        [META.state]: COMPLETE,
        ...(pending.ownerId !== undefined ? { [META.owner]: pending.ownerId } : {}),
        // Only the bytes just checked: a write since then changes the ETag and the completion fails (412 → retry).
      },
      { conditions: { ifMatch: props.etag! }, abortSignal: signal() },
    );
    await markerBlob.deleteIfExists({ abortSignal: signal() });
    return jsonResponse(200, metadataOf(id, pending.name, type, size, createdOn, pending.ownerId));
  };

  const list = async (request: HttpRequest): Promise<HttpResponseInit> => {
    const a = admit(request, 'list');
    if (!a.ok) return a.response;
    const limitText = request.query.get('limit');
    const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      return problemResponse(
        'invalid-limit',
        `limit must be an integer from 1 to ${String(MAX_PAGE_SIZE)}.`,
      );
    const token = request.query.get('continuationToken') ?? undefined;
    const pages = blobs.container
      .listBlobsFlat({ prefix: `${a.folder}/`, includeMetadata: true, abortSignal: signal() })
      .byPage({ maxPageSize: limit, ...(token ? { continuationToken: token } : {}) });
    const page = (await pages.next()).value as
      | {
          segment: {
            blobItems: {
              name: string;
              metadata?: Record<string, string>;
              properties: { contentLength?: number; contentType?: string };
            }[];
          };
          continuationToken?: string;
        }
      | undefined;
    const items: FileMetadata[] = [];
    for (const b of page?.segment.blobItems ?? []) {
      const m = b.metadata ?? {};
      if (m[META.state] !== COMPLETE || (b.properties.contentLength ?? 0) > store.maxSizeBytes)
        continue;
      if (a.access.ownOnly && m[META.owner] !== a.access.callerId) continue;
      items.push(
        metadataOf(
          b.name.slice(a.folder.length + 1),
          safeDecode(m[META.name] ?? ''),
          mediaTypeOf(b.properties.contentType ?? ''),
          b.properties.contentLength ?? 0,
          m[META.created] ?? '',
          m[META.owner],
        ),
      );
    }
    return jsonResponse(200, { items, continuationToken: page?.continuationToken || null });
  };

  const read = async (request: HttpRequest, given?: string): Promise<HttpResponseInit> => {
    const a = admit(request, 'read');
    if (!a.ok) return a.response;
    const id = given === undefined ? itemId(request) : ID.test(given) ? given : notFound(given);
    if (typeof id !== 'string') return id;
    const props = await visible(a.folder, id, a.access);
    if (!props) return notFound(id);
    const m = props.metadata ?? {};
    const name = safeDecode(m[META.name] ?? '');
    const type = mediaTypeOf(props.contentType ?? '');
    const sas = await blobs.sign(`${a.folder}/${id}`, {
      permissions: 'r',
      minutes: DOWNLOAD_URL_MINUTES,
      contentType: type,
      contentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
    return jsonResponse(200, {
      ...metadataOf(id, name, type, props.contentLength ?? 0, m[META.created] ?? '', m[META.owner]),
      downloadUrl: sas.url,
      expiresOn: sas.expiresOn.toISOString(),
    });
  };

  const remove = async (request: HttpRequest): Promise<HttpResponseInit> => {
    const a = admit(request, 'delete');
    if (!a.ok) return a.response;
    const id = itemId(request);
    if (typeof id !== 'string') return id;
    const props = await visible(a.folder, id, a.access);
    if (!props) return notFound(id);
    await orMissing(
      blobs.container
        .getBlockBlobClient(`${a.folder}/${id}`)
        .delete({ conditions: { ifMatch: props.etag! }, abortSignal: signal() }),
    );
    return emptyResponse(204);
  };

  const opOf = (table: Record<string, string>) => (request: HttpRequest) =>
    table[request.method.toUpperCase()] ?? 'method-not-allowed';
  return {
    collection: withRequestLog(
      labels,
      opOf({ POST: 'create-upload', GET: 'list' }),
      guarded((request) => {
        const m = request.method.toUpperCase();
        return m === 'POST'
          ? createUpload(request)
          : m === 'GET'
            ? list(request)
            : Promise.resolve(methodNotAllowed(['GET', 'POST'], request.method));
      }),
      logger,
    ),
    item: withRequestLog(
      labels,
      opOf({ GET: 'read', DELETE: 'delete' }),
      guarded((request) => {
        const m = request.method.toUpperCase();
        return m === 'GET'
          ? read(request)
          : m === 'DELETE'
            ? remove(request)
            : Promise.resolve(methodNotAllowed(['GET', 'DELETE'], request.method));
      }),
      logger,
    ),
    complete: withRequestLog(labels, opOf({ POST: 'complete' }), guarded(complete), logger),
    readFile: (request, id) => guarded((r) => read(r, id))(request),
  };
}

function methodNotAllowed(allow: readonly string[], method: string): HttpResponseInit {
  return problemResponse('method-not-allowed', `${method} is not enabled on this route.`, {
    headers: { Allow: allow.join(', ') },
  });
}

function metadataOf(
  id: string,
  name: string,
  contentType: string,
  size: number,
  createdOn: string,
  ownerId: string | undefined,
): FileMetadata {
  return { id, name, contentType, size, createdOn, ...(ownerId !== undefined ? { ownerId } : {}) };
}

/** The declared upload, checked: a name, an accepted media type, a size within the limit — else the 4xx. */
function checkDeclaration(
  store: RuntimeFileStore,
  body: Record<string, unknown>,
): Resolved<{ name: string; contentType: string; size: number }> {
  const unknown = Object.keys(body).filter((k) => !['name', 'contentType', 'size'].includes(k));
  const { name, contentType, size } = body;
  if (unknown.length)
    return invalidFile(
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: send { name, contentType, size }.`,
    );
  if (
    typeof name !== 'string' ||
    name.trim() === '' ||
    name.length > MAX_FILE_NAME_LENGTH ||
    !isWellFormed(name) ||
    /[\u0000-\u001f\u007f]/.test(name)
  ) {
    return invalidFile(
      `name must be a file name of 1 to ${String(MAX_FILE_NAME_LENGTH)} characters without control characters.`,
    );
  }
  if (
    typeof contentType !== 'string' ||
    !MEDIA_TYPE.test(mediaTypeOf(contentType)) ||
    mediaTypeOf(contentType).endsWith('/*')
  )
    return invalidFile('contentType must be a media type such as image/png.');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    return invalidFile("size must be the file's length in bytes (an integer, 0 or more).");
  if (size > store.maxSizeBytes)
    return refuse(
      'file-too-large',
      `The file is ${String(size)} bytes; ${store.entityName} files may be at most ` +
        `${String(store.maxSizeBytes)} bytes.`,
    );
  const type = mediaTypeOf(contentType);
  if (!contentTypeAllowed(type, store.contentTypes)) {
    return refuse(
      'file-type-refused',
      `${store.entityName} files may not be ${JSON.stringify(type)}; accepted: ` +
        `${(store.contentTypes ?? []).join(', ')}.`,
    );
  }
  return { ok: true, value: { name: name.trim(), contentType: type, size } };
}

function refuse(
  code: RuntimeProblemCode,
  detail: string,
): { ok: false; response: HttpResponseInit } {
  return { ok: false, response: problemResponse(code, detail) };
}

function invalidFile(detail: string): { ok: false; response: HttpResponseInit } {
  return refuse('invalid-file', detail);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** The value, or undefined when the blob is not there (404); anything else is thrown on. */
async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
