import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { cruiseFixture } from '../support/cruise-fixture.js';
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

const { cdktf: CDKTF, constructs: CONSTRUCTS, azurerm: AZURERM } = ENGINE_PACKAGES;

/**
 * Fixture trees of `src/` files, each breaking (or keeping) the seam in one way. Written by the test inside the
 * repository (so the engine resolves to node_modules/… as in src/), removed after: no file under test/ but the
 * seam itself imports the engine.
 */
const FIXTURES: Record<string, Record<string, string>> = {
  'engine-seam': {
    // Breaks the engine seam: a component extends constructs' Construct, imported from the package.
    'src/components/construct.ts': `import { Construct } from '${CONSTRUCTS}';\nexport class Fixture extends Construct {}\n`,
    // Keeps the seam: kit/cdktf is where the engine is named.
    'src/kit/cdktf/engine.ts': `export type { TerraformStack } from '${CDKTF}';\nexport type { Construct } from '${CONSTRUCTS}';\n`,
    // Breaks the engine seam: apply names a cdktf type straight from the package (type-only imports count too).
    'src/apply/stack.ts': `import type { TerraformStack } from '${CDKTF}';\nimport type { Construct } from '../kit/cdktf/engine.js';\nexport type Stack = TerraformStack & Construct;\n`,
    // Breaks the engine seam: a resource folder names a binding type straight from the engine's package.
    'src/resources/cosmos/provision.ts': `import type { StorageAccount } from '${AZURERM}/lib/storage-account/index.js';\nexport type Account = StorageAccount;\n`,
  },
  'engine-seam-layers': {
    // Inside the seam, but the azurerm package root (seconds and hundreds of MiB): refused by no-azurerm-root.
    'src/kit/cdktf/root-binding.js': `export { AzurermProvider } from '${AZURERM}';\n`,
    // Breaks the engine seam and the pure planner: the plan names a cdktf type.
    'src/plan/stack.ts': `import type { TerraformStack } from '${CDKTF}';\nexport type Stack = TerraformStack;\n`,
  },
};

/** The violations the repository's own dependency-cruiser rules find in a fixture tree of `src/` files. */
async function violationsIn(name: string): Promise<string[]> {
  const fixture = mkdtempSync(join(ROOT, '.tmp-engine-seam-'));
  try {
    for (const [path, text] of Object.entries(FIXTURES[name] ?? {})) {
      mkdirSync(join(fixture, path, '..'), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    return await cruiseFixture(fixture);
  } finally {
    rmSync(fixture, { recursive: true, force: true });
  }
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

  it('tests reach the engine through test/support/engine.ts alone', () => {
    expect([...engineImports(join(ROOT, 'test')).keys()]).toEqual(['test/support/engine.ts']);
  });

  it('the lint rule fails on files that break it (a binding type in a resource folder, constructs in a component, a cdktf type in apply) and passes kit/cdktf', async () => {
    expect(await violationsIn('engine-seam')).toEqual([
      'engine-through-kit-cdktf: src/apply/stack.ts',
      'engine-through-kit-cdktf: src/components/construct.ts',
      'engine-through-kit-cdktf: src/resources/cosmos/provision.ts',
    ]);
  });

  it('the rules that name packages fire at all (the resolved path is node_modules/…, which an `exclude` would have dropped)', async () => {
    expect(await violationsIn('engine-seam-layers')).toEqual([
      'engine-through-kit-cdktf: src/plan/stack.ts',
      'no-azurerm-root: src/kit/cdktf/root-binding.js',
      'plan-is-pure: src/plan/stack.ts',
    ]);
  });
});
