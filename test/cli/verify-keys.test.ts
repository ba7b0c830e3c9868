/**
 * `atakora verify` proves organization API keys and agent tokens against atakora dev's stack (DESIGN §2
 * "Integrations": "`atakora verify` has a `key:<role>` principal per role"; "Agents that sign in": it "proves an
 * agent token's `tools/list` equals its person's cells in its organization and nothing elsewhere"), on the smallest
 * backend that declares both (test/cli/fixtures/verify/org-keys.ts): a key per role but Owner, created through `POST
 * api/tenant/api-keys` by the home Owner and sent as `Authorization: Bearer atk_…` — every data row as a member of its
 * role, every people route 403; an agent token of home.owner's person — its tools those of that person, 401 off
 * `api/mcp`, 403 naming another organization. Every such cell is exercised against the real runtime. (The runtime
 * that lies about them: verify-bearer-lies.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const entry = 'test/cli/fixtures/verify/org-keys.ts';
const rowsOf = (m: AccessMatrix, kind: string) => m.rows.filter((r) => r.kind === kind);

// The entry's proof stack started once for the file, fresh data for the second run.
shareProofStacksInFile();

describe('atakora verify: the key and agent columns', () => {
  it('derives them from the rules and proves every cell with the real credentials', async () => {
    const outcome = await verifyEntry(entry, { file: false });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    const bearers = m.principals.filter((p) => p.bearer !== undefined).map((p) => p.key);
    // tenants.apiKeys without roles: every role but Owner; mcp.authorization: the agent in its organization and not.
    expect(bearers).toEqual(['key:Admin', 'key:Member', 'agent', 'agent.elsewhere']);
    // The data rows: a key is the member of its role — the Admin column's cells, and a plain member's (the rules
    // name no Member) — its own items owned by the key (the owner rule's `own`).
    for (const row of rowsOf(m, 'crud')) {
      expect(row.cells['key:Admin'], row.operation).toBe(row.cells['home.role.Admin']);
      expect(row.cells['key:Member'], row.operation).toBe(row.cells['home.other']);
      expect(row.cells['agent'], row.operation).toBe(401);
    }
    expect(m.rows.find((r) => r.operation === 'update')?.cells['key:Member']).toBe('own');
    // The MCP door: the agent lists exactly its person's tools, in its organization only; a key is refused there.
    for (const row of rowsOf(m, 'mcp')) {
      expect(row.cells['agent'], row.operation).toBe(row.cells['home.owner']);
      expect(row.cells['agent.elsewhere'], row.operation).toBe(403);
      expect(row.cells['key:Admin'], row.operation).toBe(403);
    }
    // The people routes are never a key's; GET api/tenant and the audit log are, as for a member of its role.
    const org = (op: string) => m.rows.find((r) => r.operation === op)?.cells ?? {};
    for (const op of ['members:list', 'invitations:list', 'domains:list', 'scim-tokens:list'])
      expect([org(op)['key:Admin'], org(op)['key:Member']], op).toEqual([403, 403]);
    for (const op of ['api-keys:list', 'agents:list', 'me:agents', 'me:tenants'])
      expect([org(op)['key:Admin'], org(op)['agent']], op).toEqual([403, 401]);
    expect(org('tenant:read')['key:Member']).toBe('tenant');
    expect([org('audit:list')['key:Admin'], org('audit:list')['key:Member']]).toEqual([
      'tenant',
      403,
    ]);
    // Every bearer cell was exercised by a request.
    const unexercised = outcome.unexercised.filter((k) => bearers.includes(k.split('|')[1] ?? ''));
    expect(unexercised).toEqual([]);

    // A matrix that promises a key the members list is caught by the runtime's 403 (only that row proven again).
    const widened: AccessMatrix = {
      ...m,
      rows: m.rows.map((r) =>
        r.operation === 'members:list'
          ? { ...r, cells: { ...r.cells, 'key:Member': 'tenant' } }
          : r,
      ),
    };
    const caught = await verifyEntry(entry, {
      file: false,
      against: widened,
      rows: (r) => r.operation === 'members:list',
    });
    expect(caught.proof.divergences.map((d) => `${d.row} ${d.principal}`)).toEqual([
      'Organization members:list key:Member',
    ]);
  });
});
