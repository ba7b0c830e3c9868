import type { PlannedResource } from '../../model/plan.js';

/** The files account's retention as the plan holds it (resources/storage/type.ts FilesRetention). */
interface RetentionFacts {
  readonly versioning: boolean;
  readonly deletedRetentionDays: number;
  readonly stagingDays: number;
  readonly pendingDays: number;
}

/**
 * What a planned resource keeps of deleted blobs, in words, when the plan says (the files account's
 * `config.retention`); undefined for any other resource. The text, Markdown-free line every format shows, so a
 * reviewer reads from the plan what the synthesized `blob_properties` holds (test/apply/file-store-blob-properties).
 *
 * @example
 * ```ts
 * retentionLine(filesAccount);
 * // { versioning: false, deletedRetentionDays: 7, text: 'versioning off: a deleted file leaves no version; …' }
 * ```
 */
export function retentionLine(
  resource: Pick<PlannedResource, 'config'>,
): (RetentionFacts & { readonly text: string }) | undefined {
  const r = resource.config['retention'] as Partial<RetentionFacts> | undefined;
  if (!r || typeof r.deletedRetentionDays !== 'number') return undefined;
  const facts: RetentionFacts = {
    versioning: r.versioning === true,
    deletedRetentionDays: r.deletedRetentionDays,
    stagingDays: r.stagingDays ?? 0,
    pendingDays: r.pendingDays ?? 0,
  };
  const days = (n: number) => `${String(n)} day${n === 1 ? '' : 's'}`;
  return {
    ...facts,
    text:
      `${facts.versioning ? 'versioning on: a deleted file leaves previous versions' : 'versioning off: a deleted file leaves no version'}; ` +
      `soft delete keeps a deleted blob ${days(facts.deletedRetentionDays)}, then it is gone; staged uploads ` +
      `are deleted ${days(facts.stagingDays)} after creation, upload records after ${days(facts.pendingDays)}`,
  };
}
