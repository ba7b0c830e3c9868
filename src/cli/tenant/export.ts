import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import type { TenantTarget } from './connect.js';
import {
  EXPORT_FILES,
  type ExportedComponent,
  type ExportManifest,
  sha256,
  toNdjson,
} from './export-format.js';
import { readRegistryRecord } from './registry-record.js';
import { readMembersData } from './tenant-members-data.js';
import { readAuditEntries, recordCliAudit } from './audit/audit-data.js';
import { entityItemsOf } from './tenant-items.js';
import { tenantUsers } from './tenant-users.js';
import { exportStore, filesFailed, tenantBlobs } from './tenant-files.js';
import type { TenantEntity } from './targets.js';

/** Options of {@link exportTenant}. */
export interface ExportOptions {
  /** Users of the tenant known besides the owners its items record (whose shared-entity items are theirs). */
  readonly owners?: readonly string[];
  /** Progress lines (stderr). */
  readonly progress?: (line: string) => void;
  readonly now?: () => Date;
  /**
   * Export a tenant that has nothing at all (no registry record, no item, no file) as an empty archive: a restore
   * to a time before the tenant had data. Otherwise such a tenant is TENANT_NOT_FOUND (a mistyped id), nothing
   * written.
   */
  readonly allowEmpty?: boolean;
}

/**
 * Write everything of one tenant to `dir`: per CrudApi `items/<ComponentId>.ndjson` (each item as stored, its
 * hidden schema version kept, no Cosmos DB system field; isolated entities' items of the tenant, and shared entities'
 * items its users own), then `manifest.json` with each file's count and SHA-256. Each file is written whole
 * (a temporary file renamed), the manifest last: a folder without a manifest is no export. Run twice, it writes the
 * same files (items in id order) and a new `exportedAt`. A tenant with nothing — no record, no item, no file — is
 * TENANT_NOT_FOUND (a mistyped id), nothing written, unless `allowEmpty`.
 *
 * @example
 * ```ts
 * const manifest = await exportTenant(target, 'contoso', './contoso', { progress: (l) => process.stderr.write(l) });
 * ```
 */
export async function exportTenant(
  target: TenantTarget,
  tenant: string,
  dir: string,
  options: ExportOptions = {},
): Promise<ExportManifest> {
  const progress = options.progress ?? (() => undefined);
  const { layout } = target;
  // Isolated entities first: their owners are the tenant's users, whose shared-entity items are read next.
  const read: { entity: TenantEntity; items: Record<string, unknown>[] }[] = [];
  for (const e of layout.entities.filter((x) => x.isolated))
    read.push({ entity: e, items: await entityItemsOf(target, e, tenant, []) });
  const owners = await tenantUsers(target, tenant, read, options.owners, progress);
  for (const e of layout.entities.filter((x) => !x.isolated))
    read.push({ entity: e, items: await entityItemsOf(target, e, tenant, owners) });
  const registry = layout.registry ? await readRegistryRecord(target, tenant) : undefined;
  if (!options.allowEmpty && !registry && read.every((r) => r.items.length === 0))
    await refuseUnknown(target, tenant, owners);
  const components: Record<string, ExportedComponent> = {};
  for (const { entity: e, items } of read.sort((a, b) =>
    a.entity.componentId < b.entity.componentId ? -1 : 1,
  )) {
    const text = toNdjson(items);
    writeWhole(join(dir, EXPORT_FILES.items(e.componentId)), text);
    components[e.componentId] = {
      schemaVersion: e.entity.schemaVersion ?? 1,
      items: items.length,
      sha256: sha256(text),
      tenancy: e.isolated ? 'isolated' : 'shared',
    };
    progress(`tenant export ${tenant}: ${e.componentId} ${String(items.length)} item(s)\n`);
  }
  const fileStores: Record<string, { files: number; sha256: string }> = {};
  for (const store of layout.fileStores) {
    if (!target.files) {
      progress(
        `tenant export ${tenant}: ${store.componentId} files left out (${target.where} has no blob access)\n`,
      );
      continue;
    }
    let written;
    try {
      written = await exportStore(await target.files(store), store, tenant, owners, dir);
    } catch (err) {
      throw filesFailed('reading', store, err);
    }
    fileStores[store.componentId] = { files: written.files, sha256: sha256(written.text) };
    progress(`tenant export ${tenant}: ${store.componentId} ${String(written.files)} file(s)\n`);
  }
  const members = await readMembersData(target, tenant, options.now?.() ?? new Date());
  let membersEntry: ExportManifest['members'];
  if (members) {
    const text = toNdjson([...members.memberships, ...members.invitations]);
    writeWhole(join(dir, EXPORT_FILES.members), text);
    membersEntry = {
      memberships: members.memberships.length,
      invitations: members.invitations.length,
      sha256: sha256(text),
    };
    progress(
      `tenant export ${tenant}: ${String(members.memberships.length)} member(s), ` +
        `${String(members.invitations.length)} open invitation(s)\n`,
    );
  }
  // The organization's audit log, newest first (tenants by membership): what the import never loads back.
  const audit = await readAuditEntries(target, tenant);
  let auditEntry: ExportManifest['audit'];
  if (audit) {
    const text = toNdjson(audit);
    writeWhole(join(dir, EXPORT_FILES.audit), text);
    auditEntry = { entries: audit.length, sha256: sha256(text) };
    progress(`tenant export ${tenant}: ${String(audit.length)} audit log entr(ies)\n`);
  }
  const manifest: ExportManifest = {
    format: 1,
    backendId: layout.backendId,
    environment: layout.environment,
    tenant,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    owners,
    components,
    ...(Object.keys(fileStores).length > 0 ? { fileStores } : {}),
    ...(registry ? { registry } : {}),
    ...(membersEntry ? { members: membersEntry } : {}),
    ...(auditEntry ? { audit: auditEntry } : {}),
  };
  writeWhole(join(dir, EXPORT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  if (audit) await recordCliAudit(target, tenant, [{ action: 'tenant.exported' }]);
  return manifest;
}

/**
 * A tenant with no registry record and no item: unless one of its files exists, an id nobody has (a typo), refused
 * before anything is written — an empty archive would read as "this tenant has nothing", and an import of it as a
 * successful copy of nothing.
 */
async function refuseUnknown(
  target: TenantTarget,
  tenant: string,
  owners: readonly string[],
): Promise<void> {
  for (const store of target.layout.fileStores) {
    if (!target.files) break;
    const blobs = await tenantBlobs(await target.files(store), store, tenant, owners).catch(
      (err: unknown) => {
        throw filesFailed('reading', store, err);
      },
    );
    if (blobs.length > 0) return;
  }
  throw new AtakoraError(
    'TENANT_NOT_FOUND',
    `atakora tenant export: ${target.layout.backendId} (${target.where}) has no tenant ${tenant}: no registry ` +
      'record, no item, no file. Nothing was written.',
    {
      path: ['tenant', 'export', '<tid>'],
      resolution:
        `Check the id (atakora tenant list <entry> ` +
        `${target.where === 'local' ? '--local' : `--environment ${target.where}`} lists the registered ones).`,
    },
  );
}

function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
