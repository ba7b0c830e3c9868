import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { patchable } from './bodies.js';
import { itemPath, shared, said } from './crud-proof.js';
import { expectOn, type ProbeItem } from './expect.js';
import type { LoopbackReply } from './loopback-http.js';
import type { Proof } from './proof-context.js';
import { searchQueries } from './prove-search.js';

/** The JSON-RPC error of a tool the caller may not call (MCP 2025-06-18 server/tools "Error Handling"). */
const UNKNOWN_TOOL = -32602;

/** A tool call's outcome as the proof compares it: success, a tool error's status, or a refusal of its own. */
type Outcome =
  | { readonly kind: 'ok'; readonly value: Record<string, unknown> }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'unlisted' };

function outcomeOf(r: LoopbackReply): Outcome {
  if (r.status !== 200) return { kind: 'status', status: r.status };
  const body = (r.body ?? {}) as {
    result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
    error?: { code?: number };
  };
  if (body.error)
    return body.error.code === UNKNOWN_TOOL
      ? { kind: 'unlisted' }
      : { kind: 'status', status: 500 };
  const s = body.result?.structuredContent ?? {};
  return body.result?.isError
    ? { kind: 'status', status: Number(s['status']) }
    : { kind: 'ok', value: s };
}

/** What a cell promises of a tool call: the REST answer, with 404-for-unlisted as the protocol error. */
function held(want: 'ok' | number, cell: AccessCell, o: Outcome): boolean {
  if (cell === 404 && typeof want === 'number') return o.kind === 'unlisted';
  if (want === 'ok') return o.kind === 'ok';
  return o.kind === 'status' && o.status === want;
}

const shown = (o: Outcome) =>
  o.kind === 'ok' ? 'success' : o.kind === 'unlisted' ? 'unknown tool (-32602)' : String(o.status);

/**
 * Prove the MCP server's cells (DESIGN §2 "MCP"): each principal initializes (anonymous 401, a directory not
 * admitted 403), its `tools/list` must be exactly the tools whose cell is no status, and each call answers as its
 * REST cell — every item read by every principal (`_get`), the list and the count, and a write of every item that
 * the cell refuses (`_update`, `_delete`: refused as REST refuses it, or an unknown tool for a caller whose rules
 * allow none, and the item unchanged) or allows (`_update` with the value it holds, changing nothing). Runs between
 * the REST proof's reads and its writes, on the items it created.
 *
 * @example
 * ```ts
 * await proveMcp(proof, (e) => app.url, served.crud, matrix.principals, items);
 * ```
 */
export async function proveMcp(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  crud: readonly RuntimeEntity[],
  principals: readonly MatrixPrincipal[],
  items: readonly ProbeItem[],
): Promise<void> {
  const rows = proof.matrix.rows.filter((r) => r.kind === 'mcp');
  const first = crud[0];
  if (rows.length === 0 || !first) return;
  const at = base(first);
  let id = 0;
  const rpc = (p: MatrixPrincipal, method: string, params: object) =>
    proof.call(at, 'POST', 'api/mcp', p, { jsonrpc: '2.0', id: ++id, method, params });
  for (const p of principals) {
    const listed = await rpc(p, 'tools/list', {});
    const tools = (
      (listed.body as { result?: { tools?: { name: string }[] } } | undefined)?.result?.tools ?? []
    )
      .map((t) => t.name)
      .sort();
    for (const row of rows) {
      const cell = row.cells[p.key] ?? 405;
      const tool = row.request.replace(/^MCP tools\/call /, '');
      // Refused before any tool: not signed in, not admitted, or (per plan) the endpoint's `mcp` not in the plan.
      const refusal =
        cell === 401 ||
        cell === 403 ||
        (cell === 402 && proof.gates[`${row.component} ${row.operation}`]?.feature === 'mcp');
      const ok = refusal
        ? listed.status === cell
        : listed.status === 200 && tools.includes(tool) === (typeof cell !== 'number');
      proof.check(
        row,
        p,
        'POST api/mcp tools/list',
        ok,
        refusal ? String(cell) : typeof cell === 'number' ? 'not listed' : 'listed',
        listed,
      );
    }
    const call = async (row: MatrixRow, args: object) =>
      outcomeOf(
        await rpc(p, 'tools/call', {
          name: row.request.replace(/^MCP tools\/call /, ''),
          arguments: args,
        }),
      );
    for (const e of crud) await proveEntityCalls(proof, base, e, p, rows, items, call);
  }
}

async function proveEntityCalls(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  e: RuntimeEntity,
  p: MatrixPrincipal,
  rows: readonly MatrixRow[],
  items: readonly ProbeItem[],
  call: (row: MatrixRow, args: object) => Promise<Outcome>,
): Promise<void> {
  const row = (action: string) =>
    rows.find((r) => r.component === e.componentId && r.operation === `mcp:${action}`);
  const cell = (r: MatrixRow) => r.cells[p.key] ?? 405;
  const readCell = proof.cell(e.componentId, 'read', p.key) ?? 405;
  const of = items.filter((i) => i.entity === e.componentId);
  const pk = (i: ProbeItem) => (i.pk === undefined ? {} : { partitionKey: i.pk });
  const get = row('get');
  if (get)
    for (const i of of) {
      const want = expectOn(cell(get), false, p, i, readCell, shared(e));
      const o = await call(get, { id: i.id, ...pk(i) });
      const same =
        o.kind !== 'ok' || (o.value['item'] as { id?: unknown } | undefined)?.id === i.id;
      proof.check(
        get,
        p,
        `${get.request} ${i.id}`,
        held(want, cell(get), o) && same,
        said(want),
        shown(o),
      );
    }
  for (const action of ['list', 'count'] as const) {
    const r = row(action);
    if (!r) continue;
    const c = cell(r);
    const o = await call(r, action === 'list' ? { first: 100 } : {});
    const visible = of.filter((i) => expectOn(c, false, p, i, readCell, shared(e)) === 'ok');
    const answered =
      o.kind !== 'ok'
        ? true
        : action === 'count'
          ? o.value['count'] === visible.length
          : visible.every((i) =>
              (o.value['items'] as { id?: unknown }[]).some((x) => x.id === i.id),
            ) && (o.value['items'] as unknown[]).length === visible.length;
    const want = typeof c === 'number' ? c : 'ok';
    proof.check(
      r,
      p,
      r.request,
      held(want, c, o) && answered,
      `${said(want)} (${String(visible.length)} items)`,
      shown(o),
    );
  }
  await proveFindCalls(proof, e, p, row, of, call);
  await proveWriteCalls(proof, base, e, p, row, items, call);
}

/** `_aggregate` (one group per item) and `_search` (the word every probe item holds): exactly the list's items. */
async function proveFindCalls(
  proof: Proof,
  e: RuntimeEntity,
  p: MatrixPrincipal,
  row: (action: string) => MatrixRow | undefined,
  of: readonly ProbeItem[],
  call: (row: MatrixRow, args: object) => Promise<Outcome>,
): Promise<void> {
  const readCell = proof.cell(e.componentId, 'read', p.key) ?? 405;
  const asks = [
    {
      action: 'aggregate',
      args: { groupby: ['id'], aggregates: [{ as: 'n', with: 'count' }] },
      shown: 'by id',
      finds: () => true,
    },
    ...searchQueries(e, of).map((q) => ({ action: 'search', args: q.body, ...q })),
  ] as const;
  for (const ask of asks) {
    const r = row(ask.action);
    if (!r) continue;
    const c = r.cells[p.key] ?? 405;
    const o = await call(r, ask.args);
    const want = of
      .filter((i) => expectOn(c, false, p, i, readCell, shared(e)) === 'ok' && ask.finds(i))
      .map((i) => i.id);
    const answered =
      o.kind === 'ok'
        ? ((o.value['items'] as { id?: unknown; n?: unknown }[] | undefined) ?? [])
        : [];
    const listed = new Set(answered.map((x) => String(x.id)));
    const got = of.filter((i) => listed.has(i.id)).map((i) => i.id);
    const exact =
      o.kind !== 'ok' ||
      (want.join() === got.join() &&
        answered.length === got.length &&
        (ask.action === 'search' || answered.every((g) => g.n === 1)));
    const expected = typeof c === 'number' ? c : 'ok';
    proof.check(
      r,
      p,
      `${r.request} ${ask.shown}`,
      held(expected, c, o) && exact,
      `${said(expected)} [${want.join(', ')}]`,
      `${shown(o)} [${got.join(', ')}]`,
    );
  }
}

/**
 * `_update` and `_delete` of every item: refusals as REST's (item unchanged), an allowed update that changes nothing.
 * Both calls on an item, then one read by its owner (half the read-backs): a delete that took leaves it
 * gone (named on the delete), an update that took leaves it changed (named on the update).
 */
async function proveWriteCalls(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  e: RuntimeEntity,
  p: MatrixPrincipal,
  row: (action: string) => MatrixRow | undefined,
  items: readonly ProbeItem[],
  call: (row: MatrixRow, args: object) => Promise<Outcome>,
): Promise<void> {
  const readCell = proof.cell(e.componentId, 'read', p.key) ?? 405;
  const field = patchable(e);
  for (const i of items.filter((x) => x.entity === e.componentId)) {
    const made: { r: MatrixRow; action: string; want: ReturnType<typeof expectOn>; o: Outcome }[] =
      [];
    for (const action of ['update', 'delete'] as const) {
      const r = row(action);
      if (!r) continue;
      const c = r.cells[p.key] ?? 405;
      const want = expectOn(c, true, p, i, readCell, shared(e));
      // An allowed delete is left to the REST proof (the items are its); an allowed update writes what is there.
      if (want === 'ok' && (action === 'delete' || field === undefined)) continue;
      const args = {
        id: i.id,
        ...(i.pk === undefined ? {} : { partitionKey: i.pk }),
        ...(action === 'update' ? { patch: field ? { [field]: i.body[field] } : {} } : {}),
      };
      made.push({ r, action, want, o: await call(r, args) });
    }
    if (made.length === 0) continue;
    const owner = proof.matrix.principals.find((x) => x.key === i.owner);
    const after = owner ? await proof.call(base(e), 'GET', itemPath(e, i), owner) : undefined;
    const gone = after?.status !== 200;
    const changed =
      !gone &&
      field !== undefined &&
      (after.body as Record<string, unknown>)[field] !== i.body[field];
    // Whose call it was: a gone item the delete's (else the update's), a changed one the update's (else the delete's).
    const blamed = (gone ? ['delete', 'update'] : ['update', 'delete']).find((a) =>
      made.some((m) => m.action === a),
    );
    for (const { r, action, want, o } of made) {
      const kept = !(gone || changed) || action !== blamed;
      proof.check(
        r,
        p,
        `${r.request} ${i.id}`,
        held(want, r.cells[p.key] ?? 405, o) && kept,
        `${said(want)}, item unchanged`,
        `${shown(o)}, item ${kept ? 'unchanged' : 'changed or gone'}`,
      );
    }
  }
}
