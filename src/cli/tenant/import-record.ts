import { join } from 'node:path';
import { importedTenantRecord, type TenantFieldIssue } from '../../contract/tenant-registration.js';
import { tenantIdIssue, type TenantRecord } from '../../contract/tenants.js';
import { AtakoraError } from '../../model/errors.js';
import { printable } from '../shared/terminal-text.js';
import type { TenantTarget } from './connect.js';
import { EXPORT_FILES, type ExportManifest } from './export-format.js';

// Who could have written an archive? Whoever handed over the folder: its manifest is not signed, and the SHA-256s
// in it cover the item files only. So the tenant it names and the record it carries are a registration like any
// other, checked by the contract's rules (contract/tenant-registration.ts) before anything is written.

/**
 * The registry record an import writes for `target`'s tenant (and the Stripe customer it leaves out, `unbilled`), or
 * undefined when the archive carries none or the backend has no registry: the archive's record checked as `tenant add` checks a registration (declared plan,
 * status, a name without control characters, known fields only, the exported tenant's own id) and dated now. The
 * archive's tenant (`manifest.tenant`) and the one it is loaded into (`--tenant`) must be tenant ids no directory is
 * refused (not `shared`, `anonymous`). Anything else is TENANT_RECORD_INVALID, every issue listed.
 *
 * @example
 * ```ts
 * const checked = checkedRegistration(target, manifest, './contoso', undefined); // { record: { id: 'contoso', … } }
 * ```
 */
export function checkedRegistration(
  target: TenantTarget,
  manifest: ExportManifest,
  dir: string,
  copyTo: string | undefined,
  now: Date = new Date(),
): { readonly record: TenantRecord; readonly unbilled?: string } | undefined {
  const file = join(dir, EXPORT_FILES.manifest);
  const exported = tenantIdIssue(manifest.tenant);
  if (exported)
    throw refused(`${file} names tenant ${quoted(manifest.tenant)}: ${exported.message}`, [
      'tenant',
      'import',
      '--from',
      EXPORT_FILES.manifest,
      'tenant',
    ]);
  const copy = copyTo === undefined ? undefined : tenantIdIssue(copyTo);
  if (copy)
    throw refused(`--tenant ${quoted(copyTo)}: ${copy.message}`, ['tenant', 'import', '--tenant']);
  const tenants = target.backend.config.tenants;
  if (!target.layout.registry || manifest.registry === undefined || !tenants) return undefined;
  const r = importedTenantRecord(manifest.registry, {
    exported: manifest.tenant,
    tenant: copyTo ?? manifest.tenant,
    plans: Object.keys(tenants.plans),
    defaultPlan: tenants.defaultPlan,
    now: now.toISOString(),
  });
  if (r.ok)
    return { record: r.record, ...(r.unbilled !== undefined ? { unbilled: r.unbilled } : {}) };
  throw refused(
    `${file}: its registry record is not one atakora tenant add would write: ${issuesText(r.issues)}`,
    [
      'tenant',
      'import',
      '--from',
      EXPORT_FILES.manifest,
      'registry',
      printable(r.issues[0]?.field ?? ''),
    ],
  );
}

const quoted = (v: unknown) => printable(JSON.stringify(v) ?? String(v));

const issuesText = (issues: readonly TenantFieldIssue[]) =>
  issues.map((i) => printable(`${i.field === '' ? '' : `${i.field}: `}${i.message}`)).join(' ');

function refused(message: string, path: readonly string[]): AtakoraError {
  return new AtakoraError('TENANT_RECORD_INVALID', `${message} Nothing was written.`, {
    path: [...path],
    resolution:
      'Correct the archive (the tenant id its manifest.json names, or its registry record: a declared plan, ' +
      'status active or suspended, a name without control characters, no other field), or remove `registry` from ' +
      'manifest.json and register the tenant afterwards with atakora tenant add.',
  });
}
