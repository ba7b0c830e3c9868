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
import type { AccessScope } from '../data/context.js';
import type { FileBlobs } from './blobs.js';
import {
  emptyResponse,
  jsonResponse,
  methodNotAllowed,
  problemResponse,
} from '../http/response.js';
import { readJsonObject } from '../http/body.js';
import type { Resolved } from '../http/scope.js';
import type { RuntimeLogger } from '../http/log.js';
import { FILE_OPERATIONS, operationIn } from '../telemetry/route-operations.js';
import type {
  AuthorizedContext,
  CallerRequest,
  CallerView,
  Endpoint,
} from '../pipeline/context.js';
import { type FileBytes, fileBytes } from './file-bytes.js';
import { runAs, serve } from '../pipeline/serve.js';
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
  readonly readFile: (call: CallerRequest, id: string) => Promise<HttpResponseInit>;
} {
  const files = new FileStoreRoutes(store, blobs, options);
  const routes = fileRoutes(store.route);
  const frame = (kind: 'collection' | 'item' | 'complete', table: Record<string, string>) => ({
    labels: { component: store.componentId, entity: store.entityName },
    operationOf: (request: HttpRequest) =>
      table[request.method.toUpperCase()] ?? 'method-not-allowed',
    ...(options.logger ? { logger: options.logger } : {}),
    // One server span per request (runtime/telemetry/request-span.ts).
    trace: {
      route: routes[kind],
      component: store.componentId,
      operationOf: operationIn(FILE_OPERATIONS[kind]),
      caller: (view: CallerView) => view.traced(store),
    },
  });
  const endpoint = (
    table: Readonly<Record<string, FileOperation>>,
    given?: string,
  ): Endpoint<FileOperation> => ({
    policy: options.caller,
    resource: store,
    route: (ctx) => {
      const op = ctx.method ? table[ctx.method] : undefined;
      return op
        ? { ok: true, value: op }
        : methodNotAllowed(Object.keys(table), ctx.request.method);
    },
    operation: (op) => OPERATION_RULE[op],
    handle: (ctx) => files.run(ctx.route, ctx, given),
  });
  return {
    collection: serve(
      endpoint({ GET: 'list', POST: 'create-upload' }),
      frame('collection', { POST: 'create-upload', GET: 'list' }),
    ),
    item: serve(
      endpoint({ GET: 'read', DELETE: 'delete' }),
      frame('item', { GET: 'read', DELETE: 'delete' }),
    ),
    complete: serve(endpoint({ POST: 'complete' }), frame('complete', { POST: 'complete' })),
    readFile: (call, id) => runAs(endpoint({ GET: 'read' }, id), call, 'GET'),
  };
}

/** What a FileStore's routes do, by method. */
type FileOperation = 'create-upload' | 'list' | 'read' | 'delete' | 'complete';

/** The access rule each operation is checked against (`create` uploads and completes). */
const OPERATION_RULE: Readonly<Record<FileOperation, CrudOperation>> = {
  'create-upload': 'create',
  complete: 'create',
  list: 'list',
  read: 'read',
  delete: 'delete',
};

/**
 * One request of a FileStore, as the pipeline resolved it: the tenant's folder, the access verdict, and its bytes
 * under the plan's storage quota and in the usage ledger.
 */
interface FileCall {
  readonly request: HttpRequest;
  readonly folder: string;
  readonly access: AccessScope;
  readonly bytes: FileBytes;
}

/** A FileStore's operations over one state: its blobs, budgets and clock. */
class FileStoreRoutes {
  readonly container: FileBlobs['container'];
  readonly generateId: () => string;
  readonly now: () => number;
  readonly maxPending: number;
  readonly maxUrls: number;
  // Shared files of a multi-tenant backend show their uploader to the uploader only, as shared CrudApi items do
  // (access/owner-privacy.ts): one customer's user ids never reach another customer.
  readonly hiding: boolean;
  readonly signal: () => AbortSignal;

  constructor(
    readonly store: RuntimeFileStore,
    readonly blobs: FileBlobs,
    options: FileHandlerOptions,
  ) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.signal = () => AbortSignal.timeout(timeoutMs);
    this.container = blobs.container;
    this.generateId = options.generateId ?? randomUUID;
    this.now = options.now ?? Date.now;
    this.maxPending = store.maxPendingUploads ?? DEFAULT_MAX_PENDING_UPLOADS;
    this.maxUrls = uploadUrlsPerCaller(this.maxPending);
    this.hiding = store.tenancy === 'shared' && options.caller?.allowedTenants !== undefined;
  }

  /** The operation for the request the pipeline admitted, storage failures mapped (never a 500 for a race). */
  async run(
    op: FileOperation,
    ctx: AuthorizedContext<FileOperation>,
    given?: string,
  ): Promise<HttpResponseInit> {
    const a: FileCall = {
      request: ctx.request,
      folder: tenantFolder(ctx.tenant),
      access: ctx.access ?? { ownerField: 'ownerId', callerId: undefined, ownOnly: false },
      bytes: fileBytes(this.store, ctx, ctx),
    };
    try {
      if (op === 'create-upload') return await this.createUpload(a);
      if (op === 'list') return await this.list(a);
      if (op === 'read') return await this.read(a, given);
      if (op === 'delete') return await this.remove(a);
      return await this.complete(a);
    } catch (e) {
      return this.storageFailure(e);
    } finally {
      a.bytes.end();
    }
  }

  private storageFailure(e: unknown): HttpResponseInit {
    const status = statusOf(e);
    // A step that lost a race (a concurrent delete or completion removed or changed the blob between two
    // calls): the client's to retry, never a 500.
    if (status === 404 || status === 409 || status === 412)
      return problemResponse(
        'write-contention',
        `A concurrent change to this ${this.store.entityName} won; read it again and retry.`,
      );
    if (status !== undefined && status < 500) throw e;
    return problemResponse(
      'storage-unavailable',
      `Blob Storage did not answer in time for ${this.store.entityName}; try again shortly.`,
      { headers: { 'Retry-After': '5' } },
    );
  }

  notFound(id: string): HttpResponseInit {
    return problemResponse('not-found', `No ${this.store.entityName} ${id}.`);
  }

  itemId(request: HttpRequest): string | HttpResponseInit {
    const id = request.params['id'] ?? '';
    const bad = checkId(id);
    if (bad) return problemResponse('invalid-id', `The id in the URL ${bad}.`);
    return ID.test(id) ? id : this.notFound(id);
  }

  shown(response: HttpResponseInit, callerId: string | undefined): HttpResponseInit {
    return this.hiding ? withoutOthersOwners(response, 'ownerId', callerId) : response;
  }

  /** A completed file the caller may see, with its properties, or undefined. Only the runtime writes there. */
  async visible(
    folder: string,
    id: string,
    access: AccessScope,
  ): Promise<BlobGetPropertiesResponse | undefined> {
    const props = await orMissing(
      this.container
        .getBlockBlobClient(`${folder}/${id}`)
        .getProperties({ abortSignal: this.signal() }),
    );
    if (!props || props.metadata?.[META.state] !== COMPLETE) return undefined;
    if (access.ownOnly && props.metadata[META.owner] !== access.callerId) return undefined;
    return props;
  }

  metadataFrom(id: string, m: Record<string, string>, size: number): FileMetadata {
    return metadataOf(
      id,
      safeDecode(m[META.name] ?? ''),
      m[META.type] ?? '',
      size,
      m[META.created] ?? '',
      m[META.owner],
    );
  }

  async createUpload(a: FileCall): Promise<HttpResponseInit> {
    const body = await readJsonObject(a.request);
    if (!body.ok) return body.response;
    const declared = checkDeclaration(this.store, body.value);
    if (!declared.ok) return declared.response;
    // The declared size under the plan's storageMb (the completion checks the real one again).
    const over = await a.bytes.check(declared.value.size);
    if (over) return over;
    const caller = a.access.callerId;
    const tooManyUrls = (held: readonly UrlRecord[]) =>
      problemResponse(
        'too-many-uploads',
        `You hold ${String(this.maxUrls)} ${this.store.entityName} upload URLs from the last ` +
          `${String(UPLOAD_URL_MINUTES)} minutes or not yet completed, the most allowed: an upload URL counts ` +
          'until it expires, even once its upload is completed or deleted. Retry after the time given.',
        { headers: { 'Retry-After': String(urlRetryAfterSeconds(held, this.now())) } },
      );
    const tooMany = (live: readonly { created: number }[]) =>
      problemResponse(
        'too-many-uploads',
        `You have ${String(this.maxPending)} ${this.store.entityName} uploads declared and not completed, the most ` +
          'allowed: complete or delete one, or wait until the oldest expires.',
        { headers: { 'Retry-After': String(retryAfterSeconds(live, this.now())) } },
      );
    const live = await livePending(this.container, a.folder, caller, this.now(), this.signal);
    // What finished uploads' URLs wrote is deleted first, whatever this declaration's answer (upload-urls.ts).
    const held = await sweepUrls(this.container, a.folder, caller, this.now(), this.signal);
    if (live.length >= this.maxPending) return tooMany(live);
    if (held.length >= this.maxUrls) return tooManyUrls(held);
    const id = this.generateId();
    const paths = uploadPaths(a.folder, caller, id);
    const pending: PendingUpload = {
      ...declared.value,
      ...(caller !== undefined ? { ownerId: caller } : {}),
      createdOn: new Date(this.now()).toISOString(),
    };
    // Concurrent declarations may each have seen room: a URL record and a pending slot are each taken
    // create-if-absent, so at most maxUrls and maxPending stand, whatever the interleaving. The URL record comes
    // first: no URL is signed without one.
    const record = await claimUrl(
      this.container,
      a.folder,
      caller,
      this.maxUrls,
      held,
      id,
      this.now(),
      this.signal,
    );
    if (!record) return tooManyUrls(held);
    if (
      !(await claimSlot(
        this.container,
        a.folder,
        caller,
        this.maxPending,
        live,
        id,
        pending,
        this.signal,
      ))
    ) {
      await releaseUrl(this.container, record, this.signal);
      return tooMany(live);
    }
    const sas = await this.blobs.sign(paths.staging, {
      permissions: 'cw',
      minutes: UPLOAD_URL_MINUTES,
      contentType: declared.value.contentType,
    });
    return jsonResponse(
      201,
      { id, uploadUrl: sas.url, expiresOn: sas.expiresOn.toISOString() },
      { Location: `${this.store.route}/${id}` },
    );
  }

  async complete(a: FileCall): Promise<HttpResponseInit> {
    const id = this.itemId(a.request);
    if (typeof id !== 'string') return id;
    const ctx = {
      store: this.store,
      container: this.container,
      folder: a.folder,
      callerId: a.access.callerId,
      signal: this.signal,
      now: this.now,
      quota: a.bytes.hold,
      stored: a.bytes.stored,
      ...(a.bytes.creator !== undefined ? { creator: a.bytes.creator } : {}),
    };
    const response = await completeUpload(ctx, id, async (done) => {
      const props = await this.visible(a.folder, done, a.access);
      // Only the uploader's own completion answers with the file (its record was under the uploader's key).
      if (!props || props.metadata?.[META.owner] !== a.access.callerId) return undefined;
      return this.metadataFrom(done, props.metadata ?? {}, props.contentLength ?? 0);
    });
    return this.shown(response, a.access.callerId);
  }

  async list(a: FileCall): Promise<HttpResponseInit> {
    const limitText = a.request.query.get('limit');
    const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      return problemResponse(
        'invalid-limit',
        `limit must be an integer from 1 to ${String(MAX_PAGE_SIZE)}.`,
      );
    const token = a.request.query.get('continuationToken') ?? undefined;
    const pages = this.container
      .listBlobsFlat({ prefix: `${a.folder}/`, includeMetadata: true, abortSignal: this.signal() })
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
        this.metadataFrom(b.name.slice(a.folder.length + 1), m, b.properties.contentLength ?? 0),
      );
    }
    return this.shown(
      jsonResponse(200, { items, continuationToken: page?.continuationToken || null }),
      a.access.callerId,
    );
  }

  async read(a: FileCall, given?: string): Promise<HttpResponseInit> {
    const id =
      given === undefined ? this.itemId(a.request) : ID.test(given) ? given : this.notFound(given);
    if (typeof id !== 'string') return id;
    const props = await this.visible(a.folder, id, a.access);
    if (!props) return this.notFound(id);
    const meta = this.metadataFrom(id, props.metadata ?? {}, props.contentLength ?? 0);
    // Type and disposition come from the runtime's record and are fixed in the SAS (rsct, rscd), whatever the
    // blob's own properties say; only a type the completion's checks vouch for is inline (sniff.ts), any other —
    // a page, a script, a type a browser would sniff — is a download.
    const disposition = servedInline(meta.contentType) ? 'inline' : 'attachment';
    const sas = await this.blobs.sign(`${a.folder}/${id}`, {
      permissions: 'r',
      minutes: DOWNLOAD_URL_MINUTES,
      contentType: meta.contentType,
      contentDisposition: `${disposition}; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    });
    return this.shown(
      jsonResponse(200, {
        ...meta,
        downloadUrl: sas.url,
        expiresOn: sas.expiresOn.toISOString(),
      }),
      a.access.callerId,
    );
  }

  async remove(a: FileCall): Promise<HttpResponseInit> {
    const id = this.itemId(a.request);
    if (typeof id !== 'string') return id;
    const props = await this.visible(a.folder, id, a.access);
    if (!props) {
      // The caller's own declared upload, not completed: withdrawn, with whatever was staged for it.
      const own = await findPending(this.container, a.folder, a.access.callerId, id, this.signal);
      if (!own) return this.notFound(id);
      await discardUpload(
        this.container,
        a.folder,
        a.access.callerId,
        id,
        this.now(),
        this.signal,
        own.listed,
      );
      return emptyResponse(204);
    }
    // Only the version just checked (a concurrent delete or completion → 409 write-contention, never a 500).
    await this.container
      .getBlockBlobClient(`${a.folder}/${id}`)
      .delete({ conditions: { ifMatch: props.etag! }, abortSignal: this.signal() });
    // Only the delete of the version just read succeeds (a twin's fails on the etag): its bytes freed once.
    a.bytes.removed(props.contentLength ?? 0, props.metadata ?? {});
    // And anything the upload URL may still write there (it lives 15 minutes), with the uploader's record.
    await discardUpload(
      this.container,
      a.folder,
      props.metadata?.[META.owner],
      id,
      this.now(),
      this.signal,
    );
    return emptyResponse(204);
  }
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
