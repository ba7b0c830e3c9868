import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { MANIFEST_SETTING, type RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { expectHonest, synth } from '../support/synth.js';
import { renderPlanMarkdown } from '../../src/plan/render/markdown.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { renderPlanHtml } from '../../src/plan/render/html.js';
import { codeOf, thrown } from '../support/errors.js';

const notes = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    realtime: true,
    ...extra,
  });
const tasks = () =>
  CrudApi.define('TaskApi', { entityName: 'Task', schema: { id: 'string' }, realtime: true });
const plain = () => CrudApi.define('TagApi', { entityName: 'Tag', schema: { id: 'string' } });

const wps = (plan: ResourcePlan) => plan.resources.find((r) => r.type === 'webpubsub');
const issues = (plan: ResourcePlan, severity: 'error' | 'warning') =>
  plan.issues.filter((i) => i.severity === severity).map((i) => i.code);
const planOf = (config: BackendConfig, components = { notes: notes() }) =>
  defineBackend(components, { naming: { uniqueSeed: 'sub/rg' }, ...config }).plan();

describe('realtime: the backend’s Web PubSub in the plan', () => {
  it('is planned only for realtime CrudApis: one service and hub per backend, every publisher granted', () => {
    expect(wps(planOf({}, { notes: plain() } as never))).toBeUndefined();
    const plan = planOf({ environment: 'prod' }, {
      notes: notes(),
      tasks: tasks(),
      labels: plain(),
    } as never);
    const r = wps(plan)!;
    expect(r.key).toBe('webpubsub:shared');
    expect(r.name).toMatch(/^wps-backend-prod-[a-z0-9]{6}$/);
    expect(r.consumers).toEqual(['NoteApi', 'TaskApi']);
    expect(r.config).toMatchObject({
      sku: 'Standard_S1',
      units: 1,
      hub: 'atakora',
      publishers: ['NoteApi', 'TaskApi'],
      endpoint: `https://${r.name}.webpubsub.azure.com`,
      maxConnections: 1000,
      includedMessagesPerDay: 1_000_000,
      pricePerMillionMessages: 1,
      privateServerAccess: false,
    });
    expect(r.deploys.map((d) => `${d.terraformType}.${d.name}`).sort()).toEqual([
      'azurerm_role_assignment.backend_webpubsub_shared_ra_NoteApi',
      'azurerm_role_assignment.backend_webpubsub_shared_ra_TaskApi',
      'azurerm_web_pubsub.backend_webpubsub_shared',
      'azurerm_web_pubsub_hub.backend_webpubsub_shared_hub',
    ]);
    expect(issues(plan, 'error')).toEqual([]);
  });

  it('defaults to Standard_S1 × 1 in prod and Free_F1 elsewhere, priced per unit-day', () => {
    expect(wps(planOf({ environment: 'prod' }))!.estimatedMonthlyUsd).toBe(48.97);
    const dev = wps(planOf({ environment: 'dev' }))!;
    expect(dev.config).toMatchObject({ sku: 'Free_F1', units: 1, maxConnections: 20 });
    expect(dev.config['includedMessagesPerDay']).toBe(20_000);
    expect(dev.estimatedMonthlyUsd).toBe(0);
    const big = wps(planOf({ realtime: { sku: 'Standard_S1', units: 20 } }))!;
    expect(big.config).toMatchObject({ units: 20, maxConnections: 20_000 });
    expect(big.estimatedMonthlyUsd).toBe(979.42);
    expect(wps(planOf({ realtime: { sku: 'Premium_P1', units: 2 } }))!.estimatedMonthlyUsd).toBe(
      121.67,
    );
  });

  it('warns where Free_F1 will not do: prod, or users of many directories', () => {
    const prod = planOf({ environment: 'prod', realtime: { sku: 'Free_F1' } });
    expect(issues(prod, 'warning')).toContain('REALTIME_FREE_TIER');
    const w = prod.issues.find((i) => i.code === 'REALTIME_FREE_TIER')!;
    expect(w.message).toMatch(/20 concurrent connections/);
    expect(w.message).toMatch(/20,000 messages a day/);
    const saas = planOf({
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
    });
    expect(issues(saas, 'warning')).toContain('REALTIME_FREE_TIER');
    expect(issues(planOf({ environment: 'dev' }), 'warning')).not.toContain('REALTIME_FREE_TIER');
  });

  it('the plan text and Markdown say what the tier holds and what messages cost', () => {
    const std = renderPlanText(planOf({ environment: 'prod', realtime: { units: 2 } }));
    expect(std).toMatch(
      /realtime wps-backend-prod-\w+: Standard_S1 × 2, up to 2,000 connections and 2,000,000 messages a day included, then \$1 per million/,
    );
    expect(renderPlanMarkdown(planOf({}))).toMatch(
      /realtime `wps-backend-dev-\w+`: Free_F1 × 1, up to 20 connections/,
    );
  });

  it('refuses more than one Free unit, and units or tiers Azure does not offer', () => {
    expect(issues(planOf({ realtime: { sku: 'Free_F1', units: 2 } }), 'error')).toEqual([
      'REALTIME_INVALID',
    ]);
    expect(thrown(() => planOf({ realtime: { units: 11 } })).code).toBe('CONFIG_INVALID');
    expect(thrown(() => planOf({ realtime: { sku: 'Basic' as never } })).code).toBe(
      'CONFIG_INVALID',
    );
    expect(thrown(() => planOf({ realtime: { tier: 'x' } as never })).code).toBe(
      'CONFIG_UNKNOWN_KEY',
    );
  });

  it('checks realtime on the CrudApi: a boolean, on an API someone can read', () => {
    expect(thrown(() => notes({ realtime: 'yes' })).code).toBe('CONFIG_INVALID');
    expect(thrown(() => notes({ operations: ['create'] }))?.message).toMatch(
      /realtime needs an operation that reads/,
    );
  });

  it('isolated: raises Free to Standard_S1 for its private endpoint, keeps the REST API private', () => {
    const plan = planOf({
      networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
    });
    expect(issues(plan, 'warning')).toContain('REALTIME_TIER_RAISED');
    const r = wps(plan)!;
    expect(r.config).toMatchObject({ sku: 'Standard_S1', privateServerAccess: true });
    expect(r.deploys.map((d) => d.terraformType)).toContain('azurerm_web_pubsub_network_acl');
    const net = plan.resources.find((x) => x.type === 'network')!;
    expect(
      (
        net.config['privateEndpoints'] as { target: string; subresource: string; zone: string }[]
      ).find((p) => p.target === 'webpubsub:shared'),
    ).toEqual(
      expect.objectContaining({
        subresource: 'webpubsub',
        zone: 'privatelink.webpubsub.azure.com',
      }),
    );
  });
});

describe('realtime: what apply synthesizes', () => {
  it('an Entra-only service, its hub, the owner role per realtime CrudApi, and the runtime’s settings', () => {
    const backend = defineBackend(
      { notes: notes(), tasks: tasks(), labels: plain() },
      { environment: 'prod', realtime: { units: 2 }, monitoring: true },
    );
    const json = synth(backend);
    expectHonest(backend.plan(), json);
    const service = Object.values(json.resource['azurerm_web_pubsub']!)[0]!;
    expect(service).toMatchObject({
      sku: 'Standard_S1',
      capacity: 2,
      local_auth_enabled: false,
      aad_auth_enabled: true,
      public_network_access_enabled: true,
    });
    expect(Object.values(json.resource['azurerm_web_pubsub_hub']!)[0]).toMatchObject({
      name: 'atakora',
      anonymous_connections_enabled: false,
    });
    const roles = json.resource['azurerm_role_assignment']!;
    for (const id of ['NoteApi', 'TaskApi']) {
      expect(roles[`backend_webpubsub_shared_ra_${id}`]).toMatchObject({
        role_definition_name: 'Web PubSub Service Owner',
        principal_id: `\${azurerm_user_assigned_identity.backend_identity_${id}.principal_id}`,
        scope: '${azurerm_web_pubsub.backend_webpubsub_shared.id}',
      });
    }
    expect(roles['backend_webpubsub_shared_ra_TagApi']).toBeUndefined();
    expect(
      json.resource['azurerm_monitor_diagnostic_setting']![
        'backend_monitoring_shared_diag_webpubsub_shared'
      ],
    ).toMatchObject({ enabled_log: [{ category_group: 'allLogs' }] });
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0] as {
      app_settings: Record<string, string>;
      depends_on: string[];
    };
    expect(app.app_settings['NOTE_API_REALTIME_ENDPOINT']).toMatch(
      /^https:\/\/wps-backend-prod-[a-z0-9]{6}\.webpubsub\.azure\.com$/,
    );
    expect(app.app_settings['TAG_API_REALTIME_ENDPOINT']).toBeUndefined();
    expect(app.depends_on).toContain('azurerm_role_assignment.backend_webpubsub_shared_ra_NoteApi');
    const manifest = JSON.parse(app.app_settings[MANIFEST_SETTING]!) as RuntimeManifest;
    expect(manifest.realtime).toEqual({ hub: 'atakora' });
    const entity = manifest.entities.find((e) => e.componentId === 'NoteApi')!;
    expect(entity.realtime).toBe(true);
    expect(entity.settings.realtimeEndpoint).toBe('NOTE_API_REALTIME_ENDPOINT');
    expect(manifest.entities.find((e) => e.componentId === 'TagApi')!.realtime).toBeUndefined();
  });

  it('isolated: the network ACL denies the REST API from the internet, comes after the endpoint and lists it', () => {
    const backend = defineBackend(
      { notes: notes() },
      {
        environment: 'prod',
        networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
      },
    );
    const json = synth(backend);
    expectHonest(backend.plan(), json);
    expect(Object.values(json.resource['azurerm_web_pubsub_network_acl']!)[0]).toMatchObject({
      default_action: 'Allow',
      public_network: { denied_request_types: ['RESTAPI', 'ServerConnection', 'Trace'] },
    });
    const pe = json.resource['azurerm_private_endpoint']![
      'backend_network_shared_pe_webpubsub_shared_webpubsub'
    ] as { depends_on: string[]; private_service_connection: { subresource_names: string[] } };
    expect(pe.private_service_connection.subresource_names).toEqual(['webpubsub']);
    // The provider's example (website/docs/r/web_pubsub_network_acl.html.markdown at v4.55.0): the ACL lists the
    // endpoint in `private_endpoint` and depends on it; the endpoint waits only for the hub.
    const acl = json.resource['azurerm_web_pubsub_network_acl']![
      'backend_webpubsub_shared_acl'
    ] as {
      depends_on: string[];
      private_endpoint: { id: string }[];
    };
    const peAddress =
      'azurerm_private_endpoint.backend_network_shared_pe_webpubsub_shared_webpubsub';
    expect(acl.depends_on).toContain(peAddress);
    expect(acl.private_endpoint).toEqual([{ id: `\${${peAddress}.id}` }]);
    expect(pe.depends_on).not.toContain(
      'azurerm_web_pubsub_network_acl.backend_webpubsub_shared_acl',
    );
    expect(pe.depends_on).toContain('azurerm_web_pubsub_hub.backend_webpubsub_shared_hub');
  });
});

describe('realtime: the hub posts connection events where the runtime counts them', () => {
  const saas = (extra: BackendConfig = {}): BackendConfig => ({
    environment: 'prod',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: {
      plans: { free: { realtimeConnections: 5 } },
      defaultPlan: 'free',
      perUser: { realtimeConnections: 2 },
    },
    ...extra,
  });
  type Hub = {
    event_handler?: {
      url_template: string;
      system_events: string[];
      user_event_pattern?: string;
      auth: { managed_identity_id: string };
    }[];
  };
  const settingsOf = (json: ReturnType<typeof synth>) =>
    Object.values(json.resource['azurerm_function_app_flex_consumption']!).map(
      (a) => (a as { name: string; app_settings: Record<string, string> }).app_settings,
    );

  it('a registry backend: the service’s own identity, the event handler, and the app setting naming it', () => {
    const backend = defineBackend(
      { notes: notes(), tasks: tasks() },
      { naming: { uniqueSeed: 'sub/rg' }, ...saas() },
    );
    const plan = backend.plan();
    const json = synth(backend);
    expectHonest(plan, json);
    expect(wps(plan)!.config).toMatchObject({ connectionEvents: true });
    const service = Object.values(json.resource['azurerm_web_pubsub']!)[0] as Record<
      string,
      unknown
    >;
    expect(service['identity']).toEqual({ type: 'SystemAssigned' });
    const app = plan.resources.find(
      (r) => r.key === plan.components.find((c) => c.id === 'NoteApi')!.resources['functions'],
    )!;
    const hub = Object.values(json.resource['azurerm_web_pubsub_hub']!)[0] as Hub;
    expect(hub.event_handler).toEqual([
      {
        url_template: `https://${app.name}.azurewebsites.net/api/realtime/events`,
        system_events: ['connected', 'disconnected'],
        // The token's audience is the API registration's client id, which App Service always accepts.
        auth: { managed_identity_id: '${azuread_application.backend_entra_api.client_id}' },
      },
    ]);
    // The URL is built from the planned name, so the hub waits for no Function App (no cycle through the app).
    expect(JSON.stringify(hub)).not.toContain('azurerm_function_app');
    const [settings] = settingsOf(json);
    expect(settings!['ATAKORA_REALTIME_SERVICE_PRINCIPAL']).toBe(
      '${azurerm_web_pubsub.backend_webpubsub_shared.identity[0].principal_id}',
    );
    // App Service authentication still guards the route: only the health probe is let through.
    const auth = (
      Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0] as {
        auth_settings_v2: { excluded_paths: string[]; active_directory_v2: { client_id: string } };
      }
    ).auth_settings_v2;
    expect(auth.excluded_paths).toEqual(['/api/health']);
    expect(auth.active_directory_v2.client_id).toBe(
      hub.event_handler![0]!.auth.managed_identity_id,
    );
    const line = `realtime connection events (connected, disconnected) → https://${app.name}.azurewebsites.net/api/realtime/events`;
    expect(renderPlanText(plan)).toContain(line);
    expect(renderPlanMarkdown(plan)).toContain(line);
    expect(renderPlanHtml(plan)).toContain(`<p class="realtime-events">${line}`);
  });

  it('an existing registration’s client id is the audience', () => {
    const clientId = '6f2d1e4a-1b2c-4d3e-8f90-123456789abc';
    const backend = defineBackend(
      { notes: notes() },
      saas({
        auth: {
          signInAudience: 'AzureADMultipleOrgs',
          allowedTenants: 'registry',
          clientId,
        },
      }),
    );
    const hub = Object.values(synth(backend).resource['azurerm_web_pubsub_hub']!)[0] as Hub;
    expect(hub.event_handler![0]!.auth).toEqual({ managed_identity_id: clientId });
  });

  it("no registry: the hub still posts its events, where each instance bounds a token's sockets", () => {
    // One negotiated token opened 60 of 60 sockets on a backend without a
    // registry; the runtime bounds them per instance (realtime/instance-ledger.ts) once the hub tells it of them.
    const plain = defineBackend({ notes: notes() }, { environment: 'prod' });
    const json = synth(plain);
    expect(
      (Object.values(json.resource['azurerm_web_pubsub']!)[0] as Record<string, unknown>)[
        'identity'
      ],
    ).toEqual({ type: 'SystemAssigned' });
    const handler = (Object.values(json.resource['azurerm_web_pubsub_hub']!)[0] as Hub)
      .event_handler![0]!;
    expect(handler.url_template).toMatch(
      /^https:\/\/[^/]+\.azurewebsites\.net\/api\/realtime\/events$/,
    );
    expect(settingsOf(json)[0]!['ATAKORA_REALTIME_SERVICE_PRINCIPAL']).toBeDefined();
    expect(wps(plain.plan())!.config).toMatchObject({ connectionEvents: true });
  });

  it('isolated networking: no handler, and the plan says why', () => {
    const isolated = defineBackend(
      { notes: notes() },
      saas({
        networking: {
          mode: 'isolated',
          privateEndpoints: true,
          deployerAddresses: ['203.0.113.10'],
        },
      }),
    );
    const iso = synth(isolated);
    expect(
      (Object.values(iso.resource['azurerm_web_pubsub_hub']!)[0] as Hub).event_handler,
    ).toBeUndefined();
    expect(wps(isolated.plan())!.config).toMatchObject({
      connectionEvents: false,
      connectionEventsOff: expect.stringContaining('isolated networking') as string,
    });
    expect(renderPlanText(isolated.plan())).toContain(
      'realtime connection bounds not enforced: isolated networking',
    );
  });
});
