/**
 * The browser files' elements bundle, cached by content (./elements-bundle-cache.ts): what it writes is the bundle
 * scripts/elements-bundle.mjs builds from the sources now, byte for byte, the first time and from the cache; the
 * cache names it by a hash that covers every file the build read.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error: a build script in JavaScript, no declarations
import { bundleElements } from '../../scripts/elements-bundle.mjs';
import { elementsBundleTo } from './elements-bundle-cache.js';

const work = mkdtempSync(join(tmpdir(), 'elements-bundle-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cache = resolve(
  import.meta.dirname,
  '../../node_modules/.cache/atakora/elements-test-bundle',
);

it("writes the sources' bundle, built or from the cache, and lists the sources it was built from", async () => {
  let inputs: string[] = [];
  const fresh = (await bundleElements({
    onInputs: (files: string[]) => (inputs = files),
  })) as string;
  expect(inputs).toContain('src/entry/elements.ts');
  expect(inputs.some((f) => f.startsWith('src/elements/'))).toBe(true);
  for (const name of ['first.js', 'second.js']) {
    await elementsBundleTo(join(work, name));
    expect(readFileSync(join(work, name), 'utf8')).toBe(fresh);
  }
  // The build's inputs listed beside the one bundle kept: this content's.
  expect(JSON.parse(readFileSync(join(cache, 'inputs.json'), 'utf8'))).toEqual(inputs);
  const kept = readdirSync(cache).filter((f) => f.endsWith('.js'));
  expect(kept.map((f) => readFileSync(join(cache, f), 'utf8') === fresh)).toEqual([true]);
});
