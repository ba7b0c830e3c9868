import type { Membership } from '../../contract/members.js';
import { AtakoraError } from '../../model/errors.js';
import { membershipOf } from '../../runtime/members/member-items.js';
import type { TenantTarget } from './connect.js';

/**
 * The members of organization `tenant` (tenants by membership), by user id: one partition of the `members`
 * container, read with the target's identity. Refused, before anything is read, for a backend whose tenants are
 * directories.
 *
 * @example
 * ```ts
 * const members = await tenantMembers(target, 'acme-k3x9qa'); // [{ userId: 'u-1', roles: ['Owner'], … }]
 * ```
 */
export async function tenantMembers(target: TenantTarget, tenant: string): Promise<Membership[]> {
  const r = target.layout.registry;
  if (!r?.members)
    throw new AtakoraError(
      'TENANT_COMMAND_REFUSED',
      `atakora tenant members: ${target.backend.backendId}'s tenants are not organizations (its tenants.by is not ` +
        "'membership'), so it keeps no members. Nothing was read.",
      {
        path: ['tenants', 'by'],
        resolution:
          "Set tenants: { by: 'membership', plans, defaultPlan } in the backend's config and deploy (or restart " +
          "atakora dev) once; a directory's users are in Entra ID, not here.",
      },
    );
  const container = await target.container(r.endpoint, r.database, r.members);
  const { resources } = await container.items
    .query<Record<string, unknown>>(
      {
        query: 'SELECT * FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) ORDER BY c.id',
        parameters: [{ name: '@t', value: tenant }],
      },
      { partitionKey: tenant },
    )
    .fetchAll();
  return resources.map(membershipOf).filter((m): m is Membership => m !== undefined);
}

/**
 * Members as `atakora tenant members` prints them: one line each — user id, roles, email, when added — or a line
 * saying there is none.
 *
 * @example
 * ```ts
 * membersTable('acme-k3x9qa', members); // 'Members of acme-k3x9qa (2):\n  u-1  Owner  ada@example.com  2026-…\n…'
 * ```
 */
export function membersTable(tenant: string, members: readonly Membership[]): string {
  if (members.length === 0) return `Organization ${tenant} has no members.\n`;
  const width = Math.max(...members.map((m) => m.userId.length));
  const roleWidth = Math.max(...members.map((m) => m.roles.join(',').length), 5);
  const lines = members.map(
    (m) =>
      `  ${m.userId.padEnd(width)}  ${(m.roles.join(',') || '-').padEnd(roleWidth)}  ${m.email ?? '-'}  ${m.addedOn}`,
  );
  return `Members of ${tenant} (${String(members.length)}):\n${lines.join('\n')}\n`;
}
