import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { BlobGetPropertiesResponse } from '@azure/storage-blob';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import {
  DEFAULT_MAX_PENDING_UPLOADS,
  DOWNLOAD_URL_MINUTES,
  type FileMetadata,
  uploadUrlsPerCaller,
} from '../../contract/files.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contract/paging.js';
import type { AccessScope } from '../data/access-scope.js';
import { withoutOthersOwners } from '../access/owner-privacy.js';
import { refusedWrite } from '../access/scope.js';
import { emptyResponse, jsonResponse, problemResponse } from '../http/response.js';
import { checkId } from '../http/schema-validator.js';
import type { AuthorizedContext } from '../pipeline/context.js';
import { fileBytes } from './file-bytes.js';
import type { FileBlobs } from './blobs.js';
import { completeUpload, orMissing, statusOf } from './complete.js';
import { createUpload, type UploadRoutes } from './create-upload.js';
import { metadataOf, safeDecode } from './declaration.js';
import { FILE_ID, type FileCall, type FileOperation } from './file-call.js';
import { COMPLETE, META, tenantFolder } from './layout.js';
import type { FileHandlerOptions } from './options.js';
import { discardUpload, findPending } from './pending.js';
import { servedInline } from './sniff.js';
import { versionOf } from './stamped-blobs.js';

/**
 * A FileStore's operations over one state: its blobs, budgets and clock.
 *
 * @example
 * ```ts
 * const files = new FileStoreRoutes(store, blobs, options);
 * return files.run(ctx.route, ctx);
 * ```
 */
export class FileStoreRoutes implements UploadRoutes {
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
    const access = ctx.access ?? { ownerField: 'ownerId', callerId: undefined, ownOnly: false };
    const a: FileCall = {
      request: ctx.request,
      uploads: {
        container: this.container,
        folder: tenantFolder(ctx.tenant),
        caller: access.callerId,
        signal: this.signal,
      },
      access,
      bytes: fileBytes(this.store, ctx, ctx),
    };
    try {
      if (op === 'create-upload') return await createUpload(this, a);
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
    return FILE_ID.test(id) ? id : this.notFound(id);
  }

  shown(response: HttpResponseInit, callerId: string | undefined): HttpResponseInit {
    return this.hiding ? withoutOthersOwners(response, 'ownerId', callerId) : response;
  }

  /** A completed file of the folder, whoever's, with its properties, or undefined. Only the runtime writes there. */
  async completed(folder: string, id: string): Promise<BlobGetPropertiesResponse | undefined> {
    const props = await orMissing(
      this.container
        .getBlockBlobClient(`${folder}/${id}`)
        .getProperties({ abortSignal: this.signal() }),
    );
    return props?.metadata?.[META.state] === COMPLETE ? props : undefined;
  }

  /** A completed file the caller may see, with its properties, or undefined. */
  async visible(
    folder: string,
    id: string,
    access: AccessScope,
  ): Promise<BlobGetPropertiesResponse | undefined> {
    const props = await this.completed(folder, id);
    return props && reaches(props, access) ? props : undefined;
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

  async complete(a: FileCall): Promise<HttpResponseInit> {
    const id = this.itemId(a.request);
    if (typeof id !== 'string') return id;
    const ctx = {
      ...a.uploads,
      store: this.store,
      now: this.now,
      quota: a.bytes.hold,
      stored: a.bytes.stored,
      ...(a.bytes.creator !== undefined ? { creator: a.bytes.creator } : {}),
    };
    let refused: HttpResponseInit | undefined;
    const response = await completeUpload(ctx, id, async (done) => {
      const props = await this.completed(a.uploads.folder, done);
      if (!props) return undefined;
      // Only the uploader's own completion answers with the file (its record was under the uploader's key).
      if (props.metadata?.[META.owner] === a.access.callerId)
        return this.metadataFrom(done, props.metadata ?? {}, props.contentLength ?? 0);
      // Another's file the caller may read: it exists for them, so a denied write of it (a CrudApi's 403), not 404.
      if (a.access.readsAll) refused = this.notTheirUpload(done);
      return undefined;
    });
    return refused ?? this.shown(response, a.access.callerId);
  }

  /** The 403 of a completion of another's file the caller reads: only the uploader completes (docs/files.md). */
  private notTheirUpload(id: string): HttpResponseInit {
    const name = this.store.entityName;
    return problemResponse(
      'access-denied',
      `You may read ${name} ${id} but not complete it: only the caller who declared an upload completes it, ` +
        'and you did not upload this file.',
      { operation: 'create', rules: [] },
    );
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
      .listBlobsFlat({
        prefix: `${a.uploads.folder}/`,
        includeMetadata: true,
        abortSignal: this.signal(),
      })
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
        this.metadataFrom(
          b.name.slice(a.uploads.folder.length + 1),
          m,
          b.properties.contentLength ?? 0,
        ),
      );
    }
    return this.shown(
      jsonResponse(200, { items, continuationToken: page?.continuationToken || null }),
      a.access.callerId,
    );
  }

  async read(a: FileCall, given?: string): Promise<HttpResponseInit> {
    const id =
      given === undefined
        ? this.itemId(a.request)
        : FILE_ID.test(given)
          ? given
          : this.notFound(given);
    if (typeof id !== 'string') return id;
    const props = await this.visible(a.uploads.folder, id, a.access);
    if (!props) return this.notFound(id);
    const meta = this.metadataFrom(id, props.metadata ?? {}, props.contentLength ?? 0);
    // Type and disposition come from the runtime's record and are fixed in the SAS (rsct, rscd), whatever the
    // blob's own properties say; only a type the completion's checks vouch for is inline (sniff.ts), any other —
    // a page, a script, a type a browser would sniff — is a download.
    const disposition = servedInline(meta.contentType) ? 'inline' : 'attachment';
    const sas = await this.blobs.sign(`${a.uploads.folder}/${id}`, {
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
    const props = await this.completed(a.uploads.folder, id);
    if (!props || !reaches(props, a.access)) {
      // Another's file the caller may read but not delete: the CrudApi's 403 naming the owner rule
      // (access/scope.ts); one they may not read stays 404 (its existence is not theirs to learn).
      const refused = props && refusedWrite({ entity: this.store, access: a.access });
      if (refused) return refused;
      // The caller's own declared upload, not completed: withdrawn, with whatever was staged for it.
      const own = await findPending(a.uploads, id);
      if (!own) return this.notFound(id);
      await discardUpload(a.uploads, id, this.now(), own.listed);
      return emptyResponse(204);
    }
    // Only the version just checked (a concurrent delete or completion → 409 write-contention, never a 500).
    await this.container
      .getBlockBlobClient(`${a.uploads.folder}/${id}`)
      .delete({ conditions: { ifMatch: versionOf(props) }, abortSignal: this.signal() });
    // Only the delete of the version just read succeeds (a twin's fails on the etag): its bytes freed once.
    a.bytes.removed(props.contentLength ?? 0, props.metadata ?? {});
    // And anything the upload URL may still write there (it lives 15 minutes), with the uploader's record.
    await discardUpload({ ...a.uploads, caller: props.metadata?.[META.owner] }, id, this.now());
    return emptyResponse(204);
  }
}

/** Whether a completed file is within the request's scope: always, unless only the caller's own files are. */
function reaches(props: BlobGetPropertiesResponse, access: AccessScope): boolean {
  return !access.ownOnly || props.metadata?.[META.owner] === access.callerId;
}
