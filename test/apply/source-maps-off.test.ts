import { afterEach, describe, expect, it } from 'vitest';
import { probeBackend } from '../support/probe-backend.js';
import { sourceMapsOff } from '../../src/apply/source-maps-off.js';
import { synthText } from '../support/synth.js';

// Apply turns Node's source-mapped stack traces off while it makes its tokens (cdktf records a stack
// trace for each) and puts the setting back, whatever happens; the Terraform it writes is the same.
const initially = process.sourceMapsEnabled;
afterEach(() => process.setSourceMapsEnabled(initially));

/** A backend whose cdktf side records the setting it runs under. */
function backendSeeing(seen: boolean[], fail = false) {
  return probeBackend(() => {
    seen.push(process.sourceMapsEnabled);
    if (fail) throw new Error('provision failed');
  });
}

describe('source maps during apply', () => {
  it('are off while apply runs and on again after it, with the same Terraform as without them', () => {
    const seen: boolean[] = [];
    process.setSourceMapsEnabled(false);
    const plain = synthText(backendSeeing(seen)).text;
    process.setSourceMapsEnabled(true);
    const mapped = synthText(backendSeeing(seen)).text;
    expect(seen).toEqual([false, false]);
    expect(process.sourceMapsEnabled).toBe(true);
    expect(mapped).toBe(plain);
  });

  it("are on again when apply throws, and the error it throws is the component's", () => {
    const seen: boolean[] = [];
    process.setSourceMapsEnabled(true);
    expect(() => synthText(backendSeeing(seen, true))).toThrow('provision failed');
    expect(seen).toEqual([false]);
    expect(process.sourceMapsEnabled).toBe(true);
  });

  it('are left off when they were off, and sourceMapsOff undoes only what it did', () => {
    process.setSourceMapsEnabled(false);
    const restore = sourceMapsOff();
    expect(process.sourceMapsEnabled).toBe(false);
    restore();
    expect(process.sourceMapsEnabled).toBe(false);
    process.setSourceMapsEnabled(true);
    const undo = sourceMapsOff();
    const nested = sourceMapsOff(); // an apply inside an apply (a component applying another backend)
    nested();
    expect(process.sourceMapsEnabled).toBe(false);
    undo();
    expect(process.sourceMapsEnabled).toBe(true);
  });
});
