/**
 * A persistent (immutable, structurally shared) string-keyed map: a hash array mapped trie (Bagwell's HAMT,
 * as in Clojure and Immutable.js) with only what the builder needs, `get` and `set`. `set` copies the
 * O(log32 n) nodes on one path and shares the rest, so a builder can be branched
 * (`b1 = b.addComponent(x); b2 = b.addComponent(y)`) and every version keeps its own index without copying
 * the whole map: 10,000 keys are at most 3 levels deep.
 */

interface Leaf<V> {
  readonly kind: 0;
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
/** Keys whose 32-bit hashes are equal (rare): compared by key. */
interface Collision<V> {
  readonly kind: 1;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}
/** `bitmap` has bit i set when the 5-bit hash fragment i has a child; children are packed in bit order. */
interface Branch<V> {
  readonly kind: 2;
  readonly bitmap: number;
  readonly children: readonly Node<V>[];
}
type Node<V> = Leaf<V> | Collision<V> | Branch<V>;

/** FNV-1a, 32 bits: cheap and well spread for short identifiers. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const fragment = (hash: number, shift: number) => (hash >>> shift) & 31;

/** A branch holding two nodes of different hashes, split at the first 5-bit fragment where they differ. */
function split<V>(a: Leaf<V> | Collision<V>, b: Leaf<V>, shift: number): Branch<V> {
  const fa = fragment(a.hash, shift);
  const fb = fragment(b.hash, shift);
  if (fa === fb) return { kind: 2, bitmap: 1 << fa, children: [split(a, b, shift + 5)] };
  return { kind: 2, bitmap: (1 << fa) | (1 << fb), children: fa < fb ? [a, b] : [b, a] };
}

function insert<V>(node: Node<V> | undefined, leaf: Leaf<V>, shift: number): Node<V> {
  if (node === undefined) return leaf;
  if (node.kind === 0) {
    if (node.key === leaf.key) return leaf;
    return node.hash === leaf.hash
      ? { kind: 1, hash: leaf.hash, leaves: [node, leaf] }
      : split(node, leaf, shift);
  }
  if (node.kind === 1) {
    if (node.hash !== leaf.hash) return split(node, leaf, shift);
    return {
      kind: 1,
      hash: node.hash,
      leaves: [...node.leaves.filter((l) => l.key !== leaf.key), leaf],
    };
  }
  const bit = 1 << fragment(leaf.hash, shift);
  const at = popcount(node.bitmap & (bit - 1));
  const children = node.children.slice();
  if (node.bitmap & bit) children[at] = insert(children[at], leaf, shift + 5);
  else children.splice(at, 0, leaf);
  return { kind: 2, bitmap: node.bitmap | bit, children };
}

/**
 * An immutable string-keyed map with structural sharing; `set` returns a new map and leaves this one as is.
 *
 * @example
 * ```ts
 * const a = PersistentMap.empty<number>().set('x', 1);
 * const b = a.set('y', 2);
 * [a.get('y'), b.get('y'), b.get('x')]; // [undefined, 2, 1]
 * ```
 */
export class PersistentMap<V> {
  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(undefined, 0);
  }

  private constructor(
    private readonly root: Node<V> | undefined,
    readonly size: number,
  ) {
    Object.freeze(this);
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node = this.root;
    for (let shift = 0; node !== undefined; shift += 5) {
      if (node.kind === 0) return node.key === key ? node.value : undefined;
      if (node.kind === 1)
        return node.hash === hash ? node.leaves.find((l) => l.key === key)?.value : undefined;
      const bit = 1 << fragment(hash, shift);
      if (!(node.bitmap & bit)) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))];
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A new map with `key` set; `value` must not be `undefined` (absence and `undefined` are one here). */
  set(key: string, value: V): PersistentMap<V> {
    const grows = !this.has(key);
    return new PersistentMap(
      insert(this.root, { kind: 0, hash: hashOf(key), key, value }, 0),
      this.size + (grows ? 1 : 0),
    );
  }
}
