/**
 * What `atakora dev` loads before it serves (docs/performance.md, "The suite"): the static import graph of dev's
 * session (src/cli/dev/session/session.ts, which the CLI imports on `dev`) must not reach the Storage SDK,
 * @azure/identity nor ws — together ~0.4 CPU-s of module loading on every start. Azurite's clients are imported only when a
 * backend declares a FileStore or a queue (cli/dev/storage/azurite.ts), and the apps' settings name the dev blob
 * origin without loading the runtime's blob client (runtime/files/dev-blob-origin.ts). The graph is read from the
 * sources: every `import`/`export … from` that is not `import type` (a type-only name list is counted too, so the
 * check errs towards failing); dynamic `import()` is what stays lazy, and is not followed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const STATIC = /^(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The bare packages the static import graph from `start` reaches, each with the chain that reaches it. */
function staticPackages(start: string): Map<string, string[]> {
  const via = new Map<string, string | undefined>([[start, undefined]]);
  const packages = new Map<string, string[]>();
  const queue = [start];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC)) {
      if (!spec) continue;
      if (spec.startsWith('.')) {
        const next = join(dirname(file), spec).replace(/\.js$/, '.ts');
        if (!via.has(next)) via.set(next, file), queue.push(next);
      } else if (!spec.startsWith('node:') && !packages.has(spec)) {
        const chain = [];
        for (let f: string | undefined = file; f; f = via.get(f))
          chain.push(f.slice(root.length + 1));
        packages.set(spec, chain);
      }
    }
  }
  return packages;
}

describe('atakora dev start', () => {
  const reached = staticPackages(join(root, 'src/cli/dev/session/session.ts'));

  it('reads a graph that reaches the packages dev imports statically (the check sees imports at all)', () => {
    // @opentelemetry/api: the change handlers' spans (runtime/telemetry), which dev's hosts dispatch.
    expect(reached.has('@opentelemetry/api'), [...reached.keys()].join(', ')).toBe(true);
  });

  it.each(['@azure/storage-blob', '@azure/storage-queue', '@azure/identity', 'ws'])(
    'does not load %s before a backend needs it',
    (pkg) => {
      expect(
        reached.get(pkg),
        `reached through ${(reached.get(pkg) ?? []).join(' <- ')}`,
      ).toBeUndefined();
    },
  );
});

/**
 * The worker's host as the tests and tsx run it (built from src/ by cli/dev/host/hosts.ts) loads at its start what
 * dist's does (scripts/bundle-dist.mjs, cli/dev/host/host-bundle.ts): the queue and change feed triggers, with the
 * Storage and Cosmos DB SDKs they import, are chunks loaded when a backend has such triggers. Built as one file, their
 * packages were imported at its top: every worker of a CrudApi alone loaded @azure/storage-queue (~0.4 CPU-s a start).
 */
describe("atakora dev's worker host from the sources", () => {
  it('imports neither the Storage nor the Cosmos DB SDK at its top; its triggers are chunks of their own', async () => {
    const { workerHost } = await import('../../src/cli/dev/host/hosts.js');
    const host = await workerHost();
    const text = readFileSync(host, 'utf8');
    const statics = [...text.matchAll(STATIC)].map(([, spec]) => spec);
    // The reading finds the bundle's static imports at all.
    expect(statics).toContain('node:http');
    // @azure/functions (one CommonJS file of ~190 KB) is required, not imported: an ES import of it made every
    // worker start scan it for named exports (cli/dev/host/functions-library.ts).
    expect(statics).not.toContain('@azure/functions');
    expect(text).toMatch(/createRequire\d*\(import\.meta\.url\)\(\s*"@azure\/functions"\s*\)/);
    expect(statics.filter((s) => s?.startsWith('@azure/storage') || s === '@azure/cosmos')).toEqual(
      [],
    );
    expect(text).toMatch(/import\("\.\/host-chunks\/queue-triggers-[^"]+\.js"\)/);
  });
});
