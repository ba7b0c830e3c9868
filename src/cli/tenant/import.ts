import { join } from 'node:path';
import { storedVersion } from '../../runtime/crud/versioned-items.js';
import { CREATOR_TENANT_FIELD, SYSTEM_FIELDS } from '../../runtime/values/system-fields.js';
import { TENANT_FIELD } from '../../runtime/values/tenancy.js';
import { type SeedSet, stampSeedItems } from '../shared/seed-file.js';
import { type SeedWriteReport, writeSeedItems } from '../shared/seed-write.js';
import type { TenantTarget } from './connect.js';
import {
  EXPORT_FILES,
  invalid,
  parseLines,
  readManifest,
  readText,
  sha256,
} from './export-format.js';
import { requestFailed } from './tenant-items.js';
import { createRegistryRecord, refuseErased } from './registry-record.js';
import { type MembersData, writeMembersData } from './tenant-members-data.js';
import { invitationOf, membershipOf } from '../../runtime/members/member-items.js';
import { rolesIssues } from '../../contract/members.js';
import { checkedRegistration } from './import-record.js';
import { CONCURRENCY, COSMOS_SYSTEM_FIELDS } from './tenant-items.js';
import { filesFailed, importStore, readStore, type ReadStore } from './tenant-files.js';
import { ledgerContainer, StoredBytesTally, storedIn } from '../shared/ledger-bytes.js';
import type { TenantEntity, TenantFileStore } from './targets.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { recordCliAudit } from './audit/audit-data.js';
import { moveItemCount } from '../shared/item-count.js';

/** What an import did per CrudApi. */
export interface ImportReport {
  readonly tenant: string;
  readonly components: Readonly<Record<string, SeedWriteReport>>;
  /** Per FileStore the file ids created and those already there. */
  readonly files: Readonly<
    Record<string, { readonly created: string[]; readonly existing: string[] }>
  >;
  /** The registry record was created (the target tenant had none). */
  readonly registered: boolean;
  /**
   * The Stripe customer the archive's record named, left out of the record created (an archive never bills anyone
   * again, into the same tenant as into a copy: contract/tenant-registration.ts); undefined when it named none or
   * no record was created.
   */
  readonly unbilled?: string;
  /** Tenants by membership: the memberships and open invitations created, and invitations left out (a copy). */
  readonly members?: {
    readonly memberships: number;
    readonly invitations: number;
    readonly skippedInvitations: number;
  };
}

/** Options of {@link importTenant}. */
export interface ImportOptions {
  /** Load into this tenant instead of the exported one (a copy). */
  readonly tenant?: string;
  readonly progress?: (line: string) => void;
  /** Where migration modules are resolved from (default the working folder). */
  readonly cwd?: string;
  /** Where the bytes it stores are counted (default: the target's usage ledger, when it has a registry). */
  readonly tally?: StoredBytesTally;
}

/**
 * Load an export (`atakora tenant export`) into the tenant's view, or another tenant's (`tenant`):
 * {@link prepareImport} checks everything, then {@link writeImport} writes. Run twice, the second run creates
 * nothing.
 *
 * @example
 * ```ts
 * const report = await importTenant(target, './contoso', { tenant: 'contoso-staging' });
 * ```
 */
export async function importTenant(
  target: TenantTarget,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const prepared = await prepareImport(target, dir, options);
  const report = await writeImport(target, prepared, options.progress, options.tally);
  // The archive's audit.ndjson is never loaded (the log is append-only: an import must not write history); the
  // import itself is an entry of the target organization's log.
  const from = prepared.members?.exportedTenant;
  await recordCliAudit(target, report.tenant, [
    { action: 'tenant.imported', changes: from !== undefined ? { from } : {} },
  ]);
  return report;
}

/** An archive read, checked and stamped for its target: all that is left is to write it. */
export interface PreparedImport {
  readonly tenant: string;
  readonly items: readonly { entity: TenantEntity; items: Record<string, unknown>[] }[];
  readonly stores: readonly { store: TenantFileStore; read: ReadStore }[];
  readonly record: TenantRecord | undefined;
  /** The Stripe customer the archive's record named, which {@link PreparedImport.record} leaves out. */
  readonly unbilled?: string;
  /** Tenants by membership: the archive's memberships and invitations, and the tenant it was exported from. */
  readonly members?: { readonly data: MembersData; readonly exportedTenant: string };
}

/**
 * Everything an import checks, before anything is written (a restore runs it before it erases): the archive's
 * tenant id, the target's and its registry record checked as `tenant add` checks a registration
 * (TENANT_RECORD_INVALID: import-record.ts); every file checked against the manifest's SHA-256 and count
 * (TENANT_EXPORT_INVALID); each item stamped with the target tenant, brought from its stored version through the
 * CrudApi's migrations and checked against the schema exactly as a seed is (shared/seed-file.ts: every bad item
 * listed).
 *
 * @example
 * ```ts
 * const prepared = await prepareImport(target, './contoso', {});
 * ```
 */
export async function prepareImport(
  target: TenantTarget,
  dir: string,
  options: ImportOptions = {},
): Promise<PreparedImport> {
  const manifest = readManifest(dir);
  const tenant = options.tenant ?? manifest.tenant;
  // An erased organization's id takes nothing of anyone else: only its own archive brings it back (the operator's
  // restore of that organization), never another's copied into it — that would be a later holder of the id.
  if (tenant !== manifest.tenant) await refuseErased(target, tenant, 'import');
  const registration = checkedRegistration(target, manifest, dir, options.tenant);
  const byId = new Map(target.layout.entities.map((e) => [e.componentId, e]));
  const planned: { entity: TenantEntity; items: Record<string, unknown>[] }[] = [];
  for (const [componentId, c] of Object.entries(manifest.components).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const entity = byId.get(componentId);
    const file = join(dir, EXPORT_FILES.items(componentId));
    if (!entity)
      throw invalid(
        `${file}: ${target.layout.backendId} has no CrudApi ${componentId} (it has ${[...byId.keys()].join(', ') || 'none'}).`,
      );
    const text = readText(file);
    if (sha256(text) !== c.sha256)
      throw invalid(`${file} is not the file exported (its SHA-256 differs).`);
    const lines = parseLines(file, text);
    if (lines.length !== c.items)
      throw invalid(
        `${file} holds ${String(lines.length)} item(s), the manifest says ${String(c.items)}.`,
      );
    planned.push({ entity, items: await stamped(entity, file, lines, tenant, options.cwd) });
  }
  const stores: { store: TenantFileStore; read: ReadStore }[] = [];
  for (const [storeId, f] of Object.entries(manifest.fileStores ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const store = target.layout.fileStores.find((x) => x.componentId === storeId);
    const file = join(dir, EXPORT_FILES.files(storeId));
    if (!store) throw invalid(`${file}: ${target.layout.backendId} has no FileStore ${storeId}.`);
    const text = readText(file);
    if (sha256(text) !== f.sha256)
      throw invalid(`${file} is not the file exported (its SHA-256 differs).`);
    stores.push({ store, read: readStore(store, dir, text) });
  }
  if (stores.length > 0 && !target.files)
    throw invalid(`the export holds files, and ${target.where} has no blob access to load them.`);
  const membersRead = manifest.members
    ? membersOf(dir, manifest.members.sha256, target.backend.config.tenants?.membership?.roles)
    : undefined;
  return {
    tenant,
    items: planned,
    stores,
    record: registration?.record,
    ...(registration?.unbilled !== undefined ? { unbilled: registration.unbilled } : {}),
    ...(membersRead ? { members: { data: membersRead, exportedTenant: manifest.tenant } } : {}),
  };
}

/**
 * Write a prepared import: each item created unless its id is taken — by this tenant (left) or by another tenant in
 * an `/id`-keyed container (skipped, reported, never touched: shared/seed-write.ts), those created counted against
 * the plans' item bounds (shared/item-count.ts) — then the files, then the registry record when the tenant has none.
 *
 * @example
 * ```ts
 * const report = await writeImport(target, prepared, (line) => process.stderr.write(line));
 * ```
 */
export async function writeImport(
  target: TenantTarget,
  prepared: PreparedImport,
  progress: (line: string) => void = () => undefined,
  given?: StoredBytesTally,
): Promise<ImportReport> {
  const { tenant } = prepared;
  // The bytes of what it creates, for the tenant they count for, added to the ledger after each component.
  const ledger = await ledgerContainer(target);
  const tally = given ?? new StoredBytesTally(ledger, progress);
  const components: Record<string, SeedWriteReport> = {};
  for (const { entity, items } of prepared.items) {
    // Flushed even when a write fails: what it created is counted (a second run leaves it, counting nothing).
    const r = await writeAll(target, entity, items, tenant, tally).finally(() => tally.flush());
    components[entity.componentId] = r;
    // A plan's item bound counts what it created, as the runtime's creates are counted.
    await moveItemCount(target, ledger, tenant, entity, r.created.length, progress);
    progress(
      `tenant import ${tenant}: ${entity.componentId} ${String(r.created.length)} created, ` +
        `${String(r.existing.length)} already there, ${String(r.otherTenant.length)} skipped (held by another tenant)\n`,
    );
  }
  const files: Record<string, { created: string[]; existing: string[] }> = {};
  for (const { store, read } of prepared.stores) {
    const side = target.files;
    if (!side) continue;
    let written: { created: string[]; existing: string[] };
    try {
      written = await importStore(await side(store), store, tenant, read, tally);
    } catch (err) {
      throw filesFailed('writing', store, err);
    } finally {
      await tally.flush();
    }
    files[store.componentId] = written;
    progress(
      `tenant import ${tenant}: ${store.componentId} ${String(written.created.length)} file(s) created\n`,
    );
  }
  const members = prepared.members
    ? await writeMembersData(target, tenant, prepared.members.data, prepared.members.exportedTenant)
    : undefined;
  if (members)
    progress(
      `tenant import ${tenant}: ${String(members.memberships)} member(s), ${String(members.invitations)} open ` +
        `invitation(s) created${members.skippedInvitations > 0 ? `, ${String(members.skippedInvitations)} invitation(s) left out (a token names its organization)` : ''}\n`,
    );
  const registered = prepared.record
    ? await createRegistryRecord(target, tenant, { ...prepared.record })
    : false;
  return {
    tenant,
    components,
    files,
    registered,
    ...(registered && prepared.unbilled !== undefined ? { unbilled: prepared.unbilled } : {}),
    ...(members ? { members } : {}),
  };
}

/**
 * `members.ndjson` of an export, checked against its SHA-256 and line by line — each a membership or an invitation
 * whose roles are `Owner` or this backend's `tenants.roles` (a role the backend does not declare would grant what no
 * invitation could) —, memberships then invitations; TENANT_EXPORT_INVALID otherwise, before anything is written.
 */
function membersOf(
  dir: string,
  expected: string,
  declared: readonly string[] | undefined,
): MembersData {
  const file = join(dir, EXPORT_FILES.members);
  const text = readText(file);
  if (sha256(text) !== expected)
    throw invalid(`${file} is not the file exported (its SHA-256 differs).`);
  if (declared === undefined)
    throw invalid(
      `${file}: this backend's tenants are not organizations (tenants.by is not 'membership').`,
    );
  const lines = parseLines(file, text);
  lines.forEach((l, i) => {
    const record = l['kind'] === undefined ? membershipOf(l) : invitationOf(l);
    if (!record || rolesIssues(record.roles, declared).length > 0)
      throw invalid(
        `${file}, line ${String(i + 1)}: not a membership or invitation with the roles this backend declares ` +
          `(Owner, ${declared.join(', ')}).`,
      );
  });
  return {
    memberships: lines.filter((l) => l['kind'] === undefined),
    invitations: lines.filter((l) => l['kind'] === 'invitation'),
  };
}

/** The export's items of one CrudApi as a create stores them for `tenant`, through the migrations per version. */
async function stamped(
  entity: TenantEntity,
  file: string,
  lines: readonly Record<string, unknown>[],
  tenant: string,
  cwd: string | undefined,
): Promise<Record<string, unknown>[]> {
  const byVersion = new Map<number, Record<string, unknown>[]>();
  for (const stored of lines) {
    const v = storedVersion(stored);
    const item: Record<string, unknown> = {};
    for (const k of Object.keys(stored))
      if (!SYSTEM_FIELDS.includes(k) && !COSMOS_SYSTEM_FIELDS.includes(k))
        Object.defineProperty(item, k, {
          value: stored[k],
          enumerable: true,
          writable: true,
          configurable: true,
        });
    if (entity.isolated) item[TENANT_FIELD] = tenant;
    const list = byVersion.get(v);
    if (list) list.push(item);
    else byVersion.set(v, [item]);
  }
  const out: Record<string, unknown>[] = [];
  for (const [schemaVersion, items] of [...byVersion].sort(([a], [b]) => a - b)) {
    const set: SeedSet = {
      componentId: entity.componentId,
      file,
      entity: entity.entity,
      databaseName: entity.database,
      containerName: entity.container,
      cosmosEndpoint: entity.endpoint,
      items,
      schemaVersion,
      migrations: entity.migrations,
    };
    // Owners are kept as exported: the items are the users', not the importer's.
    const written = await stampSeedItems(
      set,
      { tenant, owner: undefined, keepGivenOwner: true },
      cwd,
    );
    // A shared item is the importing tenant's (a copy's too): its creator directory is that tenant.
    out.push(
      ...(entity.isolated
        ? written
        : written.map((i) => ({ ...i, [CREATOR_TENANT_FIELD]: tenant }))),
    );
  }
  return out;
}

/** Create the items in lanes of the seed writer (each lane one `writeSeedItems`), their reports merged. */
async function writeAll(
  target: TenantTarget,
  e: TenantEntity,
  items: readonly Record<string, unknown>[],
  tenant: string,
  tally: StoredBytesTally,
): Promise<SeedWriteReport> {
  const merged: SeedWriteReport = {
    created: [],
    existing: [],
    replaced: [],
    otherTenant: [],
    ahead: [],
  };
  if (items.length === 0) return merged;
  const container = await target.container(e.endpoint, e.database, e.container);
  const lanes = Math.min(CONCURRENCY, items.length);
  const reports = await Promise.all(
    Array.from({ length: lanes }, (_, lane) =>
      writeSeedItems(
        container,
        e.entity,
        items.filter((_item, i) => i % lanes === lane),
        { tenant, stored: storedIn(tally, e.isolated) },
      ).catch((err: unknown) => {
        throw requestFailed('writing', e, err);
      }),
    ),
  );
  for (const r of reports)
    for (const k of ['created', 'existing', 'replaced', 'otherTenant', 'ahead'] as const)
      merged[k].push(...r[k]);
  for (const k of ['created', 'existing', 'replaced', 'otherTenant', 'ahead'] as const)
    merged[k].sort();
  return merged;
}

/**
 * What `atakora tenant import` prints of its report: the counts, the registry record, the customer the record left
 * out with the command that puts it back (`target`: that command's entry, tenant and target flags), and per CrudApi
 * the ids another tenant holds.
 *
 * @example
 * ```ts
 * for (const line of importReceipt(report, 'backend.ts contoso --environment prod', 'backend (prod)')) io.out(line);
 * ```
 */
export function importReceipt(report: ImportReport, target: string, where: string): string[] {
  const n = (k: 'created' | 'existing' | 'otherTenant') =>
    Object.values(report.components).reduce((s, r) => s + r[k].length, 0);
  const lines = [
    `Imported into tenant ${report.tenant} (${where}): ${String(n('created'))} created, ` +
      `${String(n('existing'))} already there, ${String(n('otherTenant'))} skipped (held by another tenant)` +
      `${report.registered ? '; registry record created' : ''}.\n`,
  ];
  if (report.unbilled !== undefined)
    lines.push(
      `  registry record: its Stripe customer ${report.unbilled} was left out (an archive bills no one): ` +
        `atakora tenant set ${target} --stripe-customer ${report.unbilled} where this tenant is billed.\n`,
    );
  for (const [id, r] of Object.entries(report.components))
    if (r.otherTenant.length > 0)
      lines.push(
        `  ${id}: skipped ids held by another tenant, left untouched: ${r.otherTenant.join(', ')}\n`,
      );
  return lines;
}
