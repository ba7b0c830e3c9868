import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WEBHOOK_LIMITS } from '../../contract/integrations/webhooks.js';
import { refusedAddress } from '../mcp/oauth/address-guard.js';

/** How a host name is resolved: every address it has (node:dns's `lookup` with `all`; tests pass their own). */
export type WebhookLookup = (
  host: string,
) => Promise<readonly { address: string; family: number }[]>;

/** What a URL is checked against: whether this is `atakora dev` (http and loopback allowed), and the resolver. */
export interface WebhookUrlPolicy {
  /** `atakora dev`: `http:` and loopback addresses allowed (the developer's own receiver); never metadata ones. */
  readonly allowLoopback: boolean;
  readonly lookup?: WebhookLookup;
}

/** A URL that may be delivered to, with the address the connection must go to (never resolved a second time). */
export type CheckedWebhookUrl =
  | { readonly ok: true; readonly url: URL; readonly address: { address: string; family: number } }
  | { readonly ok: false; readonly why: string };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const isLoopback = (address: string): boolean =>
  LOOPBACK.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

const systemLookup: WebhookLookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The URL's form alone (no resolution): an absolute `https:` URL (or `http:` under `atakora dev`) of at most 2,000
 * characters, without user or password (a secret in a URL ends up in logs). Undefined when it may be kept, else why
 * not.
 *
 * @example
 * ```ts
 * webhookUrlShape('http://hooks.example.com/x', false); // 'The URL must be https: …'
 * ```
 */
export function webhookUrlShape(raw: string, allowLoopback: boolean): string | undefined {
  if (raw.length > WEBHOOK_LIMITS.urlLength)
    return `The URL is longer than ${String(WEBHOOK_LIMITS.urlLength)} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The URL is not an absolute URL.';
  }
  const schemes = allowLoopback ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    return `The URL must be https: (${allowLoopback ? 'or http: under atakora dev' : 'http: only under atakora dev'}), not ${url.protocol}.`;
  if (url.username !== '' || url.password !== '')
    return 'The URL carries a user or a password; the signature authenticates deliveries, put no secret in the URL.';
  return undefined;
}

/**
 * A webhook URL checked where it leads — at creation and again before every delivery, so a DNS answer that changed
 * since (DNS rebinding) cannot turn a public host into a private one: the host resolved and **every** address it
 * resolves to refused when loopback, private, link-local, shared, reserved or a metadata address (address-guard.ts,
 * the IANA special-purpose registries), loopback allowed under `atakora dev` alone. The address returned is the one
 * the delivery connects to. Never throws: a failure is a reason.
 *
 * @example
 * ```ts
 * const checked = await checkWebhookUrl('https://hooks.example.com/atakora', { allowLoopback: false });
 * if (!checked.ok) console.log(checked.why);
 * ```
 */
export async function checkWebhookUrl(
  raw: string,
  policy: WebhookUrlPolicy,
): Promise<CheckedWebhookUrl> {
  const shape = webhookUrlShape(raw, policy.allowLoopback);
  if (shape !== undefined) return { ok: false, why: shape };
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses =
      isIP(host) !== 0
        ? [{ address: host, family: isIP(host) }]
        : await (policy.lookup ?? systemLookup)(host);
  } catch {
    return { ok: false, why: `The host ${url.hostname} does not resolve.` };
  }
  if (addresses.length === 0)
    return { ok: false, why: `The host ${url.hostname} does not resolve.` };
  for (const { address } of addresses) {
    const why =
      policy.allowLoopback && isLoopback(address) ? undefined : refusedAddress(address, false);
    if (why !== undefined)
      return {
        ok: false,
        why: `The host ${url.hostname} resolves to ${address}, ${why === 'metadata' ? 'a platform metadata address' : 'a loopback, private, link-local or reserved address'}: webhooks go to public addresses only${policy.allowLoopback ? '' : ' (loopback under atakora dev)'}.`,
      };
  }
  return { ok: true, url, address: addresses[0]! };
}
