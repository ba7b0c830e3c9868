/**
 * A flags file read into checked booleans. A flag must never switch a component on or off by
 * accident: `"false"` is truthy, a misspelt key used to be dropped silently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/backend/flags.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { thrown } from '../support/errors.js';

const known = { users: false, sessions: true } as const;

describe('parseFlags', () => {
  it("returns one boolean per known flag: the file's value, else the default", () => {
    expect(parseFlags('{ "users": true }', known)).toEqual({ users: true, sessions: true });
    expect(parseFlags({ sessions: false }, known)).toEqual({ users: false, sessions: false });
    expect(parseFlags('{}', known)).toEqual({ users: false, sessions: true });
    expect(Object.isFrozen(parseFlags('{}', known))).toBe(true);
  });

  it('an unknown flag is FLAGS_INVALID naming it, the near miss and the known flags', () => {
    const e = thrown(() => parseFlags('{ "user": true }', known, 'flags.json'));
    expect(e.code).toBe('FLAGS_INVALID');
    expect(e.path).toEqual(['flags.json', 'user']);
    expect(e.message).toBe(
      'flags.json has an unknown flag "user" (did you mean "users"?); known flags: users, sessions.',
    );
    expect(thrown(() => parseFlags({ payments: true }, known)).message).not.toContain(
      'did you mean',
    );
  });

  it('a value that is not true/false is FLAGS_INVALID, with the value shown ("false" is not false)', () => {
    const e = thrown(() => parseFlags('{ "sessions": "false" }', known, 'flags.json'));
    expect(e.code).toBe('FLAGS_INVALID');
    expect(e.path).toEqual(['flags.json', 'sessions']);
    expect(e.message).toBe(
      'Flag "sessions" in flags.json must be true or false; got the string "false".',
    );
    for (const v of [0, 1, null, [], {}])
      expect(thrown(() => parseFlags({ users: v }, known)).code).toBe('FLAGS_INVALID');
  });

  it('not JSON, not an object, or a non-boolean default: FLAGS_INVALID', () => {
    expect(thrown(() => parseFlags('{ users: true', known, 'flags.json')).message).toMatch(
      /^flags\.json is not valid JSON: /,
    );
    expect(thrown(() => parseFlags('[true]', known)).message).toMatch(
      /must be a JSON object .* got an array/,
    );
    expect(thrown(() => parseFlags('true', known)).code).toBe('FLAGS_INVALID');
    expect(thrown(() => parseFlags('{}', { users: 'no' } as never)).path).toEqual([
      'known',
      'users',
    ]);
  });

  it('property: any object of known flags with boolean values parses to exactly those values over the defaults', () => {
    fc.assert(
      fc.property(
        fc.record({ users: fc.boolean(), sessions: fc.boolean() }, { requiredKeys: [] }),
        (file) => {
          expect(parseFlags(JSON.stringify(file), known)).toEqual({ ...known, ...file });
        },
      ),
    );
  });

  it('feeds when(): the component is on exactly when the flag is true', () => {
    const userApi = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
    const orders = CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } });
    for (const [json, on] of [
      ['{ "users": true }', true],
      ['{ "users": false }', false],
      ['{}', false],
    ] as const) {
      const flags = parseFlags(json, known);
      const backend = defineBackend({ environment: 'dev' })
        .addComponent(orders)
        .when(flags.users, (b) => b.addComponent(userApi))
        .build();
      expect('UserApi' in backend.components).toBe(on);
    }
  });
});
