// A FileStore's doors (DESIGN §2, "Access you can prove"; docs/files.md's routes) as rows of data for the one door
// engine (door-engine.ts): the CRUD shape — each column uploads its own file, then every column lists, reads and
// deletes every column's — with bodies that are bytes. Which answer each column's request on each file must give is
// the CRUD proof's expectation (expect.ts), applied by prove-files.ts to each file before the door is knocked on.
import { contentTypeAllowed } from '../../../contract/files.js';
import { MAX_PAGE_SIZE } from '../../../contract/paging.js';
import type { MatrixPrincipal, MatrixRow } from '../../../access/matrix/types.js';
import type { RuntimeFileStore } from '../../../model/runtime-manifest.js';
import { type DoorCtx, type Door, doorIn } from '../door-engine.js';
import { expectOn, type ProbeItem } from '../expect.js';
import { send } from '../loopback-http.js';

/** A file the proof uploaded and completed: a probe item whose body is bytes (its uploader's column named in them). */
export interface ProbeFile extends ProbeItem {
  readonly bytes: Buffer;
}

/** An upload a column declared and whose bytes it sent: what its completion finishes. */
interface Declared {
  readonly id: string;
  readonly bytes: Buffer;
}

/** What a FileStore's doors work with: its store, the uploads and files so far, and the file a door is about. */
export interface FileCtx extends DoorCtx {
  readonly store: RuntimeFileStore;
  /** The media type the proof's files are declared as, and the bytes of each column's. */
  readonly kind: { readonly contentType: string; bytes(column: string): Buffer };
  /** Each column's declared upload, by column key (the upload door's allowed turns). */
  readonly uploads: Map<string, Declared>;
  /** The completed files, in column order (the complete door's allowed turns). */
  readonly files: ProbeFile[];
  /** The file the item doors (get, delete) are about. */
  readonly item?: ProbeFile;
  /** Who reads a file back: its uploader. */
  readonly ownerOf: (f: ProbeFile) => MatrixPrincipal;
}

const fileDoor = doorIn<FileCtx>();

/** Files with a signature the runtime checks (docs/files.md, "Trust") start with it; the rest is the column's name. */
const KINDS: readonly (readonly [string, string])[] = [
  ['text/plain', ''],
  ['application/pdf', '%PDF-1.4\n'],
  ['image/png', '\x89PNG\r\n\x1a\n'],
  ['image/gif', 'GIF89a'],
  ['application/octet-stream', ''],
];

/**
 * The media type the proof's files are declared as (the first of text, PDF, PNG, GIF and octet-stream the store
 * accepts, else its first listed type) and each column's bytes: the type's signature, then `verify file of <column>`
 * — what a download must answer.
 *
 * @example
 * ```ts
 * fileKind(['image/*']).contentType; // 'image/png'
 * ```
 */
export function fileKind(contentTypes: readonly string[] | undefined): FileCtx['kind'] {
  const [contentType, head] = KINDS.find(([t]) => contentTypeAllowed(t, contentTypes)) ?? [
    (contentTypes ?? []).find((t) => !t.endsWith('/*')) ?? 'application/octet-stream',
    '',
  ];
  return {
    contentType,
    bytes: (column) => Buffer.from(`${head}verify file of ${column}\n`, 'latin1'),
  };
}

/**
 * `item`'s path under the app, with `suffix`.
 *
 * @example
 * ```ts
 * filePath(store, '0b…', '/complete'); // 'api/attachments/0b…/complete'
 * ```
 */
const filePath = (store: RuntimeFileStore, id: string, suffix = '') =>
  `api/${store.route}/${encodeURIComponent(id)}${suffix}`;

/** The PUT of `bytes` to an upload URL (a SAS: no sign-in of the proof's travels to storage), counted. */
async function put(ctx: FileCtx, url: string, bytes: Buffer): Promise<number> {
  ctx.proof.report.requests += 1;
  const headers = { 'x-ms-blob-type': 'BlockBlob', 'content-type': ctx.kind.contentType };
  return (await send('PUT', url, headers, bytes)).status;
}

const body = (ctx: FileCtx, who: MatrixPrincipal) => ({
  name: `verify-${who.key}`,
  contentType: ctx.kind.contentType,
  size: ctx.kind.bytes(who.key).length,
});

/** The declaration's answer with the bytes sent to its upload URL: the upload, or what went wrong. */
async function sent(ctx: FileCtx, answer: unknown, bytes: Buffer): Promise<Declared | string> {
  const { id, uploadUrl } = (answer ?? {}) as { id?: unknown; uploadUrl?: unknown };
  if (typeof id !== 'string' || typeof uploadUrl !== 'string')
    return `answered no id and uploadUrl: ${JSON.stringify(answer).slice(0, 200)}`;
  const status = await put(ctx, uploadUrl, bytes);
  return status === 201 ? { id, bytes } : `its upload URL answered the bytes ${String(status)}`;
}

/** The ids of the proof's files a list page shows, in column order. */
const listedOf = (ctx: FileCtx, page: unknown) => {
  const seen = new Set(
    ((page as { items?: { id?: unknown }[] } | undefined)?.items ?? []).map((x) => String(x.id)),
  );
  return ctx.files.filter((f) => seen.has(f.id)).map((f) => f.owner);
};

const shared = (store: RuntimeFileStore) => store.tenancy === 'shared';

/**
 * The files `who` must see through `cell` (a list's, or a get's): the CRUD proof's expectation on each
 * (expect.ts), another's file it may not read being 404 (docs/files.md).
 *
 * @example
 * ```ts
 * visibleTo(ctx, 'tenant', who); // the files of who's tenant
 * ```
 */
const visibleTo = (ctx: FileCtx, cell: Parameters<typeof expectOn>[0], who: MatrixPrincipal) =>
  ctx.files.filter((f) => expectOn(cell, false, who, f, cell, shared(ctx.store)) === 'ok');

/** The file a door is about (prove-files.ts sets it for the item doors). */
const itemOf = (ctx: FileCtx): ProbeFile => {
  if (!ctx.item) throw new Error('a FileStore item door without its item');
  return ctx.item;
};

/**
 * The upload a refused completion by `who` knocks on: the next column's after it in order that the complete row
 * lets through and that declared one — still uncompleted when `who` knocks, and when the run of refused turns is
 * read back (the engine settles before an allowed turn) — or none (a refusal after the last: nothing to change).
 */
function targetOf(ctx: FileCtx, row: MatrixRow, who: MatrixPrincipal) {
  const after = ctx.principals.slice(ctx.principals.indexOf(who) + 1);
  const by = after.find((p) => typeof row.cells[p.key] !== 'number' && ctx.uploads.has(p.key));
  const upload = by && ctx.uploads.get(by.key);
  return by && upload ? { by, id: upload.id } : undefined;
}

/** No file's id (the runtime's are random UUIDs): what a refusal with nothing to knock on names. */
const NO_FILE = '00000000-0000-4000-8000-000000000000';

/**
 * A FileStore's doors by the matrix's operation. `upload`: `POST api/<route>` with the declaration, an allowed one
 * answers 201 and its upload URL takes the column's bytes (201). `complete`: an allowed column completes its own
 * upload (200, its size); a refused one knocks on the upload of the next allowed column, which must stay
 * uncompleted (its uploader's GET still 404). `list`: exactly the files the cell allows. `get` and `delete`, per
 * file (`item`): an allowed read answers the file and its `downloadUrl` the uploader's bytes; a refused delete
 * leaves the file (read back by its uploader), an allowed one removes it (then 404).
 */
export const FILE_DOORS: Readonly<Record<string, Door<unknown, unknown, FileCtx>>> = {
  upload: fileDoor({
    method: 'POST',
    path: '',
    at: ({ ctx }) => `api/${ctx.store.route}`,
    body: ({ ctx, who }) => body(ctx, who),
    ok: [201],
    async judge({ ctx, who }, reply, allowed) {
      if (!allowed) return undefined;
      const made = await sent(ctx, reply.body, ctx.kind.bytes(who.key));
      if (typeof made === 'string') return made;
      ctx.uploads.set(who.key, made);
      return undefined;
    },
  }),
  complete: fileDoor({
    method: 'POST',
    path: '',
    at: ({ ctx, who, row }) =>
      filePath(
        ctx.store,
        (typeof row.cells[who.key] === 'number'
          ? targetOf(ctx, row, who)?.id
          : ctx.uploads.get(who.key)?.id) ?? NO_FILE,
        '/complete',
      ),
    ok: [200],
    judge({ ctx, who }, reply, allowed) {
      if (!allowed) return undefined;
      const mine = ctx.uploads.get(who.key);
      const meta = (reply.body ?? {}) as { id?: unknown; size?: unknown };
      if (!mine || meta.id !== mine.id || meta.size !== mine.bytes.length)
        return `completed ${JSON.stringify(reply.body).slice(0, 200)}, not its own upload`;
      if (who.tid === undefined || who.oid === undefined) return undefined;
      ctx.files.push({
        entity: ctx.store.componentId,
        id: mine.id,
        owner: who.key,
        tid: who.tid,
        oid: who.oid,
        body: {},
        bytes: mine.bytes,
      });
      return undefined;
    },
    // A refused completion that took would have made another's upload a file its uploader reads.
    async settle(ctx, _f, turns) {
      const found: (string | undefined)[] = [];
      for (const t of turns) {
        const target = targetOf(ctx, t.row, t.who);
        const r = target
          ? await ctx.proof.call(ctx.url, 'GET', filePath(ctx.store, target.id), target.by)
          : undefined;
        found.push(r?.status === 200 ? `completed ${target?.by.key ?? ''}'s upload` : undefined);
      }
      return found;
    },
  }),
  list: fileDoor({
    method: 'GET',
    path: '',
    at: ({ ctx }) => `api/${ctx.store.route}?limit=${String(MAX_PAGE_SIZE)}`,
    ok: [200],
    judge({ ctx, who, row }, reply, allowed) {
      if (!allowed) return undefined;
      const cell = row.cells[who.key] ?? 405;
      const want = visibleTo(ctx, cell, who).map((f) => f.owner);
      const got = listedOf(ctx, reply.body);
      return want.join() === got.join()
        ? undefined
        : `listed the files of [${got.join(', ')}], not [${want.join(', ')}]`;
    },
  }),
  get: fileDoor({
    method: 'GET',
    path: '',
    at: ({ ctx }) => filePath(ctx.store, itemOf(ctx).id),
    ok: [200],
    async judge({ ctx }, reply, allowed) {
      if (!allowed) return undefined;
      const f = itemOf(ctx);
      const meta = (reply.body ?? {}) as { id?: unknown; downloadUrl?: unknown };
      if (meta.id !== f.id || typeof meta.downloadUrl !== 'string')
        return `answered ${JSON.stringify(reply.body).slice(0, 200)}, not ${f.owner}'s file`;
      ctx.proof.report.requests += 1;
      const got = await send('GET', meta.downloadUrl, {});
      const text = typeof got.body === 'string' ? got.body : JSON.stringify(got.body);
      return got.status === 200 && text === f.bytes.toString('utf8')
        ? undefined
        : `its downloadUrl answered ${String(got.status)}, not ${f.owner}'s bytes`;
    },
  }),
  delete: fileDoor({
    method: 'DELETE',
    path: '',
    at: ({ ctx }) => filePath(ctx.store, itemOf(ctx).id),
    ok: [204],
    async judge({ ctx, who }, _reply, allowed) {
      if (!allowed) return undefined;
      const r = await ctx.proof.call(ctx.url, 'GET', filePath(ctx.store, itemOf(ctx).id), who);
      return r.status === 404 ? undefined : `the file still answers ${String(r.status)}`;
    },
    // One read by its uploader after the run of refused deletes: still there (or unreadable to it, never gone).
    async settle(ctx, _f, turns) {
      const f = itemOf(ctx);
      const r = await ctx.proof.call(ctx.url, 'GET', filePath(ctx.store, f.id), ctx.ownerOf(f));
      return turns.map(() => (r.status === 404 ? 'the file is gone' : undefined));
    },
  }),
};
