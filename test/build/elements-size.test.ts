/**
 * The elements' size budget (DESIGN §2: the whole set ≤ 55 kB gzip without the typed client), measured on the
 * bundle a page loads (scripts/elements-bundle.mjs: minified for browsers, gzip level 9), with the client left out;
 * and the bundle imports nothing at run time — one self-contained module.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in JavaScript, no declarations
import { bundleElements, elementsSizes } from '../../scripts/elements-bundle.mjs';

describe('the elements bundle', () => {
  it('is within 55 kB gzip without the client, and imports nothing with it', async () => {
    const sizes = (await elementsSizes()) as {
      withClient: number;
      withoutClient: number;
      budget: number;
    };
    expect(sizes.budget).toBe(55_000);
    expect(sizes.withoutClient).toBeLessThanOrEqual(sizes.budget);
    // The client is counted apart: leaving it out makes a difference, so the measure is of the elements alone.
    expect(sizes.withClient).toBeGreaterThan(sizes.withoutClient);
    const code = (await bundleElements()) as string;
    // Minified ES module syntax: an import statement starts a statement; a dynamic import is a call.
    expect(code).not.toMatch(/(^|[;}])import\s*[{*"'\w]|\bimport\(/);
    for (const tag of [
      'atakora-organization-switcher',
      'atakora-members',
      'atakora-invitation',
      'atakora-plan',
      'atakora-organization-settings',
      'atakora-enterprise',
      'atakora-audit-log',
      'atakora-agents',
    ])
      expect(code).toContain(tag);
  });
});
