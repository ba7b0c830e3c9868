import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { OutputContext } from '../../src/model/component.js';
import type { JsonValue } from '../../src/model/plan.js';

// The plan lists each component's outputs in code-unit order of their keys. The planner sorts a copy when a
// component's outputs() returns them in another order (one entries array, a sort and an object per
// component: ~100 ms a plan at 10,000 CrudApis) and keeps them as they are when they already are in order.
// So the built-in components write their keys in that order; this pins it for each of them, with and without
// the optional keys (auth, a site's custom domain and build settings).

const definitions = {
  userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
  readOnlyApi: CrudApi.define('ReadOnlyApi', {
    entityName: 'Report',
    schema: { id: 'string' },
    operations: ['read', 'list'],
    throughput: 400,
  }),
  worker: FunctionsApp.define('Worker', {
    runtime: 'node',
    functions: {
      work: { trigger: 'queue', queueName: 'jobs' },
      hello: { trigger: 'http', route: 'hello' },
    },
  }),
  site: StaticSite.define('Site', { enableSpaMode: true }),
  fullSite: StaticSite.define('FullSite', {
    customDomain: 'www.example.com',
    sourceDirectory: './web',
    buildCommand: 'npm run build',
  }),
} as const;

const configs: Record<string, BackendConfig> = {
  'auth on (registrations created)': { environment: 'prod', location: 'eastus' },
  'auth with an existing clientId': {
    environment: 'prod',
    location: 'eastus',
    auth: { clientId: '11111111-2222-3333-4444-555555555555' },
  },
  "auth: 'none'": { environment: 'prod', location: 'eastus', auth: 'none' },
};

const inOrder = (keys: readonly string[]) => keys.every((k, i) => i === 0 || keys[i - 1]! < k);

describe('built-in components write their outputs in code-unit key order', () => {
  for (const [name, input] of Object.entries(configs)) {
    it(name, () => {
      const plan = defineBackend(definitions, input).plan();
      const config = normalizeConfig(input);
      let auth = 0;
      for (const [key, d] of Object.entries(definitions)) {
        const planned = plan.components.find((c) => c.key === key)!;
        const ctx: OutputContext = {
          componentId: d.componentId,
          componentKey: key,
          config,
          resource: (type) => plan.resources.find((r) => r.key === planned.resources[type]),
          resourcesOfType: (type) => plan.resources.filter((r) => r.type === type),
        };
        const outputs = (d.outputs as (ctx: OutputContext) => Readonly<Record<string, JsonValue>>)(
          ctx,
        );
        expect(Object.keys(outputs), `${d.componentId} outputs`).toSatisfy(inOrder);
        // Same values as the plan's, in the plan's order.
        expect(JSON.stringify(outputs)).toBe(JSON.stringify(planned.outputs));
        if ('auth' in outputs) auth++;
      }
      // The optional auth key is exercised where the config gives one.
      expect(auth > 0).toBe(input.auth !== 'none');
    });
  }
});
