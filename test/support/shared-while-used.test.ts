import { describe, expect, it } from 'vitest';
import { dropIdle, type Held, sharedWhileUsed } from './shared-while-used.js';

// A registry of the test's own, so the worker's real caches (test/setup.ts drops them) are left alone.
describe('sharedWhileUsed', () => {
  it('keeps a cache through the file that made it and every file that uses it, drops it after one that did not', () => {
    const caches = new Set<Held>();
    const dropped: string[] = [];
    const useTrees = sharedWhileUsed(() => dropped.push('trees'), caches);
    const useSynths = sharedWhileUsed(() => dropped.push('synths'), caches);

    dropIdle(caches); // the file that registered both ends: both were made (used) in it
    expect(dropped).toEqual([]);

    useTrees(); // the next file reads the trees only
    dropIdle(caches);
    expect(dropped).toEqual(['synths']);

    dropIdle(caches); // a file that uses neither
    expect(dropped).toEqual(['synths', 'trees']);
  });

  it('a cache used again after it was dropped is kept for that file', () => {
    const caches = new Set<Held>();
    let drops = 0;
    const use = sharedWhileUsed(() => drops++, caches);
    dropIdle(caches);
    dropIdle(caches);
    expect(drops).toBe(1);
    use();
    dropIdle(caches);
    expect(drops).toBe(1);
    dropIdle(caches);
    expect(drops).toBe(2);
  });
});
