/**
 * `atakora dev` traces: every worker keeps its last 1,000 requests with their spans and shows them at
 * `/_atakora/traces` (loopback only, escaped, no script), printed in the banner; with OTEL_EXPORTER_OTLP_ENDPOINT
 * it also exports them over OTLP/HTTP (here to a loopback collector) — the real runtime, the real local Cosmos DB
 * server, the page in Chromium.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { request } from 'node:http';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devBanner } from '../../src/cli/dev/session/banner.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import {
  TRACE_VIEW_REQUESTS,
  TraceStore,
  type ViewRequest,
} from '../../src/cli/dev/traces/trace-store.js';
import { escapeHtml, traceViewHtml } from '../../src/cli/dev/traces/trace-view.js';
import { devTracesOff, startDevTraces } from '../../src/cli/dev/traces/traces.js';
import { recordSpans } from '../runtime/support/spans.js';
import { startTelemetryReceiver, type TelemetryReceiver } from '../support/telemetry-receiver.js';
import { HANG_MS } from '../support/patience.js';

let dev: DevSession;
let collector: TelemetryReceiver;
let browser: TestBrowser;
const saved = { ...process.env };

beforeAll(async () => {
  collector = await startTelemetryReceiver();
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = collector.url;
  process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';
  dev = await startDev('test/packaging/fixtures/sign-in-backend.ts', {
    user: devUserOf('alice@contoso')!,
    log: () => undefined,
  });
  browser = await testBrowser();
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  await collector?.stop();
  for (const k of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL'])
    if (saved[k] === undefined) delete process.env[k];
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;
const json = { 'content-type': 'application/json' };

async function viewed(): Promise<ViewRequest[]> {
  const r = await fetch(url('/_atakora/traces?format=json'));
  expect(r.status).toBe(200);
  return ((await r.json()) as { requests: ViewRequest[] }).requests;
}

describe('atakora dev: the trace view', () => {
  it('keeps each request with its spans: route template, status, tenant, caller, RU, and the Cosmos DB calls under it', async () => {
    const created = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'n-secret-id-77', title: 'zz-title-marker' }),
    });
    expect(created.status).toBe(201);
    const missing = await fetch(url('/api/notes/nope'), {
      headers: { 'x-atakora-dev-user': 'bob@fabrikam' },
    });
    expect(missing.status).toBe(404);
    const requests = await viewed();
    expect(requests.map((r) => [r.name, r.status, r.tenant, r.user, r.operation])).toEqual([
      ['GET api/notes/{id}', 404, 'fabrikam', 'bob', 'read'],
      ['POST api/notes', 201, 'contoso', 'alice', 'create'],
    ]);
    const post = requests[1]!;
    expect(post.component).toBe('NoteApi');
    expect(post.requestCharge).toBeGreaterThan(0);
    const server = post.spans[0]!;
    expect(server.kind).toBe('server');
    const cosmos = post.spans.filter((s) => s.attributes['db.system'] === 'cosmosdb');
    expect(cosmos.length).toBeGreaterThan(0);
    for (const c of cosmos) {
      expect(c.kind).toBe('client');
      expect(c.parentSpanId).toBe(server.spanId);
    }
    // What the runtime records and nothing else: no item id or field, no path.
    const all = JSON.stringify(requests);
    expect(all).not.toContain('n-secret-id-77');
    expect(all).not.toContain('zz-title-marker');
  });

  it('serves an escaped page without script, only to a loopback Host', async () => {
    const page = await fetch(url('/_atakora/traces'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('POST api/notes');
    expect(html).not.toMatch(/<script/i);
    // A page of another site that rebinds its name to 127.0.0.1 sends its own Host: refused (cli/dev/loopback/guard.ts).
    const port = Number(new URL(url('/')).port);
    const rebound = await new Promise<number>((done, fail) => {
      request(
        {
          host: '127.0.0.1',
          port,
          path: '/_atakora/traces',
          headers: { host: `attacker.example:${String(port)}` },
          setHost: false,
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      )
        .on('error', fail)
        .end();
    });
    expect(rebound).toBe(421);
  });

  it('shows in Chromium: one row per request, newest first, opening to its spans', async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(url('/_atakora/traces'));
      const rows = await tab.locator('details.req summary .n').allTextContents();
      expect(rows.slice(0, 2)).toEqual(['GET api/notes/{id}', 'POST api/notes']);
      await tab.locator('details.req').nth(1).locator('summary').click();
      const spanNames = await tab
        .locator('details.req[open] table.spans td:first-child')
        .allTextContents();
      expect(spanNames[0]).toBe('POST api/notes');
      expect(spanNames.length).toBeGreaterThan(1);
    } finally {
      await tab.close();
    }
  });

  it('exports the same spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const got = await collector.waitFor('/v1/traces');
    expect(got.headers['content-type']).toContain('application/json');
    const deadline = Date.now() + HANG_MS;
    let text = '';
    while (Date.now() < deadline && !text.includes('POST api/notes')) {
      text = collector.received.map((r) => r.body.toString('utf8')).join('\n');
      if (!text.includes('POST api/notes')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(text).toContain('POST api/notes');
    expect(text).toContain('"stringValue":"contoso"');
    expect(text).not.toContain('zz-title-marker');
  });

  it('the banner prints the trace view of each app', () => {
    const lines = devBanner(dev.apps.map((a) => ({ ...a, functions: [] })));
    expect(lines[1]).toMatch(/^ {2}trace view\s+http:\/\/127\.0\.0\.1:\d+\/_atakora\/traces$/);
  });

  it('with ATAKORA_DEV_TRACES=off the banner says tracing is off, not a URL that answers 404', () => {
    expect(devTracesOff({ ATAKORA_DEV_TRACES: ' OFF ' })).toBe(true);
    expect(devTracesOff({ ATAKORA_DEV_TRACES: 'on' })).toBe(false);
    expect(devTracesOff({})).toBe(false);
    const lines = devBanner(
      dev.apps.map((a) => ({ ...a, functions: [] })),
      { traces: false },
    );
    expect(lines[1]).toBe(`  ${'trace view'.padEnd(32)} off (ATAKORA_DEV_TRACES=off)`);
    expect(lines.join('\n')).not.toContain('/_atakora/traces');
  });
});

describe('the trace view, unit by unit', () => {
  it('escapes every value it shows, and a planted tag stays text in Chromium', async () => {
    const store = new TraceStore();
    const provider = new BasicTracerProvider({ spanProcessors: [store] });
    const t = provider.getTracer('test');
    const evil = '<img src=x onerror="document.title=1">';
    const span = t.startSpan(`GET ${evil}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'atakora.tenant': evil,
        'enduser.id': `"'><b>`,
        'http.response.status_code': 500,
      },
    });
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    const html = traceViewHtml(store.requests(), `app${evil}`);
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(evil));
    const tab = await browser.newPage();
    try {
      await tab.setContent(html);
      expect(await tab.locator('img, b').count()).toBe(0);
      expect(await tab.locator('summary .tn').first().textContent()).toBe(evil);
      expect(await tab.title()).not.toBe('1');
    } finally {
      await tab.close();
    }
    await provider.shutdown();
  });

  it('keeps the last 1,000 requests, and spans that end after their request (an onChange) join it', () => {
    const store = new TraceStore();
    const provider = new BasicTracerProvider({ spanProcessors: [store] });
    const t = provider.getTracer('test');
    let lastTrace = '';
    for (let i = 0; i < TRACE_VIEW_REQUESTS + 5; i++) {
      const s = t.startSpan(`GET r${String(i)}`, { kind: SpanKind.SERVER });
      lastTrace = s.spanContext().traceId;
      s.end();
    }
    const kept = store.requests();
    expect(kept).toHaveLength(TRACE_VIEW_REQUESTS);
    expect(kept[0]?.name).toBe(`GET r${String(TRACE_VIEW_REQUESTS + 4)}`);
    expect(kept.at(-1)?.name).toBe('GET r5');
    // A late span of the newest request's trace.
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: lastTrace,
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    t.startSpan('on-change NoteApi', { kind: SpanKind.INTERNAL }, parent).end();
    expect(store.requests()[0]?.spans.map((s) => s.name)).toEqual([
      `GET r${String(TRACE_VIEW_REQUESTS + 4)}`,
      'on-change NoteApi',
    ]);
  });

  it('without an OTLP endpoint dev exports nothing, and an unsupported protocol says so', async () => {
    // Only the first registers its provider (a process has one); each undoes only its own at shutdown, so the
    // files that share this process find none registered after it.
    const quiet = await startDevTraces({}, 'app', () => undefined);
    expect(quiet.otlp).toBeUndefined();
    const warned: string[] = [];
    const grpc = await startDevTraces(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'app',
      (l) => warned.push(l),
    );
    expect(grpc.otlp).toBeUndefined();
    expect(warned.join('')).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported');
    const proto = await startDevTraces(
      { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      'app',
      () => undefined,
    );
    expect(proto.otlp).toBe('http/protobuf');
    await Promise.all([quiet.shutdown(), grpc.shutdown(), proto.shutdown()]);
    // Nothing left registered: the next file in this process registers its own (recordSpans throws otherwise).
    await recordSpans().stop();
  });

  it('ATAKORA_DEV_TRACES=off records nothing, and the trace view says so instead of showing no traffic', async () => {
    const off = startDevTraces(
      { ATAKORA_DEV_TRACES: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      'app',
      () => undefined,
    );
    expect(off.otlp).toBeUndefined();
    const answer = { status: 0, body: '' };
    const res = {
      writeHead: (status: number) => {
        answer.status = status;
      },
      end: (body: string) => {
        answer.body += body;
      },
    };
    expect(off.serve(res as never, new URL('http://127.0.0.1/_atakora/traces'))).toBe(true);
    expect(answer.status).toBe(404);
    expect(answer.body).toContain('ATAKORA_DEV_TRACES=off');
    await off.shutdown();
  });
});
