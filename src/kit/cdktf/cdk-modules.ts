import { createRequire } from 'node:module';
import type * as Cdktf from 'cdktf';
import type * as Constructs from 'constructs';
import type { AzurermModules } from './azurerm-modules.js';

// cdktf, constructs and the azurerm bindings are CommonJS packages. `require`d, they load through Node's CommonJS
// loader alone. `import`ed from our ES modules, Node 20 first reads each file to detect its format, scans it
// with cjs-module-lexer for named exports, and, while a loader hook is registered (tsx, which runs every
// TypeScript entry), sends every nested `require` to the hook thread and back. Measured under tsx on cdktf and
// the 14 bindings a default backend uses: 512–536 ms imported, 278–326 ms required (docs/performance.md).
// The instances are the same either way (Node keeps one cache), so a user's `import { App } from 'cdktf'` and
// these classes are one cdktf.
const requireCjs = createRequire(import.meta.url);

/**
 * cdktf, loaded through Node's CommonJS loader (see above). Only the apply layer imports this file.
 *
 * @example
 * ```ts
 * new cdktf.TerraformOutput(scope, 'endpoint', { value: account.endpoint });
 * ```
 */
export const cdktf = requireCjs('cdktf') as typeof Cdktf;

/**
 * constructs, loaded the same way as {@link cdktf}.
 *
 * @example
 * ```ts
 * class Group extends constructs.Construct {}
 * ```
 */
export const constructs = requireCjs('constructs') as typeof Constructs;

/**
 * One azurerm binding module, loaded on first use: a backend loads the bindings of the resource types its
 * plan holds and no others (the Front Door, network and Linux Function App bindings alone are 5 MiB of
 * JavaScript a default backend never runs).
 *
 * @example
 * ```ts
 * const { StorageAccount } = azurerm('storage-account');
 * new StorageAccount(scope, id, { ... });
 * ```
 */
export function azurerm<K extends keyof AzurermModules>(name: K): AzurermModules[K] {
  return loadOnce(loadedAzurerm, name, () =>
    requireCjs(`@cdktf/provider-azurerm/lib/${name}/index.js`),
  ) as AzurermModules[K];
}

const loadedAzurerm = new Map<string, unknown>();

/**
 * `modules.get(name)`, loaded by `load` on first use. Provisioners ask for a binding per resource (a backend of
 * 100 CrudApis asks some hundreds of times); `require` resolves the path again on every call, and under a loader hook
 * (tsx) each resolution goes through the hook: measured ~14 ms of a 100-CrudApi apply.
 *
 * @example
 * ```ts
 * const provider = loadOnce(loaded, 'provider', () => requireCjs('@cdktf/provider-time/lib/provider/index.js'));
 * ```
 */
export function loadOnce(
  modules: Map<string, unknown>,
  name: string,
  load: () => unknown,
): unknown {
  let loaded = modules.get(name);
  if (loaded === undefined) {
    loaded = load();
    modules.set(name, loaded);
  }
  return loaded;
}
