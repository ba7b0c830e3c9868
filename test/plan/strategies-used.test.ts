import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as strategies from '../../src/kit/pure/resources/merge-strategies.js';

// A merge strategy no resource type uses is a promise the planner does not keep (`intersection()`
// was exported, documented and tested, and never applied). Each exported strategy must be called in src/
// outside its own file.
const src = resolve(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('merge strategies are all in use', () => {
  const callers = files(src)
    .filter((f) => !f.endsWith('merge-strategies.ts'))
    .map((f) => readFileSync(f, 'utf8'));
  const exported = Object.entries(strategies)
    .filter(([, v]) => typeof v === 'function')
    .map(([name]) => name);

  it('exports the strategies the planner merges with', () =>
    expect(exported).toEqual(expect.arrayContaining(['union', 'maximum', 'priority'])));

  for (const name of exported) {
    it(`${name}() is called by the planner or a resource type`, () => {
      expect(
        callers.some(
          (text) =>
            new RegExp(`\\b${name}\\(`).test(text) &&
            new RegExp(
              `\\b${name}\\b[^;]*from '[^']*merge-strategies\\.js'|import \\{[^}]*\\b${name}\\b[^}]*\\} from '[^']*merge-strategies\\.js'`,
            ).test(text),
        ),
      ).toBe(true);
    });
  }
});
