import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../../access/matrix/types.js';
import type { RuntimeFileStore } from '../../../model/runtime-manifest.js';
import { proveDoor } from '../door-engine.js';
import { FILE_DOORS, type FileCtx, fileKind, type ProbeFile } from './doors-files.js';
import { expectOn } from '../expect.js';
import type { Proof } from '../proof-context.js';

/**
 * Prove every FileStore row (`upload`, `complete`, `list`, `get`, `delete`) against the stack, the CRUD proof's
 * shape through the door engine (doors-files.ts): each column uploads and completes a file of its own (the files
 * seeded once per proof, as the CRUD proof's items are), then every column lists, and reads and deletes every
 * column's file, each answer judged by its cell on that file — the CRUD proof's expectation (expect.ts): another
 * tenant's file, or another owner's under an owner rule, is 404, except a delete of a file the caller may read,
 * which is 403 (docs/files.md).
 *
 * @example
 * ```ts
 * await proveFiles(proof, (s) => appUrl(s), served.files, principals);
 * ```
 */
export async function proveFiles(
  proof: Proof,
  appOf: (store: RuntimeFileStore) => string | undefined,
  stores: readonly RuntimeFileStore[],
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  for (const store of stores) {
    const rows = new Map(
      proof.expected.rows
        .filter((r) => r.kind === 'files' && r.component === store.componentId)
        .map((r) => [r.operation, r]),
    );
    if (![...rows.keys()].some((op) => proof.proves(store.componentId, op))) continue;
    const url = appOf(store);
    const upload = rows.get('upload');
    const complete = rows.get('complete');
    if (url === undefined || !upload || !complete) {
      proof.report.unproven.push(
        `${store.componentId}: the proof stack serves no api/${store.route}`,
      );
      continue;
    }
    const ctx: FileCtx = {
      proof,
      url,
      principals,
      store,
      kind: fileKind(store.contentTypes),
      uploads: new Map(),
      files: [],
      ownerOf: (f) => principals.find((p) => p.key === f.owner) ?? principals[0]!,
    };
    await proveStore(ctx, rows, upload, complete);
  }
}

async function proveStore(
  ctx: FileCtx,
  rows: ReadonlyMap<string, MatrixRow>,
  upload: MatrixRow,
  complete: MatrixRow,
): Promise<void> {
  const { proof, store, principals } = ctx;
  const proves = (op: string) => rows.has(op) && proof.proves(store.componentId, op);
  // The files every other row reads: each column's own, uploaded and completed (proven when those rows are kept).
  await proveDoor(ctx, upload, FILE_DOORS.upload!);
  await proveDoor(ctx, complete, FILE_DOORS.complete!);
  const list = rows.get('list');
  if (list && proves('list')) await proveDoor(ctx, list, FILE_DOORS.list!);
  const get = rows.get('get');
  if (get && proves('get'))
    for (const f of ctx.files)
      await proveDoor({ ...ctx, item: f }, onFile(ctx, get, f, get), FILE_DOORS.get!);
  const remove = rows.get('delete');
  if (remove && proves('delete'))
    for (const f of ctx.files) {
      const row = onFile(ctx, remove, f, rows.get('get'));
      // Every refused delete of the file, then the first allowed column's (the CRUD proof's order).
      const refused = principals.filter((p) => typeof row.cells[p.key] === 'number');
      const deleter = principals.find((p) => typeof row.cells[p.key] !== 'number');
      const knocking = deleter ? [...refused, deleter] : refused;
      await proveDoor({ ...ctx, item: f, principals: knocking }, row, FILE_DOORS.delete!);
    }
}

/**
 * `row` on one file: each column's cell where it reaches the file, else the status its request on the file must
 * answer — the CRUD proof's expectation on an item: a file the caller cannot see 404, a delete of one they may
 * read (`read`, the get row) 403.
 */
function onFile(
  ctx: FileCtx,
  row: MatrixRow,
  f: ProbeFile,
  read: MatrixRow | undefined,
): MatrixRow {
  const shared = ctx.store.tenancy === 'shared';
  const write = row.operation === 'delete';
  const cells = Object.fromEntries(
    ctx.principals.map((p) => {
      const cell = row.cells[p.key] ?? 405;
      const want = expectOn(cell, write, p, f, read?.cells[p.key] ?? 405, shared);
      // expectOn answers a refusal's status (401, 403, 404, 405): a cell's.
      return [p.key, want === 'ok' ? cell : (want as AccessCell)];
    }),
  );
  return { ...row, cells };
}
