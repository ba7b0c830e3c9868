/**
 * What the README says about the quick start and the entry points holds.
 * - The quick start's `backend.ts` is an entry the CLI reads: `atakora plan backend.ts` prints its plan and
 *   writes nothing (the snippet runner of snippets.test.ts runs both files; this runs the CLI on one).
 * - The subpath table is checked in support/api-reference-checks.ts (run by snippets.test.ts), beside the other
 *   checks that read the entry points' exports from one TypeScript program.
 * Uses dist/ (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The ```ts block whose first line is `// <file>`. */
function block(file: string): string {
  const m = new RegExp(`\`\`\`ts\\n// ${file.replace('.', '\\.')}\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!m) throw new Error(`README has no \`// ${file}\` block`);
  return m[1]!;
}

describe('README quick start', () => {
  // Under the repository, so `@atakora/component/...` resolves to this package (self-reference).
  const dir = join(root, `.tmp-readme-${String(process.pid)}`);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('`atakora plan backend.ts` reads the backend the quick start exports, and writes nothing', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'backend.ts'), block('backend.ts'));
    expect(readme).toContain('npx atakora plan backend.ts');
    const out = execFileSync(
      process.execPath,
      [join(root, 'dist/cli/bin.js'), 'plan', 'backend.ts'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toContain('Plan for backend (prod, eastus)');
    expect(out).toMatch(/Resources: 3 shared instead of 6 stand-alone/);
    expect(readdirSync(dir)).toEqual(['backend.ts']);
  });

  it('main.ts imports that backend, and the README says what its run writes', () => {
    expect(block('main.ts')).toContain("import backend from './backend.js';");
    for (const path of [
      'cdktf.out/',
      'manifest.json',
      'stacks/MyStack/cdk.tf.json',
      'stacks/MyStack/assets/',
    ])
      expect(readme).toContain(path);
    expect(readme).toContain('npm install --save-dev cdktf-cli');
  });
});
