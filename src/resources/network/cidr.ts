/**
 * Pure IPv4 CIDR arithmetic for carving subnets out of a VNet's address space, the same as Terraform's
 * `cidrsubnet(prefix, newbits, netnum)`.
 *
 * @example
 * ```ts
 * cidrSubnet('10.0.0.0/16', 8, 1); // '10.0.1.0/24'
 * ```
 */
export function cidrSubnet(prefix: string, newbits: number, netnum: number): string | undefined {
  const parsed = parseCidr(prefix);
  if (!parsed) return undefined;
  const bits = parsed.bits + newbits;
  if (newbits < 0 || bits > 32 || netnum < 0 || netnum >= 2 ** newbits) return undefined;
  const base = (parsed.address & mask(parsed.bits)) >>> 0;
  const address = (base + netnum * 2 ** (32 - bits)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join('.')}/${bits}`;
}

/**
 * `10.0.0.0/16` → its address as an unsigned 32-bit number and its prefix length; undefined when malformed.
 *
 * @example
 * ```ts
 * parseCidr('10.0.0.0/16')?.bits; // 16
 * ```
 */
export function parseCidr(prefix: string): { address: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { address: octets.reduce((a, o) => a * 256 + o, 0) >>> 0, bits };
}

const mask = (bits: number) => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
