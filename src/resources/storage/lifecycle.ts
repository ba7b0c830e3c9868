import type { FilesRetention } from './retention.js';

/**
 * Azure's limits on a lifecycle management policy (Learn, "Lifecycle management policy structure":
 * https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure — "You can define up to 100
 * rules in a policy"; under "Rule filters", `prefixMatch`: "Each rule can define up to 10 case-sensitive prefixes. A
 * prefix string must start with a container name."). The provider checks neither
 * (storage_management_policy_resource.go@v4.55.0: `rule` has no MaxItems, `prefix_match` is a plain set), so a
 * policy past them passes validate and plan and is refused by `terraform apply`.
 */
export const LIFECYCLE_PREFIXES_PER_RULE = 10;
/** See {@link LIFECYCLE_PREFIXES_PER_RULE}. */
export const LIFECYCLE_RULES_PER_POLICY = 100;

/** One rule of the files account's lifecycle policy, as data (provision.ts writes it; the plan counts it). */
export interface LifecycleRule {
  readonly name: string;
  /** At most {@link LIFECYCLE_PREFIXES_PER_RULE}, each `<container>/…`. */
  readonly prefixes: readonly string[];
  /** `base`: delete the blob this many days after its creation; `version`: delete a previous version. */
  readonly action:
    | { readonly kind: 'base'; readonly daysAfterCreation: number }
    | { readonly kind: 'version'; readonly daysAfterCreation: number };
}

/**
 * The files account's lifecycle rules (type.ts FilesRetention): staged uploads and the records of the upload URLs
 * handed out (runtime/files/upload-urls.ts) deleted `stagingDays` after creation, pending upload records
 * `pendingDays` after, and any previous version (left by an account created while versioning was on) a day after it
 * became one — each split into rules of at most ten prefixes, so any number of FileStores fits. The first rule of
 * each kind keeps its name; the next ones are `<name>-2`, `-3`…
 *
 * @example
 * ```ts
 * lifecycleRules(retention).length; // 4 for up to 10 FileStores, 8 for 11 to 20
 * ```
 */
export function lifecycleRules(retention: FilesRetention): LifecycleRule[] {
  const containers = [
    ...new Set(retention.stagingPrefixes.map((p) => `${p.split('/')[0] ?? ''}/`)),
  ];
  const staged = { kind: 'base', daysAfterCreation: retention.stagingDays } as const;
  const kinds: [string, readonly string[], LifecycleRule['action']][] = [
    ['expire-staged-uploads', retention.stagingPrefixes, staged],
    ['expire-upload-url-records', containers.map((c) => `${c}~urls/`), staged],
    [
      'expire-pending-uploads',
      retention.pendingPrefixes,
      { kind: 'base', daysAfterCreation: retention.pendingDays },
    ],
    ['delete-previous-versions', containers, { kind: 'version', daysAfterCreation: 1 }],
  ];
  return kinds.flatMap(([name, prefixes, action]) =>
    chunks(prefixes, LIFECYCLE_PREFIXES_PER_RULE).map((part, i) => ({
      name: i === 0 ? name : `${name}-${String(i + 1)}`,
      prefixes: part,
      action,
    })),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
