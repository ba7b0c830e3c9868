import { expect } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';

/** The AtakoraError code `f` throws (failing the test on any other error), or undefined. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AtakoraError);
    return (e as AtakoraError).code;
  }
  return undefined;
}

/** The AtakoraError `fn` throws; the test fails when it throws anything else, or nothing. */
export function thrown(fn: () => unknown): AtakoraError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AtakoraError);
    return e as AtakoraError;
  }
  throw new Error('expected an AtakoraError');
}
