/**
 * `atakora verify`'s organization doors read a run of refused requests back once per organization (door-engine.ts
 * `settle`), not after each column's (a quarter of an organization proof's requests were read-backs). What a read
 * after each caught is still caught: each column's rename writes a name of its own, so the one that took is named,
 * and a change no column's own fails every column of the run. Proven against a loopback stand-in for a runtime that
 * lies — it refuses every rename (403) and applies one column's anyway — since no real runtime can be made to lie;
 * the door, its engine and the proof's requests and judging are the real ones (`proveDoor` with `tenant:update`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveJsonOnLoopback } from '../support/loopback-server.js';
import type { AccessMatrix, MatrixPrincipal, MatrixRow } from '../../src/access/matrix/types.js';
import { type Ctx, type Made, proveDoor } from '../../src/cli/verify/door-engine.js';
import { ORGANIZATION_DOORS } from '../../src/cli/verify/doors-organization.js';
import { Proof } from '../../src/cli/verify/proof-context.js';

const member = (key: string, organization: string, roles: string[] = []): MatrixPrincipal => ({
  key,
  description: key,
  tid: organization,
  oid: key.replace(/\./g, '-'),
  roles,
  organization,
});
const principals: MatrixPrincipal[] = [
  { key: 'anonymous', description: 'anonymous', roles: [] },
  member('home.owner', 'home'),
  member('home.other', 'home'),
  member('home.role.Owner', 'home', ['Owner']),
  member('other.owner', 'other', ['Owner']),
];
const row: MatrixRow = {
  kind: 'organization',
  component: 'Organization',
  operation: 'tenant:update',
  request: 'PATCH api/tenant',
  // Every rename refused: the lie is what the stand-in keeps.
  cells: Object.fromEntries(principals.map((p) => [p.key, p.oid ? 403 : 401])),
};
const matrix = { principals, rows: [row] } as unknown as AccessMatrix;

/** The lie: which column's refused rename the stand-in applies anyway, and what it writes ('own': the column's name). */
let lie: { by: string; writes: 'own' | 'other' } | undefined;
const names = new Map<string, string>();
let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  ({ base, close } = await serveJsonOnLoopback((req, body) => {
    const user = String(req.headers['x-atakora-dev-user'] ?? '').split('@')[0] ?? '';
    const org = String(req.headers['x-atakora-tenant'] ?? '');
    if (req.method === 'GET' && req.url === '/api/me/tenants')
      return {
        status: 200,
        value: { items: [{ id: org, name: names.get(org), status: 'active' }] },
      };
    if (req.method === 'PATCH' && req.url === '/api/tenant' && lie?.by === user)
      names.set(org, lie.writes === 'own' ? String(body['name']) : 'Renamed by nobody');
    if (user === 'anonymous')
      return { status: 401, value: { type: 'urn:atakora:problem:authentication-required' } };
    return { status: 403, value: { type: 'urn:atakora:problem:access-denied' } };
  }));
});
afterAll(() => close());

/** The rename row proven on the stand-in: each divergence as `column: what`, and the requests it sent. */
async function proveRenames(): Promise<{ divergences: string[]; requests: number }> {
  names.set('home', 'Home').set('other', 'Other');
  const proof = new Proof(matrix);
  const made: Made<unknown>[] = [];
  const ctx: Ctx = {
    proof,
    url: base,
    principals,
    scratch: principals,
    ownerOf: (org) => member(`${org}.seeded`, org, ['Owner']),
    once: async <T>(_key: string, make: () => Promise<Made<T>>) => {
      const m = await make();
      made.push(m);
      return m.value;
    },
  };
  await proveDoor(ctx, row, ORGANIZATION_DOORS['tenant:update']!);
  return {
    divergences: proof.report.divergences.map((d) => `${d.principal}: ${d.answer}`),
    requests: proof.report.requests,
  };
}

describe('atakora verify: one read-back per run of refused organization requests', () => {
  it('holds every refused rename with one read per organization, not one per column', async () => {
    lie = undefined;
    const { divergences, requests } = await proveRenames();
    expect(divergences).toEqual([]);
    // 5 renames, the names of both organizations read before the row, and once after the run in each.
    expect(requests).toBe(5 + 2 + 2);
  });

  it('names the refused rename that took, by the name it wrote', async () => {
    lie = { by: 'home-other', writes: 'own' };
    const { divergences } = await proveRenames();
    expect(divergences).toEqual([
      'home.other: the refused PATCH renamed home to "Renamed by home.other"',
    ]);
  });

  it('fails every column of the run when the change is no column’s own', async () => {
    lie = { by: 'home-owner', writes: 'other' };
    const { divergences } = await proveRenames();
    // Anonymous acts in no organization of its own: its rename concerns the home Owner's (concerned()).
    expect(divergences.sort()).toEqual(
      ['anonymous', 'home.other', 'home.owner', 'home.role.Owner'].map(
        (k) => `${k}: the refused PATCH renamed home to "Renamed by nobody"`,
      ),
    );
  });
});
