/**
 * `atakora verify` as users run it (the CLI's main, in process, against atakora dev's real stack on loopback):
 * the matrix is written beside the entry and proven (requests really sent), `--json` is machine-readable, a second
 * run gives the same file byte for byte; rules wider than the committed file fail with ACCESS_CHANGED listing the
 * widened cells first, `--update` accepts them, a narrowing fails too until accepted; a matrix with one cell flipped
 * is caught (a divergence naming the cell, the request and the answer).
 *
 * Each cell of the notes' rules is proven once, by the first test's run; the runs after it that test the file, the
 * exit code and the flags (ACCESS_CHANGED, `--update`) prove no row again (`verifyCommand`'s `rows`), on the stack
 * that run started — a committed file that differs from the rules is the same comparison as rules that differ from
 * the committed file, without a stack of its own for each edit of the rules (docs/performance.md, "A cell proven
 * once").
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { main } from '../../src/cli/main.js';
import { verifyCommand } from '../../src/cli/verify/command.js';
import { identityOf, verifyEntry } from '../../src/cli/verify/run.js';
import { capturedIo } from '../support/captured-io.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const SRC = resolve(import.meta.dirname, '../../src');
const dir = sourceEntryDir('atakora-verify-cli-');
const entry = join(dir, 'notes.ts');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A one-CrudApi backend whose notes' access is `access` (a JSON literal), written where the test edits it. */
function writeEntry(access: string): void {
  writeFileSync(
    entry,
    `import { defineBackend } from '${SRC}/backend/define-backend.js';\n` +
      `import { CrudApi } from '${SRC}/components/crud/index.js';\n` +
      `export default defineBackend({ notes: CrudApi.define('NoteApi', { entityName: 'Note', ` +
      `schema: { id: 'string', title: { type: 'string', required: true } }, partitionKey: '/tenantId', ` +
      `access: ${access} }) }, { backendId: 'notes' });\n`,
  );
}

const cellOf = (m: AccessMatrix, operation: string, principal: string) =>
  m.rows.find((r) => r.component === 'NoteApi' && r.operation === operation)?.cells[principal];

/** The notes' rules of every test: the owner edits their own, everyone of the tenant reads. */
const RULES = `[{ allow: 'owner' }, { allow: 'authenticated', operations: ['read', 'list'] }]`;
const file = () => join(dir, 'atakora.access.json');
const committed = () => JSON.parse(readFileSync(file(), 'utf8')) as AccessMatrix;

/** The committed file with these cells of NoteApi's rows changed (`{ operation: { principal: cell } }`). */
function commit(cells: Record<string, AccessMatrix['rows'][number]['cells']>): void {
  const m = committed();
  writeFileSync(
    file(),
    JSON.stringify({
      ...m,
      rows: m.rows.map((r) =>
        r.component === 'NoteApi' && cells[r.operation]
          ? { ...r, cells: { ...r.cells, ...cells[r.operation] } }
          : r,
      ),
    }),
  );
}

/** `atakora verify <args>` comparing the file and the rules, no row proven again (the first test proved them all). */
const compare = (args: readonly string[], io: ReturnType<typeof capturedIo>) =>
  verifyCommand([entry, ...args], io.io, { rows: () => false });

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
const stacks = shareProofStacksInFile();

describe('atakora verify', () => {
  /** The first test's derived matrix (the third proves a lie about it), derived again when that test runs alone. */
  let written: AccessMatrix | undefined;

  it('writes the matrix beside the entry, proves it, prints JSON, and is stable', async () => {
    writeEntry(RULES);
    const first = capturedIo();
    expect(await main(['verify', entry, '--json'], first.io), first.err).toBe(0);
    const result = JSON.parse(first.out) as {
      ok: boolean;
      fileState: string;
      requests: number;
      cellsProven: number;
      divergences: unknown[];
      matrix: AccessMatrix;
    };
    expect(result).toMatchObject({ ok: true, fileState: 'written', divergences: [] });
    expect(result.requests).toBeGreaterThan(40);
    const file = readFileSync(join(dir, 'atakora.access.json'), 'utf8');
    const matrix = JSON.parse(file) as AccessMatrix;
    expect(matrix).toEqual(result.matrix);
    written = matrix;
    // The rules as they read: the owner edits their own, everyone of the tenant reads; nobody signed out.
    expect(cellOf(matrix, 'update', 'home.owner')).toBe('own');
    expect(cellOf(matrix, 'update', 'home.other')).toBe('own');
    expect(cellOf(matrix, 'read', 'home.other')).toBe('tenant');
    expect(cellOf(matrix, 'delete', 'anonymous')).toBe(401);
    expect(matrix.principals.map((p) => p.key)).toEqual(['anonymous', 'home.owner', 'home.other']);
    // A second run matches the file it wrote (its cells proven above: none again).
    const second = capturedIo();
    expect(await compare([], second), second.err).toBe(0);
    expect(second.out).toMatch(/atakora\.access\.json: matches/);
    expect(readFileSync(join(dir, 'atakora.access.json'), 'utf8')).toBe(file);
  });

  it('fails with ACCESS_CHANGED on a widening (listed first) until --update, and on a narrowing too', async () => {
    writeEntry(RULES);
    expect(await compare(['--update'], capturedIo())).toBe(0);
    // The rules wider and narrower than the file at once: they let another member delete their own note where the
    // file says 403, and change only their own where the file says any of the tenant's.
    commit({ delete: { 'home.other': 403 }, update: { 'home.other': 'tenant' } });
    const wider = capturedIo();
    expect(await compare([], wider)).toBe(1);
    expect(wider.err).toMatch(/ACCESS_CHANGED/);
    const lines = wider.err.split('\n').filter((l) => /^(WIDENED|narrowed)/.test(l));
    // The widening first, though its row (delete) comes after the narrowed one (update).
    expect(lines).toEqual([
      'WIDENED  NoteApi delete  home.other: 403 → own  (DELETE api/notes/{id})',
      'narrowed NoteApi update  home.other: tenant → own  (PATCH api/notes/{id})',
    ]);
    const accepted = capturedIo();
    expect(await compare(['--update'], accepted), accepted.err).toBe(0);
    expect(cellOf(committed(), 'delete', 'home.other')).toBe('own');
    expect(cellOf(committed(), 'update', 'home.other')).toBe('own');
    // Narrower only: the file lets the owner's column read every note of any tenant. A narrowing is a change too.
    commit({ read: { 'home.owner': 'allow' } });
    const narrower = capturedIo();
    expect(await compare(['--json'], narrower)).toBe(1);
    const r = JSON.parse(narrower.out) as { code: string; changes: { widened: boolean }[] };
    expect(r.code).toBe('ACCESS_CHANGED');
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.changes.every((c) => !c.widened)).toBe(true);
    expect(await compare(['--update'], capturedIo())).toBe(0);
    expect(await compare([], capturedIo())).toBe(0);
  });

  it('catches a cell the runtime does not keep: one flipped cell is a divergence naming the request', async () => {
    writeEntry(RULES);
    // The same rules as the first test's: its matrix, proven there (derived afresh when this test runs alone).
    const derived = written ?? (await verifyEntry(entry, { file: false })).matrix;
    // Claim that another user of the tenant may change any note: the runtime refuses (403), so the proof must fail.
    const flipped: AccessMatrix = {
      ...derived,
      rows: derived.rows.map((r) =>
        r.operation === 'update' ? { ...r, cells: { ...r.cells, 'home.other': 'tenant' } } : r,
      ),
    };
    // Only the row lied about is proven: a wrong cell caught needs no second proof of every other row.
    const outcome = await verifyEntry(entry, {
      file: false,
      against: flipped,
      rows: (r) => r.operation === 'update',
    });
    expect(outcome.ok).toBe(false);
    const d = outcome.proof.divergences;
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x) => x.row === 'NoteApi update' && x.principal === 'home.other')).toBe(true);
    expect(d[0]).toMatchObject({ cell: 'tenant', expected: '200' });
    expect(d[0]!.request).toMatch(/^PATCH api\/notes\/home-owner-notes as home\.other$/);
    expect(d[0]!.answer).toMatch(/^403 .*access-denied/);
  });

  it('lends a kept stack to the next run with its data as it started: nothing an earlier run made is seen', async () => {
    writeEntry(RULES);
    // The stack this file's runs of these rules borrow (the first test's; started here when this test runs alone).
    const owner = (
      written ?? (await verifyEntry(entry, { file: false, rows: () => false })).matrix
    ).principals.find((p) => p.key === 'home.owner');
    const home = { oid: owner?.oid ?? '', tid: owner?.tid ?? '' };
    const first = await stacks.lend(entry, home, {}, identityOf(entry, {}));
    const started = await first.stack.snapshot();
    const [slot] = [...started.keys()].filter((k) => k.endsWith('/note'));
    expect(slot, [...started.keys()].join()).toBeDefined();
    const [database = '', container = ''] = (slot ?? '').split('/');
    await first.stack.write(database, container, [
      { id: 'made-by-run-0', tenantId: home.tid, title: 'left behind' },
    ]);
    expect((await first.stack.snapshot()).get(slot ?? '')?.map((i) => i['id'])).toEqual([
      'made-by-run-0',
    ]);
    await first.release();
    // The same backend again: the stack that served it, its data as it was when it started.
    const second = await stacks.lend(entry, home, {}, identityOf(entry, {}));
    expect(second.run).toBe(first.run + 1);
    expect(second.stack).toBe(first.stack);
    expect((await second.stack.snapshot()).get(slot ?? '')).toEqual(started.get(slot ?? ''));
    // An item changed since is written back as it was; one made since is removed.
    await second.stack.write(database, container, [
      { id: 'kept', tenantId: home.tid, title: 'as kept' },
    ]);
    const kept = await second.stack.snapshot();
    await second.stack.write(database, container, [
      { id: 'kept', tenantId: home.tid, title: 'changed' },
      { id: 'made', tenantId: home.tid, title: 'made since' },
    ]);
    await second.stack.restore(kept);
    const titles = (await second.stack.snapshot())
      .get(slot ?? '')
      ?.map((i) => [i['id'], i['title']]);
    expect(titles).toEqual([['kept', 'as kept']]);
    await second.release();
  });
});
