import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');

/** Every test file of the suite (vitest.config.ts's include: test/, src/, examples/). */
async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await testFiles(path)));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// A test's or hook's own timeout (`it(…, async () => {…}, 60_000)`) is a wall-clock assertion: a loaded machine
// outruns it and the suite goes red for no fault of the code. The only deadline is vitest.config.ts's, scaled by the
// machine's load, and a test's own waits use test/support/patience.ts (HANG_MS, deadline()). The shape caught here is
// the one every such bound in this suite had: a closing `}, 60_000);` or `{ timeout: 60_000 }`.
const CLOCK_BOUND = /^\s*\},\s*\d+(?:_\d{3})+\s*\);\s*$|\{\s*timeout:\s*\d+(?:_\d{3})+\s*\}/;

describe('no test sets its own clock bound', () => {
  it('no test file closes a test or hook with a timeout of its own', async () => {
    const files = [
      ...(await testFiles(join(repo, 'test'))),
      ...(await testFiles(join(repo, 'src'))),
      ...(await testFiles(join(repo, 'examples'))),
    ];
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      if (file === import.meta.filename) continue; // its own examples of the shape
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (CLOCK_BOUND.test(line))
          found.push(`${relative(repo, file)}:${String(i + 1)}: ${line.trim()}`);
      });
    }
    expect(found, 'use vitest.config.ts’s deadline and test/support/patience.ts instead').toEqual(
      [],
    );
  });

  it('the pattern catches the shapes it is meant to', () => {
    expect(CLOCK_BOUND.test('  }, 60_000);')).toBe(true);
    expect(CLOCK_BOUND.test('}, 120_000);')).toBe(true);
    expect(CLOCK_BOUND.test("  it('x', async () => {}, { timeout: 30_000 })")).toBe(true);
    expect(CLOCK_BOUND.test('  });')).toBe(false);
    expect(CLOCK_BOUND.test('  }, 50);')).toBe(false);
  });
});
