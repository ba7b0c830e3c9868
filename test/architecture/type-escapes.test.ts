import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Types carried end to end, so a double cast (`as unknown as`) is rare and each one says why, each explained
// where it stands: the lazy Stack class, a resource type's config as JSON, a frozen definition's brand, the
// client's generated methods. (The runtime manifest is parsed by its schema, model/runtime-manifest-schema.ts.)
const SRC = resolve(import.meta.dirname, '../../src');
const MAX = 5;
const MAX_NON_NULL = 125;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('type escapes in src/', () => {
  it(`at most ${MAX} double casts (as unknown as), each with a comment within the three lines above`, () => {
    const found: { file: string; line: number; explained: boolean }[] = [];
    for (const file of files(SRC)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((text, i) => {
        if (!/\bas unknown as\b/.test(text) || /^\s*(\/\/|\*)/.test(text)) return;
        const near = lines.slice(Math.max(0, i - 3), i + 1).join('\n');
        found.push({
          file: relative(SRC, file),
          line: i + 1,
          explained: /\/\/|\/\*|\*/.test(near),
        });
      });
    }
    expect(found.length, found.map((f) => `${f.file}:${f.line}`).join('\n')).toBeLessThanOrEqual(
      MAX,
    );
    expect(found.filter((f) => !f.explained).map((f) => `${f.file}:${f.line}`)).toEqual([]);
  });

  // A `!` asserts what a type could say: narrowing, a tuple, model/at.ts (checked, an AtakoraFault on a miss). The
  // planner's and the cascade's indexed loops (`xs[i]!` with `i < xs.length`: no iterator result per item, see
  // docs/architecture.md, "Feature work only where it is used") account for 24 of them.
  it(`at most ${MAX_NON_NULL} non-null assertions`, () => {
    const found = files(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((text, i) =>
          [...text.matchAll(/[A-Za-z0-9_)\]]!(?=[.[);, ])/g)].map(
            () => `${relative(SRC, file)}:${String(i + 1)}`,
          ),
        ),
    );
    expect(found.length, found.join('\n')).toBeLessThanOrEqual(MAX_NON_NULL);
  });
});
