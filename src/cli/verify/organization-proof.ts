import { isMemberColumn, VERIFY_ORGANIZATIONS } from '../../access/matrix/sign-in.js';
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { MEMBERSHIP_FUNCTIONS, membershipId } from '../../contract/members.js';
import { MEMBERS, TENANT_REGISTRY } from '../../kit/pure/tenant-registry.js';
import type { ProofStack } from './dev-stack.js';
import { type Ctx, type Made, proveDoor } from './door-engine.js';
import { ORGANIZATION_DOORS } from './doors-organization.js';
import type { Proof } from './proof-context.js';

/** The throwaway organizations `DELETE api/tenant` and the undelete are proven on (never the columns' own). */
export const SCRATCH_ORGANIZATIONS = {
  home: 'verify-org-scratch',
  other: 'verify-org-scratch-other',
} as const;

/** The seeded Owner of an organization no column is an Owner of (the other one, the throwaway other). */
const SEEDED_OWNER = 'verify-seeded-owner';

/** A person's membership column (a key's or an agent's column is none: its credential is issued, not seeded). */
const isMember = isMemberColumn;

/** A column moved to the throwaway organization beside its own (the stranger names the throwaway home one). */
function twin(p: MatrixPrincipal, home: string): MatrixPrincipal {
  if (p.organization === undefined) return p;
  const to =
    p.organization === home || !isMember(p)
      ? SCRATCH_ORGANIZATIONS.home
      : SCRATCH_ORGANIZATIONS.other;
  return isMember(p) ? { ...p, tid: to, organization: to } : { ...p, organization: to };
}

/**
 * Prove a membership backend's organization rows (kind `organization`) on the proof's stack: the throwaway
 * organizations and their twin memberships are written first (with an Owner seeded where no column is one), then
 * each row's door is knocked on by every column (doors-organization.ts, door-engine.ts) — refused requests must change nothing, allowed ones reach only the
 * caller's own organization. Rows with no proof are reported unproven.
 *
 * @example
 * ```ts
 * await proveOrganizations(proof, stack, matrix.principals, 'free');
 * ```
 */
export async function proveOrganizations(
  proof: Proof,
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
  plan: string,
): Promise<void> {
  const rows = proof.matrix.rows.filter((r) => r.kind === 'organization');
  if (rows.length === 0) return;
  const url = stack.apps.find((a) => a.functions.includes(MEMBERSHIP_FUNCTIONS.members))?.url;
  if (url === undefined) {
    proof.report.unproven.push('organization routes: the proof stack serves no api/tenant/members');
    return;
  }
  const home = VERIFY_ORGANIZATIONS.home;
  const scratch = principals.map((p) => twin(p, home));
  const owner = (org: string): MatrixPrincipal => {
    const column = principals.find(
      (p) => isMember(p) && p.organization === org && p.roles.includes('Owner'),
    );
    return (
      column ?? {
        key: `owner of ${org}`,
        description: 'an Owner the proof seeds',
        tid: org,
        oid: SEEDED_OWNER,
        roles: ['Owner'],
        organization: org,
      }
    );
  };
  const orgs = [...new Set(principals.filter(isMember).map((p) => p.organization ?? ''))];
  const twins = scratch.filter(isMember);
  const seeded = [...orgs, ...Object.values(SCRATCH_ORGANIZATIONS)].map(owner);
  const at = new Date(0).toISOString();
  await stack.write(
    TENANT_REGISTRY.database,
    TENANT_REGISTRY.container,
    Object.values(SCRATCH_ORGANIZATIONS).map((id) => ({
      id,
      name: `Verify throwaway ${id}`,
      plan,
      status: 'active',
      createdOn: at,
      updatedOn: at,
    })),
  );
  await stack.write(
    MEMBERS.database,
    MEMBERS.container,
    [...twins, ...seeded.filter((o) => o.oid === SEEDED_OWNER)].map((p) => ({
      id: membershipId(p.organization ?? '', p.oid ?? ''),
      tenant: p.organization,
      userId: p.oid,
      roles: p.roles,
      addedOn: at,
    })),
  );
  // What several rows share (made by the first that asks, undone after the last row, newest first).
  const made = new Map<string, Promise<Made<unknown>>>();
  const once = async <T>(key: string, make: () => Promise<Made<T>>): Promise<T> => {
    if (!made.has(key)) made.set(key, make());
    return ((await made.get(key)) as Made<T>).value;
  };
  const ctx: Ctx = { proof, url, principals, scratch, ownerOf: owner, once };
  try {
    for (const row of rows) {
      const door = ORGANIZATION_DOORS[row.operation];
      if (door) await proveDoor(ctx, row, door);
      else
        proof.report.unproven.push(`${row.component} ${row.operation}: no proof in this version`);
    }
  } finally {
    for (const m of [...made.values()].reverse()) await (await m.catch(() => undefined))?.done();
  }
}

/**
 * Tenants by membership: the proof's organizations in the registry (active, on `plan`) and each member column's
 * membership with its roles — written straight into the stack's `members` and `tenants` containers, as an operator's
 * tools would; the stranger gets none.
 *
 * @example
 * ```ts
 * await seedOrganizations(stack, matrix.principals, 'free');
 * ```
 */
export async function seedOrganizations(
  stack: ProofStack,
  principals: readonly MatrixPrincipal[],
  plan: string,
): Promise<void> {
  const at = new Date(0).toISOString();
  const members = principals.filter(isMember);
  const organizations = [...new Set(members.map((p) => p.tid ?? ''))];
  await stack.write(
    TENANT_REGISTRY.database,
    TENANT_REGISTRY.container,
    organizations.map((id) => ({ id, plan, status: 'active', createdOn: at, updatedOn: at })),
  );
  await stack.write(
    MEMBERS.database,
    MEMBERS.container,
    members.map((p) => ({
      id: membershipId(p.tid ?? '', p.oid ?? ''),
      tenant: p.tid,
      userId: p.oid,
      roles: p.roles,
      addedOn: at,
    })),
  );
}
