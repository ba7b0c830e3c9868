import { closest } from '../kit/pure/closest-key.js';
import { AtakoraError } from '../model/errors.js';

/** The value as a message shows it: strings quoted, so `"false"` reads differently from `false`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

/** The flags `parseFlags` returns: one boolean per flag it was told about. */
export type Flags<K extends string> = { readonly [P in K]: boolean };

/**
 * Read a feature-flags file into checked booleans, for `builder.when(flags.x, …)`. `known` lists every flag
 * with its default (used when the file leaves it out). A key the file has but `known` lacks (a typo, a flag
 * removed from the code) and a value that is not `true`/`false` (`"false"`, `0`) are `FLAGS_INVALID` errors
 * naming the key: a flag must never switch a component on or off by accident.
 *
 * @param source The file's text (JSON), or the already-parsed value.
 * @param known Every flag and its default.
 * @param origin Names the source in messages (the file name).
 * @example
 * ```ts
 * const text = '{ "users": true }'; // e.g. readFileSync('flags.json', 'utf8')
 * const flags = parseFlags(text, { users: false, sessions: false }, 'flags.json');
 * const backend = defineBackend({ environment: 'prod' })
 *   .when(flags.users, (b) =>
 *     b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })),
 *   )
 *   .build();
 * ```
 */
export function parseFlags<const K extends string>(
  source: unknown,
  known: { readonly [P in K]: boolean },
  origin = 'flags',
): Flags<K> {
  let value = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source) as unknown;
    } catch (e) {
      throw new AtakoraError(
        'FLAGS_INVALID',
        `${origin} is not valid JSON: ${(e as Error).message}.`,
        { path: [origin] },
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AtakoraError(
      'FLAGS_INVALID',
      `${origin} must be a JSON object of flag names to true/false; got ${describeValue(value)}.`,
      { path: [origin] },
    );
  }
  const names = Object.keys(known);
  const out: Record<string, boolean> = {};
  for (const name of names) {
    const v = known[name as K];
    if (typeof v !== 'boolean') {
      throw new AtakoraError(
        'FLAGS_INVALID',
        `The default of flag "${name}" must be true or false; got ${describeValue(v)}.`,
        { path: ['known', name] },
      );
    }
    out[name] = v;
  }
  for (const [name, v] of Object.entries(value)) {
    if (!Object.hasOwn(known, name)) {
      const near = closest(name, names);
      throw new AtakoraError(
        'FLAGS_INVALID',
        `${origin} has an unknown flag "${name}"${near ? ` (did you mean "${near}"?)` : ''}; known flags: ${names.join(', ') || '(none)'}.`,
        {
          path: [origin, name],
        },
      );
    }
    if (typeof v !== 'boolean') {
      throw new AtakoraError(
        'FLAGS_INVALID',
        `Flag "${name}" in ${origin} must be true or false; got ${describeValue(v)}.`,
        { path: [origin, name] },
      );
    }
    out[name] = v;
  }
  return Object.freeze(out) as Flags<K>;
}
