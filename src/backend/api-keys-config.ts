import {
  MAX_API_KEY_DAYS,
  MAX_API_KEYS_PER_ORGANIZATION,
} from '../contract/integrations/api-keys.js';
import { OWNER_ROLE } from '../contract/members.js';
import type { ApiKeysConfig, NormalizedApiKeys } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';

const invalid = (message: string, key: string | number, resolution: string) =>
  new AtakoraError('TENANTS_API_KEYS_INVALID', message, {
    path: ['config', 'tenants', 'apiKeys', key],
    resolution,
  });

/**
 * `tenants.apiKeys` checked against the membership roles (DESIGN §2, "Integrations"): `perOrganization` an integer
 * from 1 to {@link MAX_API_KEYS_PER_ORGANIZATION}, `roles` distinct declared roles and never `Owner` (a key is never
 * an Owner: an Owner's power is a person's), `maxDays` an integer from 1 to {@link MAX_API_KEY_DAYS}. Every refusal
 * is TENANTS_API_KEYS_INVALID naming the key; defaults are left to the runtime (20 keys, every role but Owner, no
 * expiry bound).
 *
 * @example
 * ```ts
 * normalizeApiKeys({ perOrganization: 5, roles: ['Member'] }, ['Admin', 'Member']);
 * // { perOrganization: 5, roles: ['Member'] }
 * ```
 */
export function normalizeApiKeys(
  keys: ApiKeysConfig,
  declared: readonly string[],
): NormalizedApiKeys {
  const n = keys.perOrganization;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_API_KEYS_PER_ORGANIZATION))
    throw invalid(
      `tenants.apiKeys.perOrganization is ${String(n)}: it bounds how many API keys one organization holds, ` +
        `an integer from 1 to ${String(MAX_API_KEYS_PER_ORGANIZATION)}.`,
      'perOrganization',
      'Write a whole number such as 20 (the default when left out), or leave the key out.',
    );
  const days = keys.maxDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_API_KEY_DAYS))
    throw invalid(
      `tenants.apiKeys.maxDays is ${String(days)}: it is the longest life of a key in days, an integer from 1 ` +
        `to ${String(MAX_API_KEY_DAYS)}.`,
      'maxDays',
      'Write a whole number of days such as 90, or leave the key out (keys then never expire unless asked).',
    );
  const roles = keys.roles;
  roles?.forEach((role, i) => {
    if (role === OWNER_ROLE)
      throw invalid(
        `tenants.apiKeys.roles[${String(i)}] is ${OWNER_ROLE}: a key is never an ${OWNER_ROLE} (an ${OWNER_ROLE} ` +
          'changes members, billing and keys — a person’s powers, not a script’s).',
        'roles',
        `Leave ${OWNER_ROLE} out of tenants.apiKeys.roles.`,
      );
    if (!declared.includes(role))
      throw invalid(
        `tenants.apiKeys.roles[${String(i)}] "${role}" is no role of tenants.roles (${declared.join(', ')}).`,
        'roles',
        'Name roles tenants.roles declares, or leave the key out for all of them.',
      );
    if (roles.indexOf(role) !== i)
      throw invalid(
        `tenants.apiKeys.roles[${String(i)}] "${role}" is named twice.`,
        'roles',
        'Name each role once.',
      );
  });
  if (roles?.length === 0)
    throw invalid(
      'tenants.apiKeys.roles is empty: no key could be created.',
      'roles',
      'Name at least one role, or leave the key out for every role but Owner.',
    );
  return {
    ...(n !== undefined ? { perOrganization: n } : {}),
    ...(roles !== undefined ? { roles: [...roles] } : {}),
    ...(days !== undefined ? { maxDays: days } : {}),
  };
}
