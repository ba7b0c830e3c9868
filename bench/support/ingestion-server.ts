/**
 * A loopback stand-in of Application Insights' ingestion (test/support/telemetry-receiver.ts over HTTPS) in a
 * process of its own, for bench/traces.ts: the deployed app sends its spans to another machine, so receiving,
 * gunzipping and parsing them must not be charged to the app's CPU or its event loop. Run by Node with tsx's
 * loader: `node --import tsx ingestion-server.ts <cert file> <key file>`. Prints {"url"} once listening; when its
 * parent closes stdin it prints {"requests","items"} (what arrived under /v2.1/track) and exits.
 */
import { readFileSync } from 'node:fs';
import { startTelemetryReceiver } from '../../test/support/telemetry-receiver.js';

const [certFile = '', keyFile = ''] = process.argv.slice(2);
const receiver = await startTelemetryReceiver({
  cert: readFileSync(certFile, 'utf8'),
  key: readFileSync(keyFile, 'utf8'),
});
process.stdout.write(`${JSON.stringify({ url: receiver.url })}\n`);
process.stdin.on('end', () => {
  const tracks = receiver.received.filter((r) => r.path.startsWith('/v2.1/track'));
  // Each track request carries a JSON array of envelopes (or one envelope): one item per span.
  const items = tracks.reduce((n, r) => {
    const body = r.body.toString('utf8').trim();
    return n + (body.startsWith('[') ? (JSON.parse(body) as unknown[]).length : 1);
  }, 0);
  process.stdout.write(`${JSON.stringify({ requests: tracks.length, items })}\n`);
  void receiver.stop().then(() => process.exit(0));
});
process.stdin.resume();
