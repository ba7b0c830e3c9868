import { randomUUID } from 'node:crypto';
import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { BlobGetPropertiesResponse } from '@azure/storage-blob';
import type { CrudOperation, RuntimeAuth, RuntimeFileStore } from '../../model/runtime-manifest.js';
import {
  contentTypeAllowed,
  DEFAULT_MAX_PENDING_UPLOADS,
  fileRoutes,
  DOWNLOAD_URL_MINUTES,
  type FileMetadata,
  MAX_FILE_NAME_LENGTH,
  MEDIA_TYPE,
  mediaTypeOf,
  unsafeFileNameCharacter,
  UPLOAD_URL_MINUTES,
  uploadUrlsPerCaller,
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
import { traceRequests } from '../telemetry/request-span.js';
import { FILE_OPERATIONS, operationIn } from '../telemetry/route-operations.js';
import { tracedCaller } from '../access/traced-caller.js';
import { checkId } from '../http/schema-validator.js';
import { withoutOthersOwners } from '../access/owner-privacy.js';
import { COMPLETE, META, tenantFolder, uploadPaths } from './layout.js';
import {
  claimSlot,
  discardUpload,
  findPending,
  livePending,
  type PendingUpload,
  retryAfterSeconds,
} from './pending.js';
import { completeUpload, orMissing, statusOf } from './complete.js';
import {
  claimUrl,
  releaseUrl,
  sweepUrls,
  type UrlRecord,
  urlRetryAfterSeconds,
} from './upload-urls.js';
import { servedInline } from './sniff.js';
import { authenticate, resolveTenant } from '../access/tenant-source.js';
import { admitDirectory } from '../access/tenant-admission.js';
import { isWellFormed } from '../values/text-checks.js';

export { tenantFolder } from './layout.js';

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
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Build a FileStore's handlers over its blobs. The same admission as a CrudApi's routes (signed in, allowed
 * directory, the tenant from the token), the same access rules (`create` uploads and completes, `read`, `list`,
 * `delete`), and every blob under the caller's tenant folder (layout.ts): the upload URL reaches
 * `~staging/<tenant>/<id>` only, the runtime records the declaration under `~pending/…`, and what is listed and
 * served (`<tenant>/<id>`) is the runtime's copy, written after its checks. Under an owner rule a file is its
 * uploader's (`ownerid`, set by the runtime): others get 404.
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
  const now = options.now ?? Date.now;
  const container = blobs.container;
  const maxPending = store.maxPendingUploads ?? DEFAULT_MAX_PENDING_UPLOADS;
  const maxUrls = uploadUrlsPerCaller(maxPending);
  // Shared files of a multi-tenant backend show their uploader to the uploader only, as shared CrudApi items do
  // (access/owner-privacy.ts): one customer's user ids never reach another customer.
  const hiding = store.tenancy === 'shared' && options.caller?.allowedTenants !== undefined;

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
        const status = statusOf(e);
        // A step that lost a race (a concurrent delete or completion removed or changed the blob between two
        // calls): the client's to retry, never a 500.
        if (status === 404 || status === 409 || status === 412)
          return problemResponse(
            'write-contention',
            `A concurrent change to this ${store.entityName} won; read it again and retry.`,
          );
        if (status !== undefined && status < 500) throw e;
        return problemResponse(
          'storage-unavailable',
          `Blob Storage did not answer in time for ${store.entityName}; try again shortly.`,
          { headers: { 'Retry-After': '5' } },
        );
      }
    };
  const shown = (response: HttpResponseInit, callerId: string | undefined) =>
    hiding ? withoutOthersOwners(response, 'ownerId', callerId) : response;

  /** A completed file the caller may see, with its properties, or undefined. Only the runtime writes there. */
  const visible = async (
    folder: string,
    id: string,
    access: AccessScope,
  ): Promise<BlobGetPropertiesResponse | undefined> => {
    const props = await orMissing(
      container.getBlockBlobClient(`${folder}/${id}`).getProperties({ abortSignal: signal() }),
    );
    if (!props || props.metadata?.[META.state] !== COMPLETE) return undefined;
    if (access.ownOnly && props.metadata[META.owner] !== access.callerId) return undefined;
    return props;
  };
  const metadataFrom = (id: string, m: Record<string, string>, size: number): FileMetadata =>
    metadataOf(
      id,
      safeDecode(m[META.name] ?? ''),
      m[META.type] ?? '',
      size,
      m[META.created] ?? '',
      m[META.owner],
    );

  const createUpload = async (request: HttpRequest): Promise<HttpResponseInit> => {
    const a = admit(request, 'create');
    if (!a.ok) return a.response;
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const declared = checkDeclaration(store, body.value);
    if (!declared.ok) return declared.response;
    const caller = a.access.callerId;
    const tooManyUrls = (held: readonly UrlRecord[]) =>
      problemResponse(
        'too-many-uploads',
        `You hold ${String(maxUrls)} ${store.entityName} upload URLs from the last ` +
          `${String(UPLOAD_URL_MINUTES)} minutes or not yet completed, the most allowed: an upload URL counts ` +
          'until it expires, even once its upload is completed or deleted. Retry after the time given.',
        { headers: { 'Retry-After': String(urlRetryAfterSeconds(held, now())) } },
      );
    const tooMany = (live: readonly { created: number }[]) =>
      problemResponse(
        'too-many-uploads',
        `You have ${String(maxPending)} ${store.entityName} uploads declared and not completed, the most ` +
          'allowed: complete or delete one, or wait until the oldest expires.',
        { headers: { 'Retry-After': String(retryAfterSeconds(live, now())) } },
      );
    const live = await livePending(container, a.folder, caller, now(), signal);
    // What finished uploads' URLs wrote is deleted first, whatever this declaration's answer (upload-urls.ts).
    const held = await sweepUrls(container, a.folder, caller, now(), signal);
    if (live.length >= maxPending) return tooMany(live);
    if (held.length >= maxUrls) return tooManyUrls(held);
    const id = generateId();
    const paths = uploadPaths(a.folder, caller, id);
    const pending: PendingUpload = {
      ...declared.value,
      ...(caller !== undefined ? { ownerId: caller } : {}),
      createdOn: new Date(now()).toISOString(),
    };
    // Concurrent declarations may each have seen room: a URL record and a pending slot are each taken
    // create-if-absent, so at most maxUrls and maxPending stand, whatever the interleaving. The URL record comes
    // first: no URL is signed without one.
    const record = await claimUrl(container, a.folder, caller, maxUrls, held, id, now(), signal);
    if (!record) return tooManyUrls(held);
    if (!(await claimSlot(container, a.folder, caller, maxPending, live, id, pending, signal))) {
      await releaseUrl(container, record, signal);
      return tooMany(live);
    }
    const sas = await blobs.sign(paths.staging, {
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
    const ctx = { store, container, folder: a.folder, callerId: a.access.callerId, signal, now };
    const response = await completeUpload(ctx, id, async (done) => {
      const props = await visible(a.folder, done, a.access);
      // Only the uploader's own completion answers with the file (its record was under the uploader's key).
      if (!props || props.metadata?.[META.owner] !== a.access.callerId) return undefined;
      return metadataFrom(done, props.metadata ?? {}, props.contentLength ?? 0);
    });
    return shown(response, a.access.callerId);
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
    const pages = container
      .listBlobsFlat({ prefix: `${a.folder}/`, includeMetadata: true, abortSignal: signal() })
      .byPage({ maxPageSize: limit, ...(token ? { continuationToken: token } : {}) });
    const page = (await pages.next()).value as
      | {
          segment: {
            blobItems: {
              name: string;
              metadata?: Record<string, string>;
              properties: { contentLength?: number };
            }[];
          };
          continuationToken?: string;
        }
      | undefined;
    const items: FileMetadata[] = [];
    for (const b of page?.segment.blobItems ?? []) {
      const m = b.metadata ?? {};
      if (m[META.state] !== COMPLETE) continue;
      if (a.access.ownOnly && m[META.owner] !== a.access.callerId) continue;
      items.push(
        metadataFrom(b.name.slice(a.folder.length + 1), m, b.properties.contentLength ?? 0),
      );
    }
    return shown(
      jsonResponse(200, { items, continuationToken: page?.continuationToken || null }),
      a.access.callerId,
    );
  };

  const read = async (request: HttpRequest, given?: string): Promise<HttpResponseInit> => {
    const a = admit(request, 'read');
    if (!a.ok) return a.response;
    const id = given === undefined ? itemId(request) : ID.test(given) ? given : notFound(given);
    if (typeof id !== 'string') return id;
    const props = await visible(a.folder, id, a.access);
    if (!props) return notFound(id);
    const meta = metadataFrom(id, props.metadata ?? {}, props.contentLength ?? 0);
    // Type and disposition come from the runtime's record and are fixed in the SAS (rsct, rscd), whatever the
    // blob's own properties say; only a type the completion's checks vouch for is inline (sniff.ts), any other —
    // a page, a script, a type a browser would sniff — is a download.
    const disposition = servedInline(meta.contentType) ? 'inline' : 'attachment';
    const sas = await blobs.sign(`${a.folder}/${id}`, {
      permissions: 'r',
      minutes: DOWNLOAD_URL_MINUTES,
      contentType: meta.contentType,
      contentDisposition: `${disposition}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    });
    return shown(
      jsonResponse(200, {
        ...meta,
        downloadUrl: sas.url,
        expiresOn: sas.expiresOn.toISOString(),
      }),
      a.access.callerId,
    );
  };

  const remove = async (request: HttpRequest): Promise<HttpResponseInit> => {
    const a = admit(request, 'delete');
    if (!a.ok) return a.response;
    const id = itemId(request);
    if (typeof id !== 'string') return id;
    const props = await visible(a.folder, id, a.access);
    if (!props) {
      // The caller's own declared upload, not completed: withdrawn, with whatever was staged for it.
      const own = await findPending(container, a.folder, a.access.callerId, id, signal);
      if (!own) return notFound(id);
      await discardUpload(container, a.folder, a.access.callerId, id, now(), signal, own.listed);
      return emptyResponse(204);
    }
    // Only the version just checked (a concurrent delete or completion → 409 write-contention, never a 500).
    await container
      .getBlockBlobClient(`${a.folder}/${id}`)
      .delete({ conditions: { ifMatch: props.etag! }, abortSignal: signal() });
    // And anything the upload URL may still write there (it lives 15 minutes), with the uploader's record.
    await discardUpload(container, a.folder, props.metadata?.[META.owner], id, now(), signal);
    return emptyResponse(204);
  };

  const opOf = (table: Record<string, string>) => (request: HttpRequest) =>
    table[request.method.toUpperCase()] ?? 'method-not-allowed';
  // One server span per request (runtime/telemetry/request-span.ts).
  const routes = fileRoutes(store.route);
  const traced = (kind: 'collection' | 'item' | 'complete') => ({
    route: routes[kind],
    component: store.componentId,
    operationOf: operationIn(FILE_OPERATIONS[kind]),
    callerOf: tracedCaller(store, options.caller),
  });
  return {
    collection: traceRequests(
      traced('collection'),
      withRequestLog(
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
    ),
    item: traceRequests(
      traced('item'),
      withRequestLog(
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
    ),
    complete: traceRequests(
      traced('complete'),
      withRequestLog(labels, opOf({ POST: 'complete' }), guarded(complete), logger),
    ),
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
    !isWellFormed(name)
  ) {
    return invalidFile(
      `name must be a file name of 1 to ${String(MAX_FILE_NAME_LENGTH)} characters without control characters.`,
    );
  }
  const unsafe = unsafeFileNameCharacter(name);
  if (unsafe)
    return invalidFile(
      `name holds ${unsafe.codePoint} at character ${String(unsafe.position)}: file names may not hold control ` +
        'characters, line or paragraph separators, or bidirectional overrides and isolates (which make a ' +
        'name display as another).',
    );
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
