/**
 * How every Function App package is bundled: as one ES module (`index.js` under `"type": "module"`), so that the
 * dependencies bundled into it keep `import.meta`. A CommonJS bundle empties `import.meta`, and an ES build that runs
 * `createRequire(import.meta.url)` when loaded (`@azure/storage-common` 12.4.1, the version npm resolves on Node 20)
 * threw before a single function was registered.
 *
 * The Functions Node.js worker loads package.json "main" with `import()` when it is an ES module (`.mjs`, or `.js`
 * under `"type": "module"`) and with `require()` otherwise (github.com/Azure/azure-functions-nodejs-worker,
 * src/loadScriptFile.ts; the v4 model's package.json "main": https://learn.microsoft.com/azure/azure-functions/
 * functions-reference-node). It provides
 * `@azure/functions-core` only to `require()`, through a Proxy on Module.prototype.require (src/setupCoreModule.ts):
 * `@azure/functions` (CommonJS, bundled) requires it, so the bundle gets a real `require` from `createRequire`, which
 * goes through that Proxy, and esbuild's require shim for CommonJS code uses it.
 *
 * The banner declares `require` at the bundle's top level: minification (always on for packages) renames every
 * bundled module's own top-level `require` (storage-common declares one), so the names never clash.
 */
export const ESM_PACKAGE_BANNER =
  "import { createRequire as __atakoraCreateRequire } from 'node:module';\n" +
  'const require = __atakoraCreateRequire(import.meta.url);';

/** The package's `main`, an ES module by the `"type": "module"` of the package.json beside it. */
export const ESM_PACKAGE_MAIN = 'index.js';

/**
 * The esbuild options that make the bundle an ES module loadable by the worker; spread into a build's options.
 *
 * @example
 * ```ts
 * esbuild.buildSync({ entryPoints: ['main.ts'], bundle: true, minify: true, ...esmPackageOptions() });
 * ```
 */
export function esmPackageOptions(): {
  format: 'esm';
  banner: { js: string };
  minify: true;
} {
  return { format: 'esm', banner: { js: ESM_PACKAGE_BANNER }, minify: true };
}

/**
 * The trace exporter's file in a package, beside `index.js`: the Azure Monitor OpenTelemetry exporter and the SDK
 * (about 0.8 MiB minified, @azure/identity included) bundled on their own from `runtime/telemetry/atakora-telemetry.ts`,
 * so `index.js` stays self-contained and a worker that exports no traces never parses them.
 * `runtime/telemetry/start-telemetry.ts` imports it when `ATAKORA_TRACES` asks for it.
 */
export const TELEMETRY_FILE = 'atakora-telemetry.js';

/**
 * What a package build leaves out of `index.js` ({@link TELEMETRY_FILE}, by the specifier start-telemetry imports it
 * with): esbuild keeps `import('./atakora-telemetry.js')` as written, and the worker resolves it beside `index.js`.
 *
 * @example
 * ```ts
 * esbuild.buildSync({ entryPoints: ['main.ts'], bundle: true, ...esmPackageOptions(), external: [...TELEMETRY_EXTERNAL] });
 * ```
 */
export const TELEMETRY_EXTERNAL: readonly string[] = [`./${TELEMETRY_FILE}`];

/**
 * The billing export's Stripe client in a package, beside `index.js`: the official `stripe` SDK bundled on its own
 * from `runtime/billing/atakora-billing.ts`, imported by the billing timer only in an app whose manifest has
 * `tenants.billing` — every other app never parses it, and users deploying no billing need no `stripe` installed.
 */
export const BILLING_FILE = 'atakora-billing.js';

/**
 * The invitation e-mail's Azure Communication Services client in a package, beside `index.js`: the official
 * `@azure/communication-email` SDK bundled on its own from `runtime/email/atakora-email.ts`, imported only at the
 * first invitation e-mail of an app whose manifest has `tenants.email` — users sending no e-mail need no
 * `@azure/communication-email` installed.
 */
export const EMAIL_FILE = 'atakora-email.js';

/**
 * The embedding client in a package, beside `index.js`: the official `openai` SDK (its `AzureOpenAI`) bundled on its
 * own from `runtime/embed/atakora-openai.ts`, imported only at the first embedding of a CrudApi whose search embeds
 * in Azure (or against a stand-in) — users embedding nothing need no `openai` installed.
 */
export const OPENAI_FILE = 'atakora-openai.js';

/**
 * Every file a package build leaves out of `index.js` and copies beside it instead: the trace exporter, the
 * billing client and the e-mail client, by the specifiers the runtime imports them with.
 *
 * @example
 * ```ts
 * esbuild.buildSync({ entryPoints: ['main.ts'], bundle: true, ...esmPackageOptions(), external: [...SIDE_EXTERNAL] });
 * ```
 */
export const SIDE_EXTERNAL: readonly string[] = [
  ...TELEMETRY_EXTERNAL,
  `./${BILLING_FILE}`,
  `./${EMAIL_FILE}`,
  `./${OPENAI_FILE}`,
];

/**
 * The package.json of a Function App package: `type: module` makes its `main` an ES module for Node and the worker.
 *
 * @example
 * ```ts
 * writeFileSync('package.json', JSON.stringify(esmPackageJson('atakora-app'), null, 2) + '\n');
 * ```
 */
export function esmPackageJson(name: string): Record<string, string | boolean> {
  return { name, version: '1.0.0', private: true, type: 'module', main: ESM_PACKAGE_MAIN };
}
