/**
 * `atakora verify` proves FileStore rows by requests (docs/verify.md; docs/files.md): every column uploads a file of
 * its own through its SAS URL (dev's Azurite, behind dev's blob door), then lists, reads and deletes every column's,
 * each answer judged by its cell on that file — a multi-tenant backend (per-directory attachments, shared handouts)
 * and tenants by membership (another organization's member never reads a file). A matrix that says 403 where the
 * runtime serves the file rejects with ACCESS_DIVERGED naming the row and column; and a runtime with a seam that
 * lets another directory's user read a file, or completes another's upload on a refused completion (a loopback
 * stand-in: no real runtime can be made to leak), is caught by the same proof's requests and judging.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedAccessOf } from '../../src/access/matrix/backend-of.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { AccessMatrix, MatrixRow } from '../../src/access/matrix/types.js';
import { Proof } from '../../src/cli/verify/proof-context.js';
import { proveFiles } from '../../src/cli/verify/files/prove-files.js';
import { verifyAccess } from '../../src/entry/testing.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import { proveAccess } from '../../src/testing/verify-access.js';
import filing, { CUSTOMER, HOME } from './fixtures/verify/files.js';
import orgFiles from './fixtures/verify/org-files.js';
import { listenOnLoopback, readBody } from '../support/loopback-server.js';
import { matrixCell } from '../support/matrix-cell.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

// Each backend's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

const filesRows = (m: AccessMatrix) => m.rows.filter((r) => r.kind === 'files');
const cellsOf = (m: AccessMatrix) =>
  filesRows(m).flatMap((r) => m.principals.map((p) => `${r.component} ${r.operation}|${p.key}`));

describe('atakora verify: FileStores', () => {
  it('proves every FileStore row of a multi-tenant backend by requests', async () => {
    const outcome = await proveAccess(filing);
    const m = outcome.matrix;
    expect(outcome.proof.divergences).toEqual([]);
    expect(filesRows(m).map((r) => `${r.component} ${r.operation}`)).toEqual(
      ['Attachments', 'Handouts'].flatMap((c) =>
        ['upload', 'complete', 'list', 'get', 'delete'].map((op) => `${c} ${op}`),
      ),
    );
    // 10 rows × 8 columns, every cell held by a request (none left unexercised, nothing said unproven).
    expect(cellsOf(m)).toHaveLength(80);
    expect(cellsOf(m).filter((c) => !outcome.proof.proven.has(c))).toEqual([]);
    expect(outcome.unexercised).toEqual([]);
    expect(outcome.proof.unproven).toEqual([]);
    expect(outcome.ok).toBe(true);
    // What was proven: another directory reads its own tenant's attachments only, every directory the handouts.
    expect(matrixCell(m, 'Attachments', 'get', 'other.owner')).toBe('tenant');
    expect(matrixCell(m, 'Attachments', 'delete', 'home.other')).toBe('own');
    expect(matrixCell(m, 'Attachments', 'upload', 'stranger')).toBe(403);
    expect(matrixCell(m, 'Handouts', 'get', 'other.owner')).toBe('allow');
    expect(matrixCell(m, 'Handouts', 'upload', 'other.role.Clerk')).toBe(403);
  });

  it('proves a file of another organization is never readable (tenants by membership)', async () => {
    const outcome = await proveAccess(orgFiles, { rows: (r) => r.kind === 'files' });
    const m = outcome.matrix;
    expect(outcome.proof.divergences).toEqual([]);
    expect(cellsOf(m)).toHaveLength(5 * 9);
    expect(cellsOf(m).filter((c) => !outcome.proof.proven.has(c))).toEqual([]);
    // `tenant`: its own organization's files only — the home ones answered it 404 and were never listed.
    expect(matrixCell(m, 'Documents', 'get', 'other.owner')).toBe('tenant');
    expect(matrixCell(m, 'Documents', 'get', 'stranger')).toBe(403);
    expect(matrixCell(m, 'Documents', 'get', 'scim')).toBe(401);
  });

  it('rejects with ACCESS_DIVERGED naming the row and column where the runtime serves a refused file', async () => {
    const derived = (await proveAccess(filing, { rows: () => false })).matrix;
    // The matrix says another directory's owner is refused the handouts (403); the runtime serves them (200).
    const refused: AccessMatrix = {
      ...derived,
      rows: derived.rows.map((r) =>
        r.component === 'Handouts' && r.operation === 'get'
          ? { ...r, cells: { ...r.cells, 'other.owner': 403 } }
          : r,
      ),
    };
    const error = await verifyAccess(filing, {
      against: refused,
      rows: (r) => r.component === 'Handouts' && r.operation === 'get',
    }).then(
      () => undefined,
      (e: unknown) =>
        e as {
          code: string;
          details: { divergences: { row: string; principal: string; answer: string }[] };
        },
    );
    expect(error?.code).toBe('ACCESS_DIVERGED');
    const d = error!.details.divergences;
    expect([...new Set(d.map((x) => `${x.row}|${x.principal}`))]).toEqual([
      'Handouts get|other.owner',
    ]);
    expect(d.every((x) => x.answer.startsWith('200 '))).toBe(true);
  });
});

describe('atakora verify: a runtime that leaks a file', () => {
  const plan = filing.plan();
  const signIn = signInOf(
    {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      ...admissionPolicy(filing.config),
    },
    filing.config.auth.tenantId,
  );
  const matrix = deriveAccessMatrix(plan, signIn);
  const attachments = servedAccessOf(plan, signIn).files.filter(
    (f) => f.componentId === 'Attachments',
  );
  const leaker = matrix.principals.find((p) => p.key === 'other.owner')!;

  /** The seam: whether the stand-in serves any file to the customer directory's owner, whatever its tenant. */
  let leaks = false;
  /** Another seam: whether an anonymous completion, answered 401, completes the upload it names all the same. */
  let anonymousCompletes = false;
  const stored = new Map<string, { tid: string; oid: string; bytes: string; done: boolean }>();
  let base = '';
  let close: () => Promise<void>;

  /** Who the dev sign-in header names: 401 without one, 403 for a directory not admitted. */
  const callerOf = (req: IncomingMessage): { tid: string; oid: string } | number => {
    const header = String(req.headers['x-atakora-dev-user'] ?? 'anonymous');
    if (header === 'anonymous') return 401;
    const [oid = '', tid = ''] = (header.split(';')[0] ?? '').split('@');
    return [HOME, CUSTOMER].includes(tid) ? { tid, oid } : 403;
  };

  /** The Attachments routes as the runtime answers them — a tenant's files its own — but for the seam. */
  const answer = (req: IncomingMessage, raw: string): { status: number; body?: unknown } => {
    const [root = '', , id, complete] = (req.url ?? '').split('?')[0]!.split('/').filter(Boolean);
    if (root === 'blob' && req.method === 'PUT') {
      const f = stored.get(id ?? '');
      if (f) f.bytes = raw;
      return { status: f ? 201 : 404 };
    }
    if (root === 'download') return { status: 200, body: stored.get(id ?? '')?.bytes ?? '' };
    const caller = callerOf(req);
    const named = stored.get(id ?? '');
    if (caller === 401 && anonymousCompletes && complete !== undefined && named) named.done = true;
    if (typeof caller === 'number') return { status: caller };
    const mine = (f: { tid: string }) => f.tid === caller.tid;
    if (id === undefined && req.method === 'POST') {
      const made = `${String(stored.size).padStart(8, '0')}-0000-4000-8000-000000000000`;
      stored.set(made, { ...caller, bytes: '', done: false });
      return { status: 201, body: { id: made, uploadUrl: `${base}/blob/x/${made}` } };
    }
    if (id === undefined)
      return {
        status: 200,
        body: { items: [...stored].filter(([, f]) => f.done && mine(f)).map(([k]) => ({ id: k })) },
      };
    const f = stored.get(id);
    if (complete !== undefined) {
      if (!f || f.oid !== caller.oid || !mine(f)) return { status: 404 };
      // Completing twice answers the same 200 (docs/files.md).
      f.done = true;
      return { status: 200, body: { id, size: Buffer.byteLength(f.bytes, 'latin1') } };
    }
    const seen = f?.done === true && (mine(f) || (leaks && caller.oid === leaker.oid));
    if (!seen) return { status: 404 };
    return { status: 200, body: { id, downloadUrl: `${base}/download/x/${id}` } };
  };

  beforeAll(async () => {
    ({ base, close } = await listenOnLoopback(
      createServer((req, res) => {
        void readBody(req).then((raw) => {
          const { status, body } = answer(req, raw);
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(typeof body === 'string' ? body : JSON.stringify(body ?? {}));
        });
      }),
    ));
  });
  afterAll(() => close());

  /** A row of Attachments proven against the stand-in (the files still uploaded and completed first). */
  async function prove(operation = 'get'): Promise<Proof> {
    stored.clear();
    const kept = (r: MatrixRow) => r.component === 'Attachments' && r.operation === operation;
    const proof = new Proof({ ...matrix, rows: matrix.rows.filter(kept) }, {}, matrix);
    await proveFiles(proof, () => base, attachments, matrix.principals);
    return proof;
  }

  it('holds against the stand-in without the seam (the stand-in answers as the runtime does)', async () => {
    leaks = false;
    anonymousCompletes = false;
    const proof = await prove();
    expect(proof.report.divergences).toEqual([]);
    expect([...proof.report.proven].sort()).toEqual(
      matrix.principals.map((p) => `Attachments get|${p.key}`).sort(),
    );
  });

  it('names the row and the column another directory reads a file through', async () => {
    leaks = true;
    const proof = await prove();
    const d = proof.report.divergences;
    // The home directory's three files, each read by the customer's owner: 404 was due, 200 answered.
    expect(d.map((x) => `${x.row}|${x.principal}|${x.expected}`)).toEqual(
      Array.from({ length: 3 }, () => 'Attachments get|other.owner|404'),
    );
    expect(d.every((x) => x.answer.startsWith('200 ') && x.cell === 'tenant')).toBe(true);
  });

  it('names a refused completion that completed another column upload anyway', async () => {
    leaks = false;
    anonymousCompletes = true;
    const proof = await prove('complete');
    anonymousCompletes = false;
    // Anonymous knocks on the upload of the next column allowed to complete (home.owner's): answered 401 as due, but
    // the uploader's read-back finds it completed.
    expect(proof.report.divergences.map((x) => `${x.row}|${x.principal}|${x.answer}`)).toEqual([
      "Attachments complete|anonymous|completed home.owner's upload",
    ]);
  });
});
