// `atakora logs` and `atakora usage` against a loopback stand-in of the Log Analytics query API
// (ATAKORA_LOGS_ENDPOINT), with the deployer's token given as ATAKORA_ARM_TOKEN: which workspace they ask, what
// they ask it, what they print, and the errors a user meets (no monitoring, no subscription, no role, not
// deployed, no sign-in).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logsCommand } from '../../src/cli/logs/command.js';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { startLogsStandIn, type LogsCall, type LogsStandIn } from '../support/logs-standin.js';

const entry = 'test/cli/fixtures/logs-backend.ts';
const SUBSCRIPTION = '5f1c2e3d-0000-4000-8000-000000000001';
const TENANT_A = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TENANT_B = 'b2c0ffee-0000-4000-8000-00000000000b';
const WORKSPACE_PATH = new RegExp(
  `^/v1/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-watched-prod/providers/Microsoft\\.OperationalInsights/workspaces/[a-z0-9-]+/query$`,
);

let logs: LogsStandIn;
const saved = { ...process.env };

beforeAll(async () => {
  logs = await startLogsStandIn();
});
afterAll(async () => {
  await logs.close();
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  logs.calls.length = 0;
  logs.answer(() => ({ rows: [] }));
});

function signedIn(extra: NodeJS.ProcessEnv = {}): void {
  Object.assign(process.env, {
    ATAKORA_LOGS_ENDPOINT: logs.base,
    ATAKORA_ARM_TOKEN: 'deployer-token',
    ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    NO_COLOR: '1',
    ...extra,
  });
}

function request(n: number, over: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    TimeGenerated: `2026-11-25T10:00:0${String(n)}.000Z`,
    Id: `req-${String(n)}`,
    OperationId: `4bf92f3577b34da6a3ce929d0e0e473${String(n)}`,
    Name: 'GET api/notes/{id}',
    ResultCode: '200',
    Success: true,
    DurationMs: 12.4,
    ItemCount: 4,
    Tenant: TENANT_A,
    Component: 'NoteApi',
    Operation: 'read',
    UserId: 'oid-ada',
    RequestCharge: 1.25,
    Ingested: `2026-11-25T10:03:0${String(n)}.000Z`,
    ...over,
  };
}

describe('atakora logs', () => {
  it("reads the environment's workspace with the deployer's token and prints each request, failures marked", async () => {
    signedIn();
    logs.answer(() => ({
      rows: [
        request(1),
        request(2, {
          Name: 'POST api/notes',
          ResultCode: '500',
          Success: false,
          Operation: 'create',
          Tenant: TENANT_B,
        }),
      ],
    }));
    const c = capturedIo();
    expect(await main(['logs', entry, '--since', '2h'], c.io)).toBe(0);
    const [call] = logs.calls as [LogsCall];
    expect(call.url).toMatch(WORKSPACE_PATH);
    expect(call.authorization).toBe('Bearer deployer-token');
    expect(call.timespan).toBe('PT2H');
    // The runtime's spans only (the host's own request rows carry no component), newest 1,000, oldest first.
    expect(call.query).toMatch(
      /^AppRequests\n\| where isnotempty\(tostring\(Properties\["atakora\.component"\]\)\)/,
    );
    expect(call.query).toContain('top 1000 by TimeGenerated desc');
    expect(call.query).toContain('order by TimeGenerated asc');
    expect(call.query).not.toContain('atakora.tenant"]) ==');
    const lines = c.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `2026-11-25T10:00:01.000Z  200  GET api/notes/{id}  12 ms  1.3 RU  tenant=${TENANT_A}  NoteApi read  ` +
        'user=oid-ada  op=4bf92f3577b34da6a3ce929d0e0e4731  ×4',
    );
    expect(lines[1]).toContain(`500  POST api/notes`);
    expect(c.err).toContain("2 request(s) in watched-prod's last 2h, 1 failed");
    expect(c.err).toContain('traces kept at 25%');
  });

  it('--tenant narrows the query to that tenant; --json prints one object a line', async () => {
    signedIn();
    logs.answer(() => ({ rows: [request(1), request(2)] }));
    const c = capturedIo();
    expect(await main(['logs', entry, '--tenant', TENANT_A, '--json'], c.io)).toBe(0);
    expect(logs.calls[0]?.query).toContain(
      `| where tostring(Properties["atakora.tenant"]) == "${TENANT_A}"`,
    );
    expect(logs.calls[0]?.timespan).toBe('PT1H');
    const parsed = c.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual({
      time: '2026-11-25T10:00:01.000Z',
      name: 'GET api/notes/{id}',
      status: '200',
      success: true,
      durationMs: 12.4,
      tenant: TENANT_A,
      component: 'NoteApi',
      operation: 'read',
      userId: 'oid-ada',
      requestCharge: 1.25,
      itemCount: 4,
      operationId: '4bf92f3577b34da6a3ce929d0e0e4731',
    });
  });

  it('refuses a tenant or a --since that could not stand in a query, before anything is asked', async () => {
    signedIn();
    for (const args of [
      ['--tenant', 'x" or 1==1 //'],
      ['--tenant', ''],
      ['--since', 'yesterday'],
      ['--since', '0h'],
      ['--since', '800d'],
    ]) {
      const c = capturedIo();
      expect(await main(['logs', entry, ...args], c.io)).toBe(2);
      expect(c.err).toMatch(/Usage error: --(tenant|since) takes/);
    }
    expect(logs.calls).toHaveLength(0);
  });

  it('--follow prints the requests ingested after the newest seen, each once, until stopped', async () => {
    signedIn({ ATAKORA_LOGS_POLL_MS: '10' });
    const stop = new AbortController();
    logs.answer((call) => {
      if (!call.query.includes('where ingestion_time() >'))
        return { rows: [request(1), request(2)] };
      if (logs.calls.length === 2) return { rows: [request(2), request(3)] };
      stop.abort();
      return { rows: [request(3), request(4)] };
    });
    const c = capturedIo();
    expect(await logsCommand([entry, '--follow', '--json'], { ...c.io, signal: stop.signal })).toBe(
      0,
    );
    const ids = c.out
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { operationId: string }).operationId.slice(-1));
    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(logs.calls[1]?.query).toContain(
      '| where ingestion_time() > datetime(2026-11-25T10:03:02.000Z)',
    );
    expect(logs.calls[2]?.query).toContain(
      '| where ingestion_time() > datetime(2026-11-25T10:03:03.000Z)',
    );
    expect(c.err).toContain("following watched-prod's requests");
  });

  it('a workspace that has received nothing yet (no AppRequests table) is no requests, not an error', async () => {
    signedIn();
    logs.answer(() => ({
      status: 400,
      body: {
        error: {
          code: 'BadArgumentError',
          message: 'The request had some invalid properties',
          innererror: {
            code: 'SemanticError',
            message: 'A semantic error occurred.',
            innererror: {
              code: 'SEM0100',
              message:
                "'where' operator: Failed to resolve table or column expression named 'AppRequests'",
            },
          },
        },
      },
    }));
    const c = capturedIo();
    expect(await main(['logs', entry], c.io)).toBe(0);
    expect(c.out).toBe('');
    expect(c.err).toContain("no requests in watched-prod's last 1h");
  });
});

describe('what the workspace holds is printed, never obeyed', () => {
  // Any caller's request writes the route, a tenant claim, a user id: a hostile one can carry ESC sequences (clear
  // the screen, an OSC 8 hyperlink, a window title), 8-bit C1 controls (U+009B is a CSI), BEL, CR, a newline that
  // forges a line, and a bidirectional override.
  const hostile = {
    Name: 'GET api/notes\u001b[2J\u001b[H',
    Tenant: 'evil\u001b]8;;https://attacker.example\u0007click\u001b]8;;\u0007',
    UserId: 'u\u009b31m\rforged\n2026-11-25T10:00:09.000Z  200  GET api/admin',
    Component: 'NoteApi\u202e',
    Operation: 'read\u0000\u007f',
  };
  // No character a terminal acts on (NO_COLOR is set, so the CLI adds none of its own).
  const controls =
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('atakora logs escapes C0, C1 and ESC sequences, one line per request', async () => {
    signedIn();
    logs.answer(() => ({ rows: [request(1, hostile)] }));
    const c = capturedIo();
    expect(await main(['logs', entry], c.io)).toBe(0);
    expect(c.out).not.toMatch(controls);
    expect(c.out.trimEnd().split('\n')).toHaveLength(1);
    expect(c.out).toContain('GET api/notes\\x1b[2J\\x1b[H');
    expect(c.out).toContain('tenant=evil\\x1b]8;;https://attacker.example\\x07click');
    expect(c.out).toContain('user=u\\x9b31m\\x0dforged\\x0a2026');
    expect(c.out).toContain('NoteApi\\u202e read\\x00\\x7f');
    const d = capturedIo();
    expect(await main(['logs', entry, '--json'], d.io)).toBe(0);
    expect(d.out).not.toMatch(controls);
  });

  it('atakora usage escapes them in its tables, and an error the service sends is escaped too', async () => {
    signedIn();
    logs.answer(() => ({
      rows: [
        {
          Tenant: hostile.Tenant,
          Component: hostile.Component,
          Requests: 1,
          Failures: 0,
          RequestUnits: 1,
        },
      ],
    }));
    const c = capturedIo();
    expect(await main(['usage', entry], c.io)).toBe(0);
    expect(c.out).not.toMatch(controls);
    expect(c.out).toContain('evil\\x1b]8;;');
    logs.answer(() => ({
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'busy\u001b]0;owned\u0007' } },
    }));
    const d = capturedIo();
    expect(await main(['usage', entry], d.io)).toBe(1);
    expect(d.err).toContain('HTTP 503 busy\\x1b]0;owned\\x07');
    expect(d.err.replace(/\n/g, '')).not.toMatch(controls);
  });
});

describe('atakora usage', () => {
  const summary = [
    {
      Tenant: TENANT_A,
      Component: 'NoteApi',
      Requests: 4000,
      Failures: 8,
      RequestUnits: 2_500_000,
    },
    { Tenant: TENANT_B, Component: 'NoteApi', Requests: 400, Failures: 0, RequestUnits: 150_000.5 },
    { Tenant: TENANT_A, Component: 'FileApi', Requests: 100, Failures: 4, RequestUnits: 500_000 },
  ];

  it('sums requests, failures, RU and the estimated Cosmos DB cost per tenant and per component', async () => {
    signedIn();
    logs.answer(() => ({ rows: summary }));
    const c = capturedIo();
    expect(await main(['usage', entry, '--json'], c.io)).toBe(0);
    const [call] = logs.calls as [LogsCall];
    expect(call.url).toMatch(WORKSPACE_PATH);
    expect(call.timespan).toBe('P30D');
    // Sampled rows scaled back: counts and RU are sums of ItemCount, never counts of rows.
    expect(call.query).toContain('Requests = sum(ItemCount)');
    expect(call.query).toContain('RequestUnits = sum(coalesce(RequestCharge, 0.0) * ItemCount)');
    expect(call.query).toContain('by Tenant, Component');
    const u = JSON.parse(c.out) as {
      tenants: {
        tenant: string;
        requests: number;
        failures: number;
        requestUnits: number;
        estimatedUsd: number;
      }[];
      components: { component: string; requests: number; requestUnits: number }[];
      total: { requests: number; failures: number; requestUnits: number; estimatedUsd: number };
      samplingPercentage: number;
      serverless: boolean;
      usdPerMillionRu: number;
      since: string;
    };
    expect(u.tenants).toEqual([
      {
        tenant: TENANT_A,
        requests: 4100,
        failures: 12,
        requestUnits: 3_000_000,
        estimatedUsd: 0.75,
      },
      {
        tenant: TENANT_B,
        requests: 400,
        failures: 0,
        requestUnits: 150_000.5,
        estimatedUsd: 0.0375,
      },
    ]);
    expect(u.components.map((x) => [x.component, x.requests, x.requestUnits])).toEqual([
      ['NoteApi', 4400, 2_650_000.5],
      ['FileApi', 100, 500_000],
    ]);
    expect(u.total).toEqual({
      requests: 4500,
      failures: 12,
      requestUnits: 3_150_000.5,
      estimatedUsd: 0.7875,
    });
    expect(u).toMatchObject({
      samplingPercentage: 25,
      serverless: true,
      usdPerMillionRu: 0.25,
      since: '30d',
    });
  });

  it('prints a table per tenant and per component, and says the figures are scaled back from sampling', async () => {
    signedIn();
    logs.answer(() => ({ rows: summary }));
    const c = capturedIo();
    expect(await main(['usage', entry, '--since', '7d'], c.io)).toBe(0);
    expect(logs.calls[0]?.timespan).toBe('P7D');
    expect(c.out).toContain(
      'watched-prod (prod): requests, RU and estimated Cosmos DB cost in the last 7d',
    );
    expect(c.out).toContain('traces kept at 25% (counts scaled back: estimates)');
    expect(c.out).toMatch(new RegExp(`${TENANT_A}\\s+4100\\s+12\\s+3000000\\s+0\\.7500`));
    expect(c.out).toMatch(/NoteApi\s+4400\s+8\s+2650000\.5\s+0\.6625/);
    expect(c.out).toContain('total: 4500 requests, 12 failed, 3150000.5 RU, ~$0.7875.');
  });
});

describe('atakora usage without a tenant registry', () => {
  it('says it read the sampled telemetry; --tenant keeps one tenant, --csv a row per tenant', async () => {
    signedIn();
    logs.answer(() => ({
      rows: [
        {
          Tenant: TENANT_A,
          Component: 'NoteApi',
          Requests: 40,
          Failures: 1,
          RequestUnits: 4_000_000,
        },
        { Tenant: TENANT_B, Component: 'NoteApi', Requests: 8, Failures: 0, RequestUnits: 10 },
        { Tenant: '=cmd', Component: 'NoteApi', Requests: 1, Failures: 0, RequestUnits: 1 },
      ],
    }));
    const c = capturedIo();
    expect(await main(['usage', entry], c.io)).toBe(0);
    expect(c.out).toContain(
      'source: sampled traces in Log Analytics (this backend has no tenant registry',
    );
    expect(c.err).toContain('no tenant registry, so no usage ledger');
    const d = capturedIo();
    expect(await main(['usage', entry, '--json', '--tenant', TENANT_B], d.io)).toBe(0);
    const u = JSON.parse(d.out) as {
      source: string;
      tenants: { tenant: string; requests: number }[];
    };
    expect(u.source).toBe('telemetry');
    expect(u.tenants.map((t) => [t.tenant, t.requests])).toEqual([[TENANT_B, 8]]);
    const e = capturedIo();
    expect(await main(['usage', entry, '--csv'], e.io)).toBe(0);
    expect(e.out.split('\r\n')).toEqual([
      'tenant,requests,failures,request_units,usd_request_units',
      `${TENANT_A},40,1,4000000,1`,
      `${TENANT_B},8,0,10,0`,
      "'=cmd,1,0,1,0",
      '',
    ]);
  });
});

describe('what a user meets when it cannot work', () => {
  it('LOGS_ACCESS_DENIED names the role to ask for and the scope', async () => {
    signedIn();
    logs.answer(() => ({
      status: 403,
      body: {
        error: {
          code: 'InsufficientAccessError',
          message: 'The provided credentials have insufficient access.',
        },
      },
    }));
    for (const command of ['logs', 'usage']) {
      const c = capturedIo();
      expect(await main([command, entry], c.io)).toBe(1);
      expect(c.err).toContain('LOGS_ACCESS_DENIED');
      expect(c.err).toContain('insufficient access');
      expect(c.err).toContain('Log Analytics Reader');
      expect(c.err).toMatch(
        /--scope \/subscriptions\/5f1c2e3d-0000-4000-8000-000000000001\/resourceGroups\/rg-watched-prod\//,
      );
    }
  });

  it('LOGS_WORKSPACE_NOT_FOUND when the environment is not deployed; LOGS_QUERY_FAILED on anything else', async () => {
    signedIn();
    logs.answer(() => ({
      status: 404,
      body: { error: { code: 'ResourceNotFound', message: 'not found' } },
    }));
    const c = capturedIo();
    expect(await main(['logs', entry, '--resource-group', 'rg-elsewhere'], c.io)).toBe(1);
    expect(c.err).toContain('LOGS_WORKSPACE_NOT_FOUND');
    expect(c.err).toContain('in rg-elsewhere');
    expect(logs.calls[0]?.url).toContain('/resourceGroups/rg-elsewhere/');
    logs.answer(() => ({
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'busy' } },
    }));
    const d = capturedIo();
    expect(await main(['usage', entry], d.io)).toBe(1);
    expect(d.err).toContain('LOGS_QUERY_FAILED');
    expect(d.err).toContain('HTTP 503 busy');
  });

  it('LOGS_MONITORING_OFF for a backend without monitoring, LOGS_SUBSCRIPTION_MISSING without a subscription — nothing asked', async () => {
    signedIn();
    const c = capturedIo();
    expect(await main(['logs', 'test/cli/fixtures/seed-backend.ts'], c.io)).toBe(1);
    expect(c.err).toContain('LOGS_MONITORING_OFF');
    signedIn({ ARM_SUBSCRIPTION_ID: '' });
    const d = capturedIo();
    expect(await main(['usage', entry], d.io)).toBe(1);
    expect(d.err).toContain('LOGS_SUBSCRIPTION_MISSING');
    expect(logs.calls).toHaveLength(0);
  });

  it('LOGS_SIGN_IN_FAILED without credentials, saying how to sign in', async () => {
    signedIn({ AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', PATH: '/nonexistent' });
    delete process.env['ATAKORA_ARM_TOKEN'];
    for (const k of [
      'ARM_CLIENT_ID',
      'ARM_CLIENT_SECRET',
      'ARM_TENANT_ID',
      'ARM_USE_OIDC',
      'AZURE_CLIENT_ID',
    ])
      delete process.env[k];
    const c = capturedIo();
    expect(await main(['logs', entry], c.io)).toBe(1);
    expect(c.err).toContain('LOGS_SIGN_IN_FAILED');
    expect(c.err).toContain('az login');
    expect(logs.calls).toHaveLength(0);
  });
});
