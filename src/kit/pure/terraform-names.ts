/**
 * Logical names of Terraform resources (`resource.<type>.<name>` in cdk.tf.json). The plan's `deploys`
 * and apply's `overrideLogicalId` both come from here, so the plan and the synthesized JSON cannot drift.
 * Names derive from the backend id and the resource key, never from a position, so they are stable.
 *
 * @example
 * ```ts
 * tfName('backend', 'cosmos:shared', 'db', 'user-db'); // 'backend_cosmos_shared_db_user-db'
 * ```
 */
export function tfName(...parts: readonly string[]): string {
  const joined = parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '_')).join('_');
  // Terraform identifiers start with a letter or underscore.
  return /^[A-Za-z_]/.test(joined) ? joined : `_${joined}`;
}

/** `UserApi` → `USER_API`: the namespace of a component's app settings. */
export function settingPrefix(componentId: string): string {
  return componentId
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}
