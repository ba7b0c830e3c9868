import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { MembersApi } from './members-api.js';

// A registry symbol, not a module variable (as the tenant registry's binding, tenants/registry-binding.ts): the app's
// HTTP functions may load another copy of this module than the runtime that bound the members store.
const KEY = Symbol.for('atakora.runtime.members');

function bound(): Map<string, MembersApi> {
  const g = globalThis as { [KEY]?: Map<string, MembersApi> };
  return (g[KEY] ??= new Map<string, MembersApi>());
}

const nameOf = (r: Pick<RuntimeTenantRegistry, 'database' | 'container'>): string =>
  `${r.database}/${r.container}`;

/**
 * Bind the members store, its cache and the organizations' registry for `registry` in this process: what the
 * membership stage of every route and the membership routes read.
 *
 * @example
 * ```ts
 * bindMembers(manifest.auth.registry, api);
 * ```
 */
export function bindMembers(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'container'>,
  api: MembersApi,
): MembersApi {
  bound().set(nameOf(registry), api);
  return api;
}

/**
 * The members bound for `registry`, or undefined when this process has none (the membership stage then admits
 * nobody to an organization: closed, never open).
 *
 * @example
 * ```ts
 * const members = boundMembers(policy.registry);
 * ```
 */
export function boundMembers(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'container'>,
): MembersApi | undefined {
  return bound().get(nameOf(registry));
}
