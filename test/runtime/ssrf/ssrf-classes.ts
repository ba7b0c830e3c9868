import { isIP } from 'node:net';

// The address classes both server-side fetchers refuse (docs/security.md, "Server-side fetches: the addresses
// refused"): the client metadata document fetch (src/runtime/mcp/oauth/client-metadata-fetch.ts) and the webhook
// delivery (src/runtime/webhooks/webhook-url.ts) share src/runtime/mcp/oauth/address-guard.ts, and each fetcher's
// table test runs every row through its own entry point.

/** One row: a URL (its host a literal, or a name the test's resolver answers), and what it must be. */
export interface SsrfRow {
  readonly url: string;
  /** Refused outside `atakora dev`. */
  readonly deployed: 'refused' | 'allowed';
  /** Refused under `atakora dev` too (the platform's metadata addresses; a private, non-loopback one for webhooks). */
  readonly dev: 'refused' | 'allowed' | 'webhook-refused';
}

/** What the test's resolver answers for the names in the table (a DNS name leading to a private address). */
export const RESOLVER: Readonly<Record<string, readonly string[]>> = {
  'public.example.com': ['20.42.0.1'],
  'ten.example.com': ['10.0.0.1'],
  'mixed.example.com': ['20.42.0.1', '192.168.1.10'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'imds.example.com': ['169.254.169.254'],
  'ula.example.com': ['fd00::5'],
  'cgnat.example.com': ['100.100.100.100'],
};

export const SSRF_TABLE: readonly SsrfRow[] = [
  { url: 'https://public.example.com/c.json', deployed: 'allowed', dev: 'allowed' },
  { url: 'https://[2603:1030::1]/c.json', deployed: 'allowed', dev: 'allowed' },
  // Loopback, in every spelling the WHATWG URL parser turns into 127.0.0.1.
  { url: 'https://127.0.0.1/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://2130706433/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://0177.0.0.1/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://0x7f.1/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://127.1/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://[::1]/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://[::ffff:127.0.0.1]/c.json', deployed: 'refused', dev: 'allowed' },
  // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1), IPv4-translated and 6to4 forms carrying a local IPv4.
  { url: 'https://[::127.0.0.1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[::ffff:0:127.0.0.1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[2002:7f00:1::1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[64:ff9b:1::a00:1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  // "This network", unspecified.
  { url: 'https://0.0.0.0/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[::]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  // Private, unique local, shared (CGNAT), link-local, deprecated site-local.
  { url: 'https://10.1.2.3/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://172.16.0.1/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://192.168.1.1/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[fd00::1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://100.64.0.1/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://100.127.255.254/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://169.254.1.1/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[fe80::1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://[fec0::1]/c.json', deployed: 'refused', dev: 'webhook-refused' },
  // The platform's metadata addresses: refused everywhere, in every form.
  { url: 'https://169.254.169.254/metadata/identity', deployed: 'refused', dev: 'refused' },
  { url: 'https://2852039166/metadata/identity', deployed: 'refused', dev: 'refused' },
  { url: 'https://[::ffff:169.254.169.254]/m', deployed: 'refused', dev: 'refused' },
  { url: 'https://168.63.129.16/m', deployed: 'refused', dev: 'refused' },
  // DNS names resolving to refused addresses (every address checked, not only the first).
  { url: 'https://ten.example.com/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://mixed.example.com/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://mapped.example.com/c.json', deployed: 'refused', dev: 'allowed' },
  { url: 'https://ula.example.com/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://cgnat.example.com/c.json', deployed: 'refused', dev: 'webhook-refused' },
  { url: 'https://imds.example.com/c.json', deployed: 'refused', dev: 'refused' },
];

/** The table's resolver as node:dns's `lookup` with `all` answers (an IP literal resolves to itself). */
export const resolve = (host: string): Promise<{ address: string; family: number }[]> => {
  const answer = isIP(host) === 0 ? RESOLVER[host] : [host];
  return answer
    ? Promise.resolve(answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
    : Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }),
      );
};
