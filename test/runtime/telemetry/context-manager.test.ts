/**
 * The runtime's context manager: `AsyncLocalStorage` (Node 20: promise hooks on every promise) only while users'
 * code runs, or for good once other code enters a context outside it; never for a span processor's export.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnDemandContextManager } from '../../../src/runtime/telemetry/context-manager.js';
import { userCode } from '../../../src/runtime/telemetry/user-code.js';

const KEY = createContextKey('test.value');
const valued = (v: string): Context => ROOT_CONTEXT.setValue(KEY, v);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const managers: OnDemandContextManager[] = [];
const manager = () => {
  const m = new OnDemandContextManager().enable();
  managers.push(m);
  return m;
};
afterEach(() => {
  for (const m of managers.splice(0)) m.disable();
  vi.restoreAllMocks();
});

describe('OnDemandContextManager', () => {
  it('enters an export’s suppressed context for its synchronous part only, without AsyncLocalStorage', async () => {
    const m = manager();
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const suppressed = suppressTracing(ROOT_CONTEXT);
    const seen = m.with(suppressed, async () => {
      const before = m.active();
      await tick();
      return [before, m.active()];
    });
    expect(m.active()).toBe(ROOT_CONTEXT);
    expect(await seen).toEqual([suppressed, ROOT_CONTEXT]);
    expect(run).not.toHaveBeenCalled();
    expect(m.engaged).toBe(false);
  });

  it('keeps users’ code in its context across awaits, nested entries included, and is off again after it', async () => {
    const m = manager();
    const outer = userCode(valued('handler'));
    const seen = await m.with(outer, async () => {
      await tick();
      const own = await m.with(valued('own span'), async () => {
        await tick();
        return m.active().getValue(KEY);
      });
      await tick();
      return [m.engaged, own, m.active().getValue(KEY)];
    });
    expect(seen).toEqual([true, 'own span', 'handler']);
    await tick();
    expect(m.engaged).toBe(false);
    // And on again for the next handler.
    expect(
      await m.with(userCode(valued('next')), async () => (await tick(), m.active().getValue(KEY))),
    ).toBe('next');
  });

  it('keeps one handler’s context while another, overlapping, ends; off once both have', async () => {
    const m = manager();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const long = m.with(userCode(valued('long')), async () => {
      await held;
      await tick();
      return m.active().getValue(KEY);
    });
    const short = await m.with(userCode(valued('short')), async () => {
      await tick();
      return m.active().getValue(KEY);
    });
    await tick();
    expect(m.engaged).toBe(true);
    release();
    expect([short, await long]).toEqual(['short', 'long']);
    await tick();
    expect(m.engaged).toBe(false);
  });

  it('ends a handler that throws or rejects, and passes its error on', async () => {
    const m = manager();
    await expect(
      m.with(userCode(ROOT_CONTEXT), async () => {
        await tick();
        throw new Error('rejected');
      }),
    ).rejects.toThrow('rejected');
    expect(() =>
      m.with(userCode(ROOT_CONTEXT), () => {
        throw new Error('thrown');
      }),
    ).toThrow('thrown');
    await tick();
    expect(m.engaged).toBe(false);
  });

  it('stays on for good once code enters a context outside users’ code (its work may go on)', async () => {
    const m = manager();
    const later = new Promise<unknown>((resolve) => {
      m.with(valued('timer'), () => {
        setTimeout(() => resolve(m.active().getValue(KEY)), 5);
      });
    });
    expect(await later).toBe('timer');
    await m.with(userCode(ROOT_CONTEXT), async () => tick());
    await tick();
    expect(m.engaged).toBe(true);
  });
});
