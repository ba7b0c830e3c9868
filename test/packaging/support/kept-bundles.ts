import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostedFunction } from '../../../src/model/requirements.js';

/** One HTTP function `Hello-greet` (GET /greet) whose handler is `handler`, relative to the project. */
export function helloFunction(handler: string): HostedFunction {
  return {
    name: 'Hello-greet',
    componentId: 'Hello',
    trigger: 'http',
    route: 'greet',
    methods: ['GET'],
    handler,
  } as unknown as HostedFunction;
}

/**
 * dev's kept bundles of the project in `dir` (src/packaging/bundle-cache.ts) whose `meta.json` — every input esbuild
 * read, the compiler option files among them — mentions `needle`.
 */
export function keptBundleFolders(dir: string, needle: string): string[] {
  const root = join(dir, 'node_modules', '.cache', 'atakora', 'dev-bundles');
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((f) => {
      try {
        return readFileSync(join(f, 'meta.json'), 'utf8').includes(needle);
      } catch {
        return false;
      }
    });
}
