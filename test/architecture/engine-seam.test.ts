import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENGINE_PACKAGES } from '../support/engine-names.js';

// The engine seam (docs/architecture.md, "The engine seam"): cdktf, constructs and the provider bindings are
// named inside src/kit/cdktf only, so a move to another engine (cdktn) changes that folder alone.
const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const ENGINE = /^(cdktf|constructs|@cdktf\/.+)$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** root-relative file → the engine packages it imports (static, export-from, `import()` types; type-only included). */
function engineImports(dir = SRC): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files(dir)) {
    const names = ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((n) => ENGINE.test(n));
    if (names.length) found.set(relative(ROOT, file).split(sep).join('/'), names);
  }
  return found;
}

/** The violations the repository's own dependency-cruiser rules find in a fixture tree of `src/` files. */
async function violationsIn(fixture: string): Promise<string[]> {
  const config = createRequire(import.meta.url)(
    join(ROOT, '.dependency-cruiser.cjs'),
  ) as IConfiguration;
  const { tsConfig: _ts, enhancedResolveOptions, ...options } = config.options ?? {};
  const result = await cruise(
    ['src'],
    {
      ...options,
      baseDir: fixture,
      ruleSet: { forbidden: config.forbidden ?? [] },
      validate: true,
    },
    enhancedResolveOptions,
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from}`).sort();
}

describe('the engine seam', () => {
  it('no file outside src/kit/cdktf imports cdktf, constructs or @cdktf/*, not even a type', () => {
    const outside = [...engineImports().keys()].filter((f) => !f.startsWith('src/kit/cdktf/'));
    expect(outside).toEqual([]);
  });

  it('kit/cdktf names the engine: its types (engine.ts, azurerm-types.ts) and its loaders (cdk-modules.ts)', () => {
    const inside = engineImports();
    expect(new Set(inside.get('src/kit/cdktf/engine.ts'))).toEqual(
      new Set(['cdktf', 'constructs']),
    );
    expect(
      inside
        .get('src/kit/cdktf/azurerm-types.ts')
        ?.every((n) => n.startsWith(`${ENGINE_PACKAGES.azurerm}/lib/`)),
    ).toBe(true);
    expect(inside.get('src/kit/cdktf/cdk-modules.ts')).toEqual(
      expect.arrayContaining(['cdktf', 'constructs']),
    );
  });

  it('tests reach the engine through test/support/engine.ts alone (the fixtures of this file aside)', () => {
    const tests = [...engineImports(join(ROOT, 'test')).keys()].filter(
      (f) => !f.startsWith('test/architecture/fixtures/'),
    );
    expect(tests).toEqual(['test/support/engine.ts']);
  });

  it('the lint rule fails on files that break it (a binding type in a resource folder, constructs in a component, a cdktf type in apply) and passes kit/cdktf', async () => {
    expect(await violationsIn(join(import.meta.dirname, 'fixtures/engine-seam'))).toEqual([
      'engine-through-kit-cdktf: src/apply/stack.ts',
      'engine-through-kit-cdktf: src/components/construct.ts',
      'engine-through-kit-cdktf: src/resources/cosmos/provision.ts',
    ]);
  });

  it('the rules that name packages fire at all (the resolved path is node_modules/…, which an `exclude` would have dropped)', async () => {
    expect(await violationsIn(join(import.meta.dirname, 'fixtures/engine-seam-layers'))).toEqual([
      'engine-through-kit-cdktf: src/plan/stack.ts',
      'no-azurerm-root: src/kit/cdktf/root-binding.js',
      'plan-is-pure: src/plan/stack.ts',
    ]);
  });
});
