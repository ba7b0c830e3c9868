import { ipRuleProblem, isIpv4 } from './ip-rules.js';

/**
 * IPv4 ranges as the network allow-lists take them: Cosmos DB's `ip_range_filter` (a set of CIDR blocks or
 * addresses, `validation.IsCIDR` or `IsIPv4Address`, cosmosdb_account_resource.go@v4.55.0) and Storage's
 * `network_rules.ip_rules` (public IPv4 addresses or CIDR ranges, a single address written bare, ip-rules.ts).
 * Two CIDR blocks either nest or are disjoint, so the intersection of two lists is, for each overlapping pair,
 * the smaller block.
 */
interface Block {
  readonly start: number;
  readonly prefix: number;
}

const size = (b: Block) => 2 ** (32 - b.prefix);
const contains = (outer: Block, inner: Block) =>
  outer.prefix <= inner.prefix &&
  inner.start >= outer.start &&
  inner.start < outer.start + size(outer);

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function parse(range: string): Block {
  const [address = '', bits] = range.split('/');
  return { start: toNumber(address), prefix: bits === undefined ? 32 : Number(bits) };
}

/** A block as written in the plan: `a.b.c.d/n`, a single address as `a.b.c.d/32`. */
function show(b: Block): string {
  return `${toAddress(b.start)}/${String(b.prefix)}`;
}

/**
 * Why `range` is no allow-list entry, or undefined: an IPv4 address or CIDR block (`/8`…`/32`) whose address is
 * the block's first one (`203.0.113.0/24`, not `203.0.113.7/24`), public unicast space only (the lists admit
 * callers from outside Azure; storage refuses private ranges).
 *
 * @example
 * ```ts
 * ipRangeProblem('203.0.113.0/24'); // undefined
 * ipRangeProblem('203.0.113.7/24'); // 'is not the first address of its block: write 203.0.113.0/24'
 * ```
 */
export function ipRangeProblem(range: unknown): string | undefined {
  if (typeof range !== 'string') return 'is not a string';
  const m = /^([0-9.]+)(?:\/(\d{1,2}))?$/.exec(range);
  if (!m || !isIpv4(m[1] ?? '')) return 'is not an IPv4 address or CIDR block (a.b.c.d/n)';
  const prefix = m[2] === undefined ? 32 : Number(m[2]);
  if (prefix < 8 || prefix > 32 || (m[2] !== undefined && m[2] !== String(prefix)))
    return 'has a prefix length outside /8…/32 (leave allowedIpRanges out to admit every address)';
  const start = toNumber(m[1] ?? '');
  const aligned = start - (start % 2 ** (32 - prefix));
  if (aligned !== start)
    return `is not the first address of its block: write ${toAddress(aligned)}/${String(prefix)}`;
  const problem = ipRuleProblem(toAddress(start));
  if (problem) return problem.replace(/^is (a|not a)/, 'starts at $1');
  const last = toAddress(start + 2 ** (32 - prefix) - 1);
  if (ipRuleProblem(last)) return `reaches non-public space (its last address is ${last})`;
  return undefined;
}

/**
 * A list of valid ranges as a canonical set: `a.b.c.d/n` each, blocks inside another dropped, sorted by address.
 *
 * @example
 * ```ts
 * canonicalRanges(['203.0.113.0/25', '203.0.113.0/24', '198.51.100.7']); // ['198.51.100.7/32', '203.0.113.0/24']
 * ```
 */
export function canonicalRanges(ranges: readonly string[]): string[] {
  return normalize(ranges.map(parse)).map(show);
}

function normalize(blocks: readonly Block[]): Block[] {
  const sorted = [...blocks].sort((a, b) => a.start - b.start || a.prefix - b.prefix);
  const out: Block[] = [];
  for (const b of sorted) if (!out.some((o) => contains(o, b))) out.push(b);
  return out;
}

/**
 * The addresses both lists admit, as a canonical list (empty when they are disjoint).
 *
 * @example
 * ```ts
 * intersectRanges(['203.0.113.0/24', '198.51.100.0/24'], ['203.0.113.128/25']); // ['203.0.113.128/25']
 * ```
 */
export function intersectRanges(a: readonly string[], b: readonly string[]): string[] {
  const out: Block[] = [];
  for (const x of a.map(parse))
    for (const y of b.map(parse)) {
      if (contains(x, y)) out.push(y);
      else if (contains(y, x)) out.push(x);
    }
  return normalize(out).map(show);
}

/**
 * The ranges of `given` that `admitted` does not hold whole (dropped, or narrowed to a smaller block).
 *
 * @example
 * ```ts
 * rangesOutside(['203.0.113.0/24', '198.51.100.0/24'], ['203.0.113.0/24']); // ['198.51.100.0/24']
 * ```
 */
export function rangesOutside(given: readonly string[], admitted: readonly string[]): string[] {
  const kept = admitted.map(parse);
  return given.filter((r) => !kept.some((k) => contains(k, parse(r))));
}

/**
 * A canonical list as Storage's `ip_rules` take it: a single address bare (`/32` is refused there), a `/31` as
 * its two addresses (refused too); other blocks as they are.
 *
 * @example
 * ```ts
 * storageIpRules(['203.0.113.7/32', '198.51.100.0/24']); // ['203.0.113.7', '198.51.100.0/24']
 * ```
 */
export function storageIpRules(ranges: readonly string[]): string[] {
  return ranges.flatMap((r) => {
    const b = parse(r);
    if (b.prefix === 32) return [toAddress(b.start)];
    if (b.prefix === 31) return [toAddress(b.start), toAddress(b.start + 1)];
    return [r];
  });
}
