/**
 * `atakora verify` reads an item back once after a run of refused writes to it (prove-crud.ts), and an MCP item once
 * after its `_update` and `_delete` (prove-mcp.ts), not after each write (a quarter of a directory proof's
 * requests were read-backs). What a read after each write caught is still caught: each column writes a value of its
 * own, so the value read names the refused write that took. Proven against a loopback stand-in for a runtime that
 * lies — it answers every write 403 and applies one column's PATCH (and, in the second case, its DELETE) anyway —
 * since no real runtime can be made to lie; the proof's own requests and judging are the real ones (`proveCrud`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveJsonOnLoopback } from '../support/loopback-server.js';
import { servedAccessOf } from '../../src/access/matrix/backend-of.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { AccessMatrix, MatrixRow } from '../../src/access/matrix/types.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { Proof } from '../../src/cli/verify/proof-context.js';
import { proveCrud } from '../../src/cli/verify/prove-crud.js';
import { CrudApi } from '../../src/components/crud/index.js';

const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: { type: 'string', required: true } },
      partitionKey: '/tenantId',
      access: [{ allow: 'authenticated', operations: ['create', 'read', 'list'] }],
    }),
  },
  { backendId: 'notes' },
);
const plan = backend.plan();
const signIn = signInOf(
  { required: true, tenantClaim: 'tid', trustTenantHeader: false },
  backend.config.auth.tenantId,
);
const matrix = deriveAccessMatrix(plan, signIn, backend.config.mcp);
const { crud } = servedAccessOf(plan, signIn);
const liar = matrix.principals.find((p) => p.key === 'home.other')!;

/** The lie: whose refused writes the stand-in applies anyway (its user in the dev sign-in header). */
let takes: { patch: boolean; delete: boolean } = { patch: true, delete: false };
const items = new Map<string, Record<string, unknown>>();
let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  ({ base, close } = await serveJsonOnLoopback((req, body) => {
    const id = decodeURIComponent((req.url ?? '').split('?')[0]!.split('/')[3] ?? '');
    const byLiar = String(req.headers['x-atakora-dev-user'] ?? '').startsWith(`${liar.oid}@`);
    if (req.method === 'POST') {
      items.set(String(body['id']), body);
      return { status: 201, value: body };
    }
    const item = items.get(id);
    if (req.method === 'GET')
      return item ? { status: 200, value: item } : { status: 404, value: {} };
    if (req.method === 'PATCH' && byLiar && takes.patch && item)
      items.set(id, { ...item, ...body });
    if (req.method === 'DELETE' && byLiar && takes.delete) items.delete(id);
    return { status: 403, value: { type: 'urn:atakora:problem:access-denied' } };
  }));
});
afterAll(() => close());

/** The writes' rows proven alone, every write refused (403): what the stand-in answers; its lie is what it keeps. */
async function proveWrites(): Promise<string[]> {
  items.clear();
  const refused = (r: MatrixRow): MatrixRow =>
    ['update', 'replace', 'delete'].includes(r.operation)
      ? { ...r, cells: Object.fromEntries(Object.keys(r.cells).map((k) => [k, 403])) }
      : r;
  const expected: AccessMatrix = { ...matrix, rows: matrix.rows.map(refused) };
  const writes = expected.rows.filter((r) => ['update', 'replace', 'delete'].includes(r.operation));
  const proof = new Proof({ ...expected, rows: writes }, {}, expected);
  const signedIn = matrix.principals.filter((p) => p.oid !== undefined);
  await proveCrud(proof, () => base, crud, signedIn);
  return proof.report.divergences.map(
    (d) => `${d.row} ${d.principal}: ${d.answer.slice(0, 3)} ${d.answer.split('item ')[1] ?? ''}`,
  );
}

describe('atakora verify: one read-back per run of refused writes', () => {
  it('names the refused PATCH that took, by the value it wrote, on every item', async () => {
    takes = { patch: true, delete: false };
    const divergences = await proveWrites();
    const owners = matrix.principals.filter((p) => p.oid !== undefined);
    expect(divergences).toEqual(owners.map(() => 'NoteApi update home.other: 403 changed'));
  });

  it('says a refused DELETE that took: the item is gone', async () => {
    takes = { patch: false, delete: true };
    const divergences = await proveWrites();
    expect(divergences.length).toBeGreaterThan(0);
    expect(
      divergences.every((d) => d.startsWith('NoteApi delete ') && d.endsWith('403 gone')),
    ).toBe(true);
    expect(divergences).toContain('NoteApi delete home.other: 403 gone');
  });
});
