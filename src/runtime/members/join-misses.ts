import { AgedAnswers, type AnswerBounds } from '../data/aged-answers.js';

/** The key of a user's join of the organization named (none: `''`, no organization id is empty). */
const keyOf = (named: string | undefined, userId: string): string => `${named ?? ''}\n${userId}`;

/**
 * Outsiders as one instance remembers them: a user whom no way of joining (a linked directory, a provisioned SCIM
 * user) admitted to the organization their request named — or, naming none, to any — answered `not-a-member` from
 * here for the membership cache's bound instead of looking both ways up again on every request (a directory claim,
 * a domain claim and record, the SCIM lookups). At most `maxEntries` of them, the oldest dropped first.
 *
 * Freshness: a change made through this instance that may admit someone — a directory linked, a SCIM user written,
 * a domain verified, an organization's record rewritten — forgets every answer ({@link JoinMisses.changed}); a
 * lookup that began before such a change is not kept. One made on another instance admits within `maxAgeMs`, the
 * bound the membership cache keeps for a removal (DESIGN §2: 30 s, 1 s under `atakora dev`). Only refusals are
 * kept here, so a removal holds at once as before.
 *
 * @example
 * ```ts
 * const since = misses.since();
 * if (!misses.known('acme-k3x9qa', 'u-9') && !(await join())) misses.remember('acme-k3x9qa', 'u-9', since);
 * ```
 */
export class JoinMisses {
  private readonly answers: AgedAnswers<true>;
  private generation = 0;

  constructor(bounds: AnswerBounds) {
    this.answers = new AgedAnswers(bounds);
  }

  /** Whether a join of `userId` into `named` was found to apply to nothing within the bound. */
  known(named: string | undefined, userId: string): boolean {
    return this.answers.peek(keyOf(named, userId)) !== undefined;
  }

  /** The moment a lookup begins, for {@link JoinMisses.remember}. */
  since(): number {
    return this.generation;
  }

  /** Keep the refusal, unless a change that may admit was made since the lookup began (`since`). */
  remember(named: string | undefined, userId: string, since: number): void {
    if (since === this.generation) this.answers.keep(keyOf(named, userId), Promise.resolve(true));
  }

  /** Something that may admit an outsider changed here: every refusal is looked up again. */
  changed(): void {
    this.generation++;
    this.answers.clear();
  }

  /** Drop what is kept of `userId` in `tenant` and naming none (their membership changed here). */
  forget(tenant: string, userId: string): void {
    this.answers.forget(keyOf(tenant, userId));
    this.answers.forget(keyOf(undefined, userId));
  }

  /** How many refusals are kept (for tests of the bound). */
  get size(): number {
    return this.answers.size;
  }
}

/**
 * `store` as the members API holds it, each of `writes` calling `changed` once it has been made (whatever it
 * answered): how the writes that may admit an outsider — a SCIM user created or replaced, a domain verified — reach
 * {@link JoinMisses.changed}. Every other method is the store's own.
 *
 * @example
 * ```ts
 * const scim = noticingWrites(cosmosScimStore(container), ['createUser', 'replaceUser'], () => misses.changed());
 * ```
 */
export function noticingWrites<T extends object>(
  store: T,
  writes: readonly (keyof T & string)[],
  changed: () => void,
): T {
  const wrapped = new Map<string | symbol, unknown>();
  for (const name of writes) {
    const write: unknown = Reflect.get(store, name);
    if (typeof write !== 'function') continue;
    wrapped.set(name, async (...args: unknown[]): Promise<unknown> => {
      try {
        return await (write as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } finally {
        changed();
      }
    });
  }
  // Every other member is the store's own, its methods called on the store itself (private fields and all).
  return new Proxy(store, {
    get(target, name) {
      if (wrapped.has(name)) return wrapped.get(name);
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
