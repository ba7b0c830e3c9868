/**
 * The access matrix in the plan review: `atakora diff` lists each widening (called out as data loss is) before
 * the narrowings, and the review page shows the matrix and a header callout naming the widened cells.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { main } from '../../src/cli/main.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { AccessRule } from '../../src/model/runtime-manifest.js';
import { renderPlanHtml } from '../../src/plan/render/index.js';
import { capturedIo } from '../support/captured-io.js';

const planWith = (access: readonly AccessRule[]) =>
  defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string' },
        partitionKey: '/tenantId',
        access,
      }),
    },
    { backendId: 'notes' },
  ).plan();

const before = planWith([{ allow: 'owner' }]);
const after = planWith([{ allow: 'owner' }, { allow: 'authenticated', operations: ['read'] }]);
const dir = mkdtempSync(join(tmpdir(), 'atakora-access-review-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('access in the plan review', () => {
  it('atakora diff calls out each widening', async () => {
    writeFileSync(join(dir, 'before.json'), JSON.stringify(before));
    writeFileSync(join(dir, 'after.json'), JSON.stringify(after));
    const c = capturedIo();
    expect(await main(['diff', join(dir, 'before.json'), join(dir, 'after.json')], c.io)).toBe(0);
    expect(c.out).toMatch(/ACCESS WIDENED: \d+ cell\(s\)/);
    expect(c.out).toMatch(
      /WIDENED {2}NoteApi read {2}home\.other: own → tenant {2}\(GET api\/notes\/\{id\}\)/,
    );
    const same = capturedIo();
    expect(await main(['diff', join(dir, 'after.json'), join(dir, 'after.json')], same.io)).toBe(0);
    expect(same.out).not.toMatch(/ACCESS/);
  });

  it('the review page shows the matrix and the widened cells in the header', () => {
    const page = renderPlanHtml(after, { base: before });
    expect(page).toContain('<section id="access"');
    expect(page).toContain('<a href="#access">Access</a>');
    const header = page.slice(0, page.indexOf('</header>'));
    expect(header).toContain('id="access-widened"');
    expect(header).toContain('NoteApi read — home.other: own → tenant');
    expect(page).toMatch(
      /<th scope="row">NoteApi read<br><code>GET api\/notes\/\{id\}<\/code><\/th>/,
    );
    expect(renderPlanHtml(after)).not.toContain('access-widened');
  });
});
