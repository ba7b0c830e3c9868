import { BlockList, isIP } from 'node:net';

/**
 * Addresses a Client ID Metadata Document is never fetched from, whatever a host name resolves to: the fetch is
 * made by the server for anyone who names a URL, so without this it would reach what only the server can
 * (draft-ietf-oauth-client-id-metadata-document §6.5 "Server Side Request Forgery (SSRF)": servers "SHOULD NOT
 * fetch ... from ... loopback, link-local, private ... addresses"). Ranges from the IANA special-purpose address
 * registries (RFC 6890): loopback, private (RFC 1918, RFC 4193 unique local), shared CGNAT (RFC 6598), link-local
 * (RFC 3927 — Azure's and others' instance metadata at 169.254.169.254 — and fe80::/10), "this network",
 * benchmarking, multicast and reserved, and the IPv6 forms that carry an IPv4 address (IPv4-mapped, -compatible,
 * -translated, NAT64, 6to4). The table of classes, each with the URL spellings that reach it, is
 * test/runtime/ssrf/ssrf-classes.ts; docs/security.md lists them.
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
// A list of its own: Node's BlockList matches an IPv4 address against IPv6 rules as its IPv4-mapped form, which
// ::/8 covers — every IPv4 address would be refused.
const LOCAL6 = new BlockList();
// IPv6: ::/8 (reserved by the IETF: the unspecified and loopback addresses, and the deprecated IPv4-compatible
// ::a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d forms, which carry an IPv4 address of any class — RFC 4291
// §2.5.5.1), the local-use IPv4/IPv6 translation prefix 64:ff9b:1::/48 (RFC 8215), the discard prefix 100::/64
// (RFC 6666), the IETF protocol assignments 2001::/23 (Teredo and benchmarking included), documentation
// 2001:db8::/32, 6to4 2002::/16 (whose next 32 bits are any IPv4 address, a private one too — RFC 3056; relays
// deprecated by RFC 7526), unique local fc00::/7, the deprecated site-local fec0::/10 (RFC 3879), link-local and
// multicast. The IPv4-mapped (::ffff:0:0/96) and well-known NAT64 (64:ff9b::/96) forms are judged by the IPv4
// address they carry (embeddedIpv4, below), before these.
for (const [net, bits] of [
  ['::', 8],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fec0::', 10],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  LOCAL6.addSubnet(net, bits, 'ipv6');

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
  if (!allowLocal && (type === 'ipv4' ? LOCAL : LOCAL6).check(text, type)) return 'local';
  return undefined;
}
