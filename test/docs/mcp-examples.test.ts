// docs/mcp.md's examples run as written: every TypeScript block declares what it uses (the snippets test type-checks
// them against the package; none may lean on a `declare const token` a reader would have to invent). The blocks
// that connect to a deployed backend get their token from a sign-in (@azure/identity), for the scope the docs name.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/mcp.md'), 'utf8');
const blocks = [...doc.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

describe('docs/mcp.md examples', () => {
  it('declare nothing they use: each token comes from a sign-in in the block', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const code of blocks) {
      expect(code).not.toMatch(/^\s*declare\s/m);
      if (/\btoken\b/.test(code)) {
        expect(code).toMatch(/const \{ token \} = await credential\.getToken\(/);
        expect(code).toMatch(/user_impersonation/);
      }
    }
  });
});
