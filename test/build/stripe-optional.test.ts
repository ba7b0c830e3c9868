/**
 * `stripe` is an optional peer, needed only where billing runs (README, "Optional peers"): a handler that imports
 * `@atakora/component/runtime` (docs/functions.md's handlers do) is bundled by `atakora dev`, `synth` and `deploy`
 * (packaging/bundle-app.ts), and nothing it reaches may import `stripe`. Against the built package (`npm run build`):
 * the handler is bundled as bundle-app bundles it, in a project where `stripe` cannot be resolved.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;

/** A project without `stripe`: every attempt to resolve it fails, as in a fresh install without optional peers. */
const noStripe: Esbuild.Plugin = {
  name: 'no-stripe',
  setup(b) {
    b.onResolve({ filter: /^stripe(\/|$)/ }, (args) => ({
      errors: [{ text: `Could not resolve "stripe" (imported by ${args.importer})` }],
    }));
  },
};

async function packageOptions(): Promise<{
  esmPackageOptions: () => Esbuild.BuildOptions;
  SIDE_EXTERNAL: readonly string[];
}> {
  return (await import(pathToFileURL(join(root, 'dist/packaging/esm-package.js')).href)) as never;
}

describe('stripe is needed only where billing runs', () => {
  it('a handler importing @atakora/component/runtime bundles without stripe installed', async () => {
    const { esmPackageOptions, SIDE_EXTERNAL } = await packageOptions();
    const result = await esbuild.build({
      absWorkingDir: root,
      stdin: {
        contents: [
          `import { dataOf, callerOf, startRuntime } from ${JSON.stringify(join(root, 'dist/entry/runtime.js'))};`,
          'export const handler = async (request) => ({ body: String(await dataOf(request).tasks.count()) });',
          'export const keep = [callerOf, startRuntime];',
        ].join('\n'),
        resolveDir: root,
        sourcefile: 'handler.ts',
        loader: 'ts',
      },
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node20',
      ...esmPackageOptions(),
      external: ['@azure/functions-core', ...SIDE_EXTERNAL],
      logLevel: 'silent',
      metafile: true,
      plugins: [noStripe],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.endsWith('dist/entry/runtime.js'))).toBe(true);
    expect(inputs.filter((f) => f.includes('node_modules/stripe/'))).toEqual([]);
  });

  it("the built package's runtime finds its billing client beside the bundle that imports it", async () => {
    // Each output of scripts/bundle-dist.mjs that imports ./atakora-billing.js has that file beside it: the billing
    // timer of a custom host on the package loads the same Stripe client as the CLI's usage commands.
    const dirs = ['', 'chunks', 'entry', 'cli'].map((d) => join(root, 'dist', d));
    const importers = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(d, f))
        .filter((f) => readFileSync(f, 'utf8').includes('import("./atakora-billing.js")')),
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const file of importers) {
      const beside = join(dirname(file), 'atakora-billing.js');
      expect(existsSync(beside)).toBe(true);
      const module = (await import(pathToFileURL(beside).href)) as { stripeSender?: unknown };
      expect(typeof module.stripeSender).toBe('function');
    }
  });
});

describe('a bundle that does reach stripe without it installed', () => {
  it('fails with BILLING_STRIPE_UNAVAILABLE naming the package and the install command', async () => {
    const { bundleApp } = await import('../../src/packaging/bundle-app.js');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    // Outside the repository: no node_modules above it holds stripe.
    const dir = mkdtempSync(join(tmpdir(), 'atakora-no-stripe-'));
    try {
      const handler = join(dir, 'charge.ts');
      writeFileSync(
        handler,
        "import Stripe from 'stripe';\nexport default async () => String(Stripe);\n",
      );
      let error: unknown;
      try {
        bundleApp({
          functions: [
            {
              name: 'P-charge',
              componentId: 'P',
              trigger: 'timer',
              schedule: '0 0 * * * *',
              handler,
            },
          ],
          handlerFiles: new Map([['P-charge', handler]]),
          workingDir: dir,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'BILLING_STRIPE_UNAVAILABLE' });
      const text =
        String((error as Error).message) + String((error as { resolution?: string }).resolution);
      expect(text).toContain('"stripe"');
      expect(text).toContain('npm install stripe');
      expect(text).toContain('charge.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
