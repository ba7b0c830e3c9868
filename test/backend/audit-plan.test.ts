/**
 * The audit log in the plan (DESIGN §2, "Audit log"): the shared `audit` container beside the registry on membership
 * backends only — partition `/tenant`, TTL on with no default (`default_ttl = -1`) so each entry's own `ttl` (its
 * plan's `auditRetentionDays`) applies —, granted to the Function App's identity, named in the runtime manifest, and
 * each plan's retention carried to the runtime; a retention Cosmos DB cannot hold is refused.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { MANIFEST_SETTING, type RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { synth } from '../support/synth.js';

const membership = (auditRetentionDays?: number) =>
  ({
    tenants: {
      by: 'membership',
      plans: {
        free: {},
        enterprise: auditRetentionDays !== undefined ? { auditRetentionDays } : {},
      },
      defaultPlan: 'free',
    },
  }) as BackendConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });

describe('the audit container', () => {
  it('is planned on membership backends with default_ttl -1, its data role for the Function App', () => {
    const json = synth(defineBackend({ notes: notes() }, membership(400)));
    const container = json.resource['azurerm_cosmosdb_sql_container']?.[
      'backend_cosmos_shared_db_atakora_c_audit'
    ] as Record<string, unknown> | undefined;
    expect(container).toMatchObject({
      name: 'audit',
      partition_key_paths: ['/tenant'],
      default_ttl: -1,
    });
    const grants = Object.values(json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {}) as {
      scope: string;
    }[];
    expect(grants.filter((g) => g.scope.endsWith('/dbs/atakora/colls/audit'))).toHaveLength(1);
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
    };
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.registry?.membership?.audit).toBe('audit');
    expect(manifest.auth?.registry?.plans).toEqual({
      free: {},
      enterprise: { auditRetentionDays: 400 },
    });
  });

  it('is not planned on a registry of directories', () => {
    const plan = defineBackend(
      { notes: notes() },
      {
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free' },
      },
    ).plan();
    const dbs = plan.resources.find((r) => r.key === 'cosmos:shared')?.config['databases'] as {
      name: string;
      containers: { name: string }[];
    }[];
    expect(dbs.find((d) => d.name === 'atakora')?.containers.map((c) => c.name)).not.toContain(
      'audit',
    );
  });

  it('refuses a retention Cosmos DB cannot hold as a ttl (more than 24,855 days) or none', () => {
    for (const days of [0, 24_856, 1.5]) {
      const issues = (() => {
        try {
          return defineBackend({ notes: notes() }, membership(days)).plan().issues;
        } catch (e) {
          return [{ severity: 'error', message: String(e) }];
        }
      })();
      expect(issues.some((i) => i.severity === 'error')).toBe(true);
    }
  });
});
