/**
 * What the test helpers take as their backend (src/testing/backend-entry.ts `backendOf`): the backend, or the shape a
 * default import of a CommonJS module gives an ES module (`{ default: backend }` — an `.mts` test of a CommonJS
 * project, which the packed package's smoke test met as a raw TypeError); anything else TEST_BACKEND_INVALID.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { backendOf } from '../../src/testing/backend-entry.js';

const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const backend = defineBackend({ notes });

describe('backendOf', () => {
  it('takes a backend, and one a CommonJS default import wraps', () => {
    expect(backendOf(backend, 'startBackend')).toBe(backend);
    expect(backendOf({ default: backend }, 'startBackend')).toBe(backend);
    expect(backendOf({ default: { default: backend } }, 'startBackend')).toBe(backend);
  });

  it('refuses anything else as TEST_BACKEND_INVALID naming the helper', () => {
    for (const given of [
      undefined,
      null,
      notes,
      backend.plan(),
      { default: notes },
      'backend.ts',
    ]) {
      const e = (() => {
        try {
          backendOf(given, 'verifyAccess');
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(AtakoraError);
      expect(e).toMatchObject({ code: 'TEST_BACKEND_INVALID', path: ['backend'] });
      expect((e as Error).message).toMatch(/^verifyAccess was given /);
    }
  });
});
