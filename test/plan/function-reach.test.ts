import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { ResourcePlan } from '../../src/model/plan.js';

// `data: [...]` on an HTTP function (dataOf as the caller) and the backend's MCP switches, as the planner sees
// them (src/plan/phases/data-grants.ts, src/plan/checks/function-reach.ts).

const tickets = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: { id: 'string', title: 'string' },
    partitionKey: '/tenantId',
    ...extra,
  });
const catalog = CrudApi.define('CatalogApi', {
  entityName: 'Product',
  schema: { id: 'string', name: 'string' },
  operations: ['read', 'list'],
});
const reports = (fn: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  FunctionsApp.define('Reports', {
    runtime: 'node',
    ...extra,
    functions: {
      'ticket-stats': {
        trigger: 'http',
        route: 'reports/tickets',
        methods: ['GET'],
        handler: './src/stats.ts',
        ...fn,
      },
    },
  });
const codes = (plan: ResourcePlan) => plan.issues.map((i) => i.code);
const accessOf = (plan: ResourcePlan, container: string) =>
  (
    plan.resources.find((r) => r.type === 'cosmos')?.config.databases as {
      containers: { name: string; access: Record<string, string> }[];
    }[]
  )
    .flatMap((d) => d.containers)
    .find((c) => c.name === container)?.access;
const grants = (plan: ResourcePlan) =>
  plan.resources
    .flatMap((r) => r.deploys)
    .filter((d) => d.terraformType === 'azurerm_cosmosdb_sql_role_assignment')
    .map((d) => d.name)
    .sort();

describe('data: [...] on an HTTP function', () => {
  it("grants the FunctionsApp the CrudApi's own data role on its container, and nothing else", () => {
    const plan = defineBackend({
      tickets: tickets(),
      catalog,
      reports: reports({ data: ['TicketApi', 'CatalogApi'] }),
    }).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(accessOf(plan, 'ticket')).toEqual({ Reports: 'readwrite', TicketApi: 'readwrite' });
    // A read-only CrudApi's container: Reader for it, Reader for the function.
    expect(accessOf(plan, 'product')).toEqual({ CatalogApi: 'read', Reports: 'read' });
    expect(grants(plan).filter((g) => g.endsWith('_ra_Reports'))).toHaveLength(2);
  });

  it('grants nothing without data (the FunctionsApp reaches no container)', () => {
    const plan = defineBackend({ tickets: tickets(), reports: reports({}) }).plan();
    expect(accessOf(plan, 'ticket')).toEqual({ TicketApi: 'readwrite' });
    expect(grants(plan).some((g) => g.endsWith('_ra_Reports'))).toBe(false);
  });

  it('is plan error FUNCTIONS_DATA_UNKNOWN for an id that is no CrudApi of the backend', () => {
    const plan = defineBackend({
      tickets: tickets(),
      reports: reports({ data: ['OrderApi'] }),
    }).plan();
    const issue = plan.issues.find((i) => i.code === 'FUNCTIONS_DATA_UNKNOWN');
    expect(issue?.severity).toBe('error');
    expect(issue?.path).toEqual([
      'components',
      'reports',
      'config',
      'functions',
      'ticket-stats',
      'data',
    ]);
    expect(issue?.message).toContain('"OrderApi"');
    expect(issue?.resolution).toBe(
      'Name a CrudApi of this backend by its component id. Its CrudApis: TicketApi.',
    );
    const typo = defineBackend({ tickets: tickets(), reports: reports({ data: ['TiketApi'] }) })
      .plan()
      .issues.find((i) => i.code === 'FUNCTIONS_DATA_UNKNOWN');
    expect(typo?.resolution).toBe("Did you mean 'TicketApi'? Its CrudApis: TicketApi.");
    // The component's key is no id: the resolution says which id it is.
    const byKey = defineBackend({ tickets: tickets(), reports: reports({ data: ['tickets'] }) })
      .plan()
      .issues.find((i) => i.code === 'FUNCTIONS_DATA_UNKNOWN');
    expect(byKey?.resolution).toContain(
      '"tickets" is the key of CrudApi TicketApi: data takes component ids. Write \'TicketApi\'.',
    );
    // Nothing granted for it.
    expect(grants(plan).some((g) => g.endsWith('_ra_Reports'))).toBe(false);
  });

  it('is plan error FUNCTIONS_DATA_APART when the function runs in another Function App', () => {
    const plan = defineBackend({
      tickets: tickets(),
      reports: reports({ data: ['TicketApi'] }, { version: '20' }),
    }).plan();
    expect(codes(plan)).toContain('FUNCTIONS_DATA_APART');
  });

  it('is refused at define time on a queue or timer function: no caller', () => {
    const define = () =>
      FunctionsApp.define('Jobs', {
        runtime: 'node',
        functions: {
          nightly: {
            trigger: 'timer',
            schedule: '0 0 3 * * *',
            handler: './j.ts',
            data: ['TicketApi'],
          },
        },
      });
    expect(define).toThrow(AtakoraError);
    expect(define).toThrow(/no caller/);
    try {
      define();
    } catch (e) {
      expect((e as AtakoraError).code).toBe('FUNCTIONS_DATA_NOT_HTTP');
    }
  });

  it('refuses a malformed list and a prebuilt package', () => {
    for (const data of ['TicketApi', ['TicketApi', 'TicketApi'], [42]])
      expect(() => reports({ data })).toThrow(/FUNCTIONS_DATA_INVALID|data of/);
    expect(() =>
      FunctionsApp.define('Py', {
        runtime: 'python',
        codePath: './py',
        functions: { f: { trigger: 'http', data: ['TicketApi'] } },
      }),
    ).toThrow(/runs its Node handler/);
  });
});

describe('the MCP switches', () => {
  it('writes the server into the runtime manifest (writes) and makes the described function a tool', async () => {
    const plan = defineBackend(
      {
        tickets: tickets({ mcp: 'readwrite' }),
        reports: reports({ mcp: { description: 'Ticket counts of your organization.' } }),
      },
      { mcp: { writes: true } },
    ).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const app = plan.resources.find((r) => r.type === 'functions');
    const { runtimeManifestOf } = await import('../../src/resources/functions/runtime-manifest.js');
    const manifest = runtimeManifestOf(app?.config as never, {
      backendId: 'b',
      environment: 'dev',
      auth: { required: true, tenantClaim: 'tid', trustTenantHeader: false },
      identities: false,
      mcp: { writes: true },
    });
    expect(manifest.mcp).toEqual({ writes: true });
    const { mcpFunctionOf } = await import('../../src/kit/pure/http-functions.js');
    const hosted = (app?.config.hostedFunctions ?? []) as never[];
    expect(hosted.map(mcpFunctionOf)).toEqual([
      {
        componentId: 'Reports',
        name: 'Reports-ticket-stats',
        function: 'ticket-stats',
        route: 'reports/tickets',
        methods: ['GET'],
        description: 'Ticket counts of your organization.',
      },
    ]);
    expect(manifest.entities[0]?.mcp).toBe('readwrite');
  });

  it('warns when a CrudApi asks for writes the backend does not serve, or mcp while it is off', () => {
    const on = defineBackend({ tickets: tickets({ mcp: 'readwrite' }) }, { mcp: true }).plan();
    expect(codes(on)).toContain('MCP_WRITES_OFF');
    const off = defineBackend({ tickets: tickets({ mcp: 'read' }) }).plan();
    expect(codes(off)).toContain('MCP_OFF');
    const quiet = defineBackend({ tickets: tickets({ mcp: false }) }).plan();
    expect(codes(quiet)).not.toContain('MCP_OFF');
  });

  it('is MCP_TOOL_CONFLICT when two tools would share a name', () => {
    const plan = defineBackend(
      {
        tickets: tickets(),
        reports: FunctionsApp.define('Reports', {
          runtime: 'node',
          functions: {
            'ticket-list': {
              trigger: 'http',
              handler: './src/x.ts',
              mcp: { description: 'A list of my own.' },
            },
          },
        }),
      },
      { mcp: true },
    ).plan();
    const issue = plan.issues.find((i) => i.code === 'MCP_TOOL_CONFLICT');
    expect(issue?.message).toContain('"ticket_list"');
  });

  it('refuses a CrudApi mcp that is not false, read or readwrite, and mcp on a queue function', () => {
    expect(() => tickets({ mcp: 'write' })).toThrow(/mcp must be false, 'read' or 'readwrite'/);
    expect(() => tickets({ mcp: true })).toThrow(AtakoraError);
    expect(() =>
      FunctionsApp.define('Jobs', {
        runtime: 'node',
        functions: {
          q: { trigger: 'queue', queueName: 'jobs', handler: './q.ts', mcp: { description: 'x' } },
        },
      }),
    ).toThrow(/mcp belongs to http triggers/);
    expect(() => reports({ mcp: { description: '' } })).toThrow(/FUNCTIONS_MCP_INVALID|mcp of/);
  });

  it("warns that an MCP server of an API with auth: 'none' serves everyone", () => {
    const plan = defineBackend({ tickets: tickets() }, { mcp: true, auth: 'none' }).plan();
    expect(codes(plan)).toContain('MCP_AUTH_NONE');
  });
});
