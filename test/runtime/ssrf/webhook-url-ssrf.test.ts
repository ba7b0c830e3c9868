/**
 * SSRF through a webhook URL (DESIGN §2 "Integrations": "URLs checked against private, loopback, link-local and
 * metadata addresses after resolution and on every delivery (no redirect followed; loopback allowed under atakora
 * dev)"), one row per address class of docs/security.md, through the check creation and every delivery make. A
 * redirect answered by a receiver is a failed attempt, never followed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../src/runtime/webhooks/webhook-send.js';
import { checkWebhookUrl } from '../../../src/runtime/webhooks/webhook-url.js';
import { resolve, SSRF_TABLE } from './ssrf-classes.js';

const verdicts = async (allowLoopback: boolean) =>
  Promise.all(
    SSRF_TABLE.map(async ({ url }) => {
      // Under dev the table's https URLs stand for the developer's http receiver as well.
      const checked = await checkWebhookUrl(url, { allowLoopback, lookup: resolve });
      return { url, refused: !checked.ok };
    }),
  );

describe('the webhook URL check refuses every address class of the table', () => {
  it('deployed', async () => {
    const wrong = (await verdicts(false)).filter(
      ({ url, refused }) =>
        refused !== (SSRF_TABLE.find((r) => r.url === url)?.deployed === 'refused'),
    );
    expect(wrong).toEqual([]);
  });

  it('under atakora dev: loopback alone is let through, never private or metadata addresses', async () => {
    const wrong = (await verdicts(true)).filter(({ url, refused }) => {
      const row = SSRF_TABLE.find((r) => r.url === url);
      return refused !== (row?.dev === 'refused' || row?.dev === 'webhook-refused');
    });
    expect(wrong).toEqual([]);
  });
});

describe('a redirect answered by the receiver', () => {
  let server: Server;
  let port = 0;
  let followed = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/target') followed += 1;
      const status = Number(/\/hook-(\d+)/.exec(req.url ?? '')?.[1] ?? '302');
      res.writeHead(status, { location: `http://127.0.0.1:${String(port)}/target` }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('is the attempt’s answer (a failure), never followed', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const url = `http://127.0.0.1:${String(port)}/hook-${String(status)}`;
      const checked = await checkWebhookUrl(url, { allowLoopback: true });
      if (!checked.ok) throw new Error(checked.why);
      const answer = await sendWebhook(
        { url: checked.url, address: checked.address, headers: {}, body: '{}', timeoutMs: 5000 },
        Date.now(),
      );
      expect(answer.status).toBe(status);
    }
    expect(followed).toBe(0);
  });
});
