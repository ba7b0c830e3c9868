import type { TenantRecord } from '../../tenants/tenant-record.js';

/**
 * The Entra directory an organization linked (`directory: { tid }` on its registry record, set by directory
 * sign-in), read defensively: undefined when the record holds none (or an older record shape). The one place the
 * `externalId` match learns the directory — directory sign-in's own reader can replace this body.
 *
 * @example
 * ```ts
 * linkedDirectoryOf({ ...record, directory: { tid: 'contoso-tid' } }); // 'contoso-tid'
 * ```
 */
export function linkedDirectoryOf(record: TenantRecord | undefined): string | undefined {
  const directory = (record as { directory?: unknown } | undefined)?.directory;
  const tid =
    directory && typeof directory === 'object' ? (directory as { tid?: unknown }).tid : undefined;
  return typeof tid === 'string' && tid !== '' ? tid.toLowerCase() : undefined;
}
