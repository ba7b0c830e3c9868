import type { AuditEntry } from '../../../contract/audit.js';
import { AtakoraError } from '../../../model/errors.js';
import type { CommandIo } from '../../shared/command-line.js';
import type { TenantTarget } from '../connect.js';
import { readAuditEntries } from './audit-data.js';

/**
 * One entry as a line: when, who (and through which door), what, on what, and what changed.
 *
 * @example
 * ```ts
 * auditLine(entry); // '2026-03-01T00:00:00.000Z  ada (api)  member.roles-changed  bob  {"roles":{"from":["Member"],"to":["Admin"]}}'
 * ```
 */
export function auditLine(e: AuditEntry): string {
  const who = `${e.actor.id}${e.actor.email !== undefined ? ` <${e.actor.email}>` : ''} (${e.actor.via})`;
  const changes = e.changes !== undefined ? `  ${JSON.stringify(e.changes)}` : '';
  return `${e.at}  ${who}  ${e.action}  ${e.target}${changes}`;
}

/**
 * `atakora tenant audit <entry> <tenant> [--json]`: the organization's audit log, newest first — one line an entry,
 * or the entries as JSON. Refused (TENANT_COMMAND_REFUSED) on a backend whose tenants are directories: only
 * organizations keep a log.
 *
 * @example
 * ```ts
 * await printAudit(target, 'acme', false, io); // prints 'Audit log of acme (local): 3 entries' and the lines
 * ```
 */
export async function printAudit(
  target: TenantTarget,
  tenant: string,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  const entries = await readAuditEntries(target, tenant);
  if (!entries)
    throw new AtakoraError(
      'TENANT_COMMAND_REFUSED',
      `atakora tenant audit: ${target.backend.backendId} (${target.where}) keeps no audit log: its tenants are not ` +
        'organizations, or its audit container is not deployed yet.',
      {
        path: ['tenant', 'audit'],
        resolution:
          "The audit log is kept with tenants: { by: 'membership' }; atakora deploy plans its container " +
          '(docs/tenants.md, "Audit log").',
      },
    );
  if (json) {
    io.out(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `Audit log of ${tenant} (${target.where}): ${String(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'}, newest first`,
    ...entries.map(auditLine),
  ];
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
