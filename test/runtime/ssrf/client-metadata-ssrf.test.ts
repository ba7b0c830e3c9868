/**
 * SSRF through the Client ID Metadata Document fetch (DESIGN §2: "no private or loopback addresses outside atakora
 * dev"; draft-ietf-oauth-client-id-metadata-document §6.5), one row per address class of docs/security.md: every
 * URL of the table given as a `client_id` to the cache the authorize endpoint uses, deployed and under dev. A refused
 * row is refused before any connection, naming the address; an allowed one gets past the address check (and then
 * fails to connect: nothing listens there). A redirect is never followed, whatever it points at.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMetadataCache } from '../../../src/runtime/mcp/oauth/client-metadata.js';
import { resolve, SSRF_TABLE } from './ssrf-classes.js';
import { testCertificate } from '../../support/test-certificate.js';

const ADDRESS_REFUSAL = /never fetched from/;

const lookupAll = async (
  cache: ClientMetadataCache,
): Promise<{ url: string; description: string }[]> =>
  Promise.all(
    SSRF_TABLE.map(async ({ url }) => {
      const found = await cache.lookup(url);
      return { url, description: found.ok ? 'fetched' : found.description };
    }),
  );

describe('the client metadata fetch refuses every address class of the table', () => {
  it('deployed: every refused row before connecting, every allowed row past the check', async () => {
    const results = await lookupAll(
      new ClientMetadataCache({ allowLocal: false, lookup: resolve }),
    );
    const wrong = results.filter(
      ({ url, description }) =>
        ADDRESS_REFUSAL.test(description) !==
        (SSRF_TABLE.find((r) => r.url === url)?.deployed === 'refused'),
    );
    expect(wrong).toEqual([]);
  });

  it('under atakora dev: only the platform metadata addresses are refused', async () => {
    const results = await lookupAll(new ClientMetadataCache({ allowLocal: true, lookup: resolve }));
    const wrong = results.filter(
      ({ url, description }) =>
        ADDRESS_REFUSAL.test(description) !==
        (SSRF_TABLE.find((r) => r.url === url)?.dev === 'refused'),
    );
    expect(wrong).toEqual([]);
  });
});

describe('a redirect from the metadata host', () => {
  const tls = testCertificate();
  let server: Server;
  let origin = '';
  let followed = 0;
  beforeAll(async () => {
    server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      if (req.url === '/target.json') followed += 1;
      const status = Number(/agent-(\d+)/.exec(req.url ?? '')?.[1] ?? '302');
      res.writeHead(status, { location: `${origin}/target.json` }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `https://localhost:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('is refused, never followed (even to a host the fetch would allow)', async () => {
    const cache = new ClientMetadataCache({ allowLocal: true, ca: tls.cert });
    for (const status of [301, 302, 303, 307, 308]) {
      const found = await cache.lookup(`${origin}/agent-${String(status)}.json`);
      expect(found).toMatchObject({ ok: false, description: expect.stringMatching(/redirect/) });
    }
    expect(followed).toBe(0);
  });
});
