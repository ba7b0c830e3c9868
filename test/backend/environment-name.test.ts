import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { checkEnvironmentName } from '../../src/kit/pure/names/environment-name.js';
import { AtakoraError } from '../../src/model/errors.js';

// One environment-name rule wherever a name is given: config `environment`, the builder's and the backend's
// withEnvironment, and every CLI --environment (test/cli/environment-option.test.ts), with one message and fix.
const users = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });

function thrown(f: () => unknown): AtakoraError {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw e;
  }
  throw new Error('expected an AtakoraError');
}

const BAD = [
  'Prod',
  'PROD',
  'pr_7',
  'a b',
  '../x',
  'x/y',
  '..',
  '',
  '-pr',
  'a'.repeat(25),
  'prod.',
];

describe('environment names', () => {
  it.each(BAD)('%j is refused by config, the builder and the backend with the CLI code', (name) => {
    for (const f of [
      () => defineBackend({ users: users() }, { environment: name }),
      () => defineBackend({ environment: 'prod' }).withEnvironment(name),
      () => defineBackend({ users: users() }).withEnvironment(name),
    ]) {
      const e = thrown(f);
      expect(e.code).toBe('ENVIRONMENT_NAME_INVALID');
      expect(e.message).toContain(JSON.stringify(name));
      expect(e.resolution).toContain('lower case');
    }
  });

  it("'Prod' is refused with the reason: Azure names ignore case, it would be production's", () => {
    const e = thrown(() => defineBackend({ users: users() }, { environment: 'Prod' }));
    expect(e.message).toContain('"prod"');
    expect(e.path).toEqual(['config', 'environment']);
  });

  it('property: a name passes exactly when the CLI would take it, and then plans in it', () => {
    const cli = (n: string) => {
      try {
        checkEnvironmentName(n);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 26 }), fc.stringMatching(/^[a-zA-Z0-9_./ -]{1,26}$/)),
        (name) => {
          let planned: string | undefined;
          try {
            planned = defineBackend({ users: users() }, { environment: name }).plan().environment;
          } catch (e) {
            expect((e as AtakoraError).code).toBe('ENVIRONMENT_NAME_INVALID');
          }
          expect(planned !== undefined).toBe(cli(name));
          if (planned !== undefined) {
            expect(planned).toBe(name.toLowerCase());
            expect(name).not.toMatch(/[_ /]|\.\./);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
