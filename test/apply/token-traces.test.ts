import { cdktfStackTrace as traces, Lazy, Tokenization } from '../support/engine.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeBackend } from '../support/probe-backend.js';
import { tokenTracesOff } from '../../src/kit/cdktf/token-traces-off.js';
import { synthText } from '../support/synth.js';

// cdktf formats the whole stack for every token it makes, for a "token created at" text; the tokens
// apply makes are Atakora's, so apply stops the recording while it runs and restores it whatever happens.
const original = traces.captureStackTrace;
let calls = 0;
beforeEach(() => {
  calls = 0;
  // A counting wrapper: apply must leave cdktf's function alone (restore this very one) and not call it.
  traces.captureStackTrace = (below?: unknown) => {
    calls++;
    return original(below);
  };
});
afterEach(() => {
  traces.captureStackTrace = original;
});

/** The creation stack cdktf kept for a token (a Lazy's, read through the token map). */
const creationStackOf = (token: string): string[] =>
  (Tokenization.reverseString(token).firstToken as unknown as { creationStack: string[] })
    .creationStack;

/** A backend whose cdktf side makes a token while apply runs. */
function backendMaking(tokens: string[], fail = false) {
  return probeBackend(() => {
    tokens.push(Lazy.stringValue({ produce: () => 'x' }));
    if (fail) throw new Error('provision failed');
  });
}

describe('token creation stacks during apply', () => {
  it('are not recorded while apply runs, and are again after it; the Terraform is written all the same', () => {
    const during: string[] = [];
    const { json } = synthText(backendMaking(during));
    expect(json.resource['azurerm_cosmosdb_account']).toBeDefined();
    // Apply made its tokens (references, lazies) without a trace; synth's own are traced, as is a token made after.
    expect(creationStackOf(during[0]!)).toEqual([]);
    const callsDuringApplyAndSynth = calls;
    expect(traces.captureStackTrace).not.toBe(original); // our wrapper, put back as it was
    const after = Lazy.stringValue({ produce: () => 'y' });
    expect(calls).toBe(callsDuringApplyAndSynth + 1);
    expect(creationStackOf(after).join('\n')).toMatch(/token-traces\.test\.ts/);
  });

  it("are recorded again when apply throws, and the error is the component's", () => {
    const during: string[] = [];
    const wrapper = traces.captureStackTrace;
    expect(() => synthText(backendMaking(during, true))).toThrow('provision failed');
    expect(creationStackOf(during[0]!)).toEqual([]);
    expect(traces.captureStackTrace).toBe(wrapper);
  });

  it('nest: an apply inside an apply restores only what it replaced', () => {
    const wrapper = traces.captureStackTrace;
    const undo = tokenTracesOff();
    const nested = tokenTracesOff();
    nested();
    expect(traces.captureStackTrace).not.toBe(wrapper);
    expect(creationStackOf(Lazy.stringValue({ produce: () => 'z' }))).toEqual([]);
    undo();
    expect(traces.captureStackTrace).toBe(wrapper);
    expect(calls).toBe(0);
  });
});
