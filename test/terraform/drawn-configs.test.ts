/**
 * The property behind `npm run check:terraform`'s drawn stacks: every config the schema admits (drawn from its own
 * JSON Schema, test/terraform/drawn-configs.ts) is refused at config time with an AtakoraError, or plans; the ones
 * that plan without errors are what the real providers then validate and plan (a fixed-seed sample, in CI).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendConfigSchema } from '../../src/backend/config-schema.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { DRAWN_KEYS, DRAWN_SEED, drawnConfig, drawnStackConfigs } from './drawn-configs.js';

const notes = () =>
  CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, realtime: true });

describe('configs drawn from the config schema', () => {
  it('every draw is one the schema admits, over the drawn keys only', () => {
    fc.assert(
      fc.property(drawnConfig(), (config) => {
        expect(backendConfigSchema.safeParse(config).success).toBe(true);
        for (const k of Object.keys(config)) expect(DRAWN_KEYS).toContain(k);
      }),
      { numRuns: 200, seed: DRAWN_SEED },
    );
  });

  it('every draw is refused with an AtakoraError, or plans (errors as plan issues, never a throw of another kind)', () => {
    fc.assert(
      fc.property(drawnConfig(), (config) => {
        try {
          defineBackend({ notes: notes() }, { backendId: 'fxdrawn', ...config }).plan();
        } catch (e) {
          expect(e).toBeInstanceOf(AtakoraError);
        }
      }),
      { numRuns: 100, seed: DRAWN_SEED },
    );
  });

  it('the sample check:terraform synthesizes is fixed by the seed and plans without errors', () => {
    const first = drawnStackConfigs();
    expect(first).toHaveLength(4);
    expect(drawnStackConfigs()).toEqual(first);
    for (const config of first) {
      const plan = defineBackend({ notes: notes() }, config).plan();
      expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
    // Distinct stacks: each under its own backendId, so their resource names do not collide.
    expect(new Set(first.map((c) => c['backendId'])).size).toBe(4);
  });
});
