/**
 * `tenants.apiKeys` in the config (DESIGN §2, "Integrations"): carried as given to the normalized config and the
 * runtime's policy (its manifest), defaults left to the runtime, and every bad value the config error
 * TENANTS_API_KEYS_INVALID naming the key — never a raw error, never silently dropped.
 */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import type { BackendConfig } from '../../src/model/config.js';
import { thrown } from '../support/errors.js';

const tenants = {
  by: 'membership',
  roles: ['Admin', 'Member', 'Viewer'],
  plans: { team: { features: ['api-keys'] } },
  defaultPlan: 'team',
} as const;

describe('tenants.apiKeys', () => {
  it('is carried as given to the config and the runtime policy; absent, the runtime defaults apply', () => {
    const c = normalizeConfig({
      tenants: { ...tenants, apiKeys: { perOrganization: 5, roles: ['Viewer'], maxDays: 90 } },
    });
    expect(c.tenants?.membership?.apiKeys).toEqual({
      perOrganization: 5,
      roles: ['Viewer'],
      maxDays: 90,
    });
    expect(admissionPolicy(c).registry?.membership?.apiKeys).toEqual({
      perOrganization: 5,
      roles: ['Viewer'],
      maxDays: 90,
    });
    const plain = normalizeConfig({ tenants });
    expect(plain.tenants?.membership?.apiKeys).toBeUndefined();
    expect(admissionPolicy(plain).registry?.membership?.apiKeys).toBeUndefined();
  });

  it('refuses every bad value with TENANTS_API_KEYS_INVALID naming the key', () => {
    const cases: [BackendConfig, readonly (string | number)[]][] = [
      ...[0, -1, 2.5, 101].map((n): [BackendConfig, string[]] => [
        { tenants: { ...tenants, apiKeys: { perOrganization: n } } },
        ['config', 'tenants', 'apiKeys', 'perOrganization'],
      ]),
      ...[0, 1.5, 3651].map((n): [BackendConfig, string[]] => [
        { tenants: { ...tenants, apiKeys: { maxDays: n } } },
        ['config', 'tenants', 'apiKeys', 'maxDays'],
      ]),
      ...[['Owner'], ['Nobody'], ['Member', 'Member'], []].map(
        (roles): [BackendConfig, string[]] => [
          { tenants: { ...tenants, apiKeys: { roles } } },
          ['config', 'tenants', 'apiKeys', 'roles'],
        ],
      ),
      [
        {
          auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
          tenants: { plans: { free: {} }, defaultPlan: 'free', apiKeys: {} },
        },
        ['config', 'tenants', 'apiKeys'],
      ],
    ];
    for (const [config, path] of cases) {
      const e = thrown(() => normalizeConfig(config));
      expect(e.code, JSON.stringify(config.tenants)).toBe('TENANTS_API_KEYS_INVALID');
      expect(e.path).toEqual(path);
      expect(e.resolution).toBeTruthy();
    }
  });
});
