/**
 * Which addresses a storage firewall IP rule takes. azurerm's `network_rules.ip_rules` (website/docs/r/
 * storage_account.html.markdown@v4.55.0) and Learn, "Configure Azure Storage firewalls and virtual networks"
 * (https://learn.microsoft.com/azure/storage/common/storage-network-security): public IPv4 addresses or
 * ranges only — no IPv6, no private ranges (RFC 1918), no /31 or /32 (a single address is written bare).
 * The same page: IP rules have no effect on requests from the same Azure region as the account (those come
 * from private Azure addresses), so an admitted address helps only a caller outside that region.
 */

/** A dotted IPv4 address, each octet 0-255, no leading zeros. */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/**
 * Why `address` cannot be an IP rule, or undefined when it can: not IPv4, or private, loopback, link-local,
 * shared (CGNAT) or multicast space, which storage IP rules refuse or never see.
 *
 * @example
 * ```ts
 * ipRuleProblem('203.0.113.7'); // undefined
 * ipRuleProblem('10.1.2.3');    // 'is a private address (RFC 1918); IP rules take public addresses only'
 * ```
 */
export function ipRuleProblem(address: string): string | undefined {
  if (!isIpv4(address)) return 'is not an IPv4 address (storage firewall IP rules take IPv4 only)';
  const [a, b] = address.split('.').map(Number) as [number, number];
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return 'is a private address (RFC 1918); IP rules take public addresses only';
  if (
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  )
    return 'is not a public unicast address; IP rules take public addresses only';
  return undefined;
}
