import { sep } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * How dev's worker host (host.ts, run by path in a process of its own for every app and at every reload) is
 * bundled: by the build into dist/cli/dev/host/ (scripts/bundle-dist.mjs) and, from the sources (tests, tsx), by
 * hosts.ts into node_modules/.cache — the same options, so a worker started from the sources loads what a user's
 * worker loads. One bundle with the OpenTelemetry SDK the trace view loads, instead of ~40 of our modules and over a
 * hundred of the SDK's as separate ES modules; its dynamic imports (the SDK, the OTLP exporters, the queue and
 * change feed triggers with the Storage and Cosmos DB SDKs they import) stay chunks of their own, loaded only when
 * used. Without `splitting` they were inlined and their packages imported at the top: every worker started from the
 * sources loaded @azure/storage-queue and the SDK's modules, ~0.4 CPU-s a start (docs/performance.md, "The suite").
 *
 * @example
 * ```ts
 * await esbuild.build(hostBundleOptions('src/cli/dev/host/host.ts', 'node_modules/.cache/atakora/dev-host/1'));
 * ```
 */
export function hostBundleOptions(
  entry: string,
  outdir: string,
  extra: Pick<BuildOptions, 'absWorkingDir' | 'sourcemap' | 'logLevel'> = {},
): BuildOptions {
  return {
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'host-chunks/[name]-[hash]',
    keepNames: true,
    // The SDK's packages give their ES modules under "module" and CommonJS under "main" (no "exports"): the ES
    // build, whose named exports a dynamic import() finds (a CommonJS one would offer only `default` to an ES module).
    mainFields: ['module', 'main'],
    // CommonJS among the SDK's dependencies calls require(): an ES module has none of its own.
    banner: {
      js: "import { createRequire as __atakoraCreateRequire } from 'node:module'; const require = __atakoraCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
    ...extra,
    plugins: [
      {
        // Every package our modules import stays external but the OpenTelemetry ones the trace view loads (the
        // OTLP exporters too), which come with what they import themselves (protobufjs …): an installed package may
        // hold those nested under the SDK's folder, where an import from dist/ would not find them.
        name: 'external-but-opentelemetry',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@opentelemetry/') ||
            args.importer.includes(`${sep}node_modules${sep}`)
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  };
}
