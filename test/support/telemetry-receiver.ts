import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  type Server,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { HANG_MS } from './patience.js';

/** One request a telemetry receiver got: its path, headers and body (gunzipped when it came gzipped). */
export interface ReceivedExport {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A loopback stand-in for an OTLP/HTTP collector or Application Insights' ingestion endpoint. */
export interface TelemetryReceiver {
  /** `http://127.0.0.1:<port>` (`https` with TLS) */
  readonly url: string;
  readonly received: ReceivedExport[];
  /** Resolves once a request whose path starts with `prefix` has arrived (rejects after `ms`). */
  waitFor(prefix: string, ms?: number): Promise<ReceivedExport>;
  stop(): Promise<void>;
}

/**
 * Start a receiver on 127.0.0.1 that records every request and answers what an OTLP collector answers
 * (`200`, an empty export response) — or, under `/v2.1/track`, what Application Insights' ingestion answers.
 * With `tls` it speaks HTTPS (Application Insights' exporter sends to https only).
 */
export async function startTelemetryReceiver(tls?: {
  readonly cert: string;
  readonly key: string;
}): Promise<TelemetryReceiver> {
  const received: ReceivedExport[] = [];
  const waiting: { prefix: string; resolve: (r: ReceivedExport) => void }[] = [];
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(entry);
      for (const w of waiting.splice(0))
        if (entry.path.startsWith(w.prefix)) w.resolve(entry);
        else waiting.push(w);
      if (entry.path.startsWith('/v2.1/track')) {
        const items = body.toString('utf8').trim().startsWith('[')
          ? (JSON.parse(body.toString('utf8')) as unknown[]).length
          : 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
        return;
      }
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${String(port)}`,
    received,
    waitFor(prefix, ms = HANG_MS) {
      const found = received.find((r) => r.path.startsWith(prefix));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`nothing under ${prefix} within ${ms} ms`)),
          ms,
        );
        waiting.push({
          prefix,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
