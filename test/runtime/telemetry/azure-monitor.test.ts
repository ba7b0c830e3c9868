/**
 * The Azure export as the deployed app starts it (`startTelemetry` with `ATAKORA_TRACES` and the connection string
 * apply writes): Application Insights' ingestion, stood in for on loopback over HTTPS, gets the spans as request and
 * dependency telemetry, authenticated with an Entra ID token (local auth is off on the component), sampled at the
 * configured percentage with the sample rate on every item (so counts scale back); a malformed setting leaves the
 * app up without tracing.
 */
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzureMonitor } from '../../../src/runtime/telemetry/azure-monitor.js';
import {
  parseTraceSettings,
  startTelemetry,
} from '../../../src/runtime/telemetry/start-telemetry.js';
import {
  startTelemetryReceiver,
  type TelemetryReceiver,
} from '../../support/telemetry-receiver.js';
import { testCertificate } from '../../support/test-certificate.js';

let ingestion: TelemetryReceiver;
let cert: string;
const statsbeat = process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'];

beforeAll(async () => {
  process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = 'true';
  const certificate = testCertificate();
  cert = certificate.cert;
  ingestion = await startTelemetryReceiver(certificate);
});
afterAll(async () => {
  await ingestion?.stop();
  if (statsbeat === undefined) delete process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'];
  else process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = statsbeat;
});
afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
  ingestion.received.length = 0;
});

interface Envelope {
  name: string;
  sampleRate: number;
  tags: Record<string, string>;
  data: {
    baseType: string;
    baseData: Record<string, unknown> & { properties?: Record<string, string> };
  };
}
// Request telemetry only: the exporter also sends a metric item carrying the resource's attributes.
const envelopes = () =>
  ingestion.received
    .filter((r) => r.path.startsWith('/v2.1/track'))
    .flatMap((r) => JSON.parse(r.body.toString('utf8')) as Envelope[])
    .filter((e) => e.data.baseType === 'RequestData');
const connectionString = () =>
  `InstrumentationKey=00000000-0000-0000-0000-000000000002;IngestionEndpoint=${ingestion.url}/`;
const credential = {
  getToken: vi.fn(() =>
    Promise.resolve({ token: 'aad-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
  ),
};

function start(samplingPercentage: number) {
  const started = startAzureMonitor({
    connectionString: connectionString(),
    samplingPercentage,
    serviceName: 'func-shop-prod',
    credential,
    exporter: { tlsOptions: { ca: cert }, disableOfflineStorage: true },
  });
  if (!started) throw new Error('not started');
  return started;
}

function request(i: number) {
  const span = trace.getTracer('t').startSpan('GET api/notes', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'http.route': 'api/notes',
      'http.response.status_code': 200,
      'atakora.tenant': `tenant-${String(i % 3)}`,
      'db.cosmosdb.request_charge': 2.5,
    },
  });
  span.end();
}

describe('Azure Monitor export', () => {
  it('sends requests with the Entra ID token, the cloud role and the design’s attributes as custom dimensions', async () => {
    const started = start(100);
    request(0);
    await started.shutdown();
    const track = await ingestion.waitFor('/v2.1/track');
    expect(track.headers.authorization).toBe('Bearer aad-token');
    expect(credential.getToken).toHaveBeenCalledWith(
      ['https://monitor.azure.com/.default'],
      expect.anything(),
    );
    const [e] = envelopes();
    expect(e?.data.baseType).toBe('RequestData');
    expect(e?.sampleRate).toBe(100);
    expect(e?.tags['ai.cloud.role']).toBe('func-shop-prod');
    expect(e?.data.baseData['responseCode']).toBe('200');
    expect(e?.data.baseData.properties).toMatchObject({
      'atakora.tenant': 'tenant-0',
      'db.cosmosdb.request_charge': '2.5',
    });
  });

  it('samples whole traces at the configured percentage and records the rate on each item kept', async () => {
    const started = start(25);
    for (let i = 0; i < 400; i++) request(i);
    await started.shutdown();
    const kept = envelopes();
    // 400 random trace ids at 25%: the binomial's 99.99% interval is far inside 40–160.
    expect(kept.length).toBeGreaterThan(40);
    expect(kept.length).toBeLessThan(160);
    for (const e of kept) expect(e.sampleRate).toBe(25);
  });

  it('at 0% sends nothing', async () => {
    const started = start(0);
    for (let i = 0; i < 50; i++) request(i);
    await started.shutdown();
    expect(envelopes()).toEqual([]);
  });
});

describe('startTelemetry', () => {
  it('does nothing without ATAKORA_TRACES, and loads no exporter', async () => {
    expect(await startTelemetry({})).toMatchObject({ exporter: 'none' });
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(false);
  });

  it('refuses a malformed setting or a missing connection string with one log line, never a failed start', async () => {
    const lines: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(line));
    try {
      expect(await startTelemetry({ ATAKORA_TRACES: '{' })).toMatchObject({ exporter: 'none' });
      expect(
        await startTelemetry({
          ATAKORA_TRACES: '{"exporter":"azure-monitor","samplingPercentage":20}',
        }),
      ).toMatchObject({
        exporter: 'none',
        reason: expect.stringContaining('APPLICATIONINSIGHTS_CONNECTION_STRING'),
      });
    } finally {
      error.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ operation: 'telemetry', outcome: 'not_started' });
  });

  it('starts Azure Monitor from the app settings, and registers its flush on the app’s terminate hook', async () => {
    const hooks: (() => Promise<void>)[] = [];
    const started = await startTelemetry(
      {
        ATAKORA_TRACES: '{"exporter":"azure-monitor","samplingPercentage":100}',
        APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString(),
        WEBSITE_SITE_NAME: 'func-from-settings',
      },
      { hook: { appTerminate: (h) => hooks.push(h) } },
    );
    expect(started).toMatchObject({ exporter: 'azure-monitor', samplingPercentage: 100 });
    expect(hooks).toHaveLength(1);
    expect(trace.getTracer('t').startSpan('x').isRecording()).toBe(true);
    if (started.exporter === 'azure-monitor') await started.shutdown();
  });

  it.each([
    [
      '{"exporter":"azure-monitor","samplingPercentage":25}',
      { exporter: 'azure-monitor', samplingPercentage: 25 },
    ],
    [
      '{"exporter":"otlp","samplingPercentage":25}',
      'ATAKORA_TRACES.exporter must be "azure-monitor"',
    ],
    [
      '{"exporter":"azure-monitor","samplingPercentage":101}',
      'ATAKORA_TRACES.samplingPercentage must be a number from 0 to 100',
    ],
    ['null', 'ATAKORA_TRACES.exporter must be "azure-monitor"'],
  ])('parses %s', (raw, expected) => {
    expect(parseTraceSettings(raw)).toEqual(expected);
  });
});
