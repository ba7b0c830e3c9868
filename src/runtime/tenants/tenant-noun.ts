import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';

/**
 * What a tenant is called in a problem's detail: `organization` with tenants by membership (the caller joined it;
 * their directory is no tenant there), else `directory`.
 *
 * @example
 * ```ts
 * `Your ${tenantNoun(limited.registry)} made its plan's 600 requests this minute`; // 'Your organization …'
 * ```
 */
export function tenantNoun(
  registry: Pick<RuntimeTenantRegistry, 'membership'> | undefined,
): 'organization' | 'directory' {
  return registry?.membership ? 'organization' : 'directory';
}
