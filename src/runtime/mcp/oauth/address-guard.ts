import { BlockList, isIP } from 'node:net';

/**
 * Addresses a Client ID Metadata Document is never fetched from, whatever a host name resolves to: the fetch is
 * made by the server for anyone who names a URL, so without this it would reach what only the server can
 * (draft-ietf-oauth-client-id-metadata-document §6.5 "Server Side Request Forgery (SSRF)": servers "SHOULD NOT
 * fetch ... from ... loopback, link-local, private ... addresses"). Ranges from the IANA special-purpose address
 * registries (RFC 6890): loopback, private (RFC 1918, RFC 4193 unique local), shared CGNAT (RFC 6598), link-local
 * (RFC 3927 — Azure's and others' instance metadata at 169.254.169.254 — and fe80::/10), "this network",
 * benchmarking, multicast and reserved.
 */
const LOCAL = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['0.0.0.0', 8],
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  LOCAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  LOCAL.addSubnet(net, bits, 'ipv6');

/**
 * Platform addresses refused even under `atakora dev`: the instance metadata service (169.254.169.254, which
 * hands out the machine's managed-identity tokens) and Azure's host address 168.63.129.16 (Learn, "What is IP
 * address 168.63.129.16?": the platform's DNS, health probes and VM agent), and their IPv6 forms.
 */
const METADATA = new BlockList();
METADATA.addAddress('169.254.169.254', 'ipv4');
METADATA.addAddress('168.63.129.16', 'ipv4');
METADATA.addAddress('fd00:ec2::254', 'ipv6');

/** The IPv4 address an IPv4-mapped or NAT64 IPv6 address carries (`::ffff:10.0.0.1`, `64:ff9b::a00:1`). */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1] ?? '0', 16);
  const lo = Number.parseInt(hex[2] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * Why a resolved address may not be fetched from, or undefined when it may: `'metadata'` always refused, `'local'`
 * (loopback, private, link-local, reserved) refused unless `allowLocal` (`atakora dev`, whose stand-ins are on
 * loopback). A string that is no IP address is refused too.
 *
 * @example
 * ```ts
 * refusedAddress('10.1.2.3', false); // 'local'
 * refusedAddress('169.254.169.254', true); // 'metadata'
 * refusedAddress('20.42.0.1', false); // undefined
 * ```
 */
export function refusedAddress(
  address: string,
  allowLocal: boolean,
): 'local' | 'metadata' | 'not-an-address' | undefined {
  const family = isIP(address);
  if (family === 0) return 'not-an-address';
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [text, type] = v4 ? ([v4, 'ipv4'] as const) : ([address, 'ipv6'] as const);
  if (METADATA.check(text, type)) return 'metadata';
  if (!allowLocal && LOCAL.check(text, type)) return 'local';
  return undefined;
}
