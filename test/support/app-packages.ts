/**
 * Where each synthesized Function App's package is, read from the Terraform JSON the way Azure follows it:
 * Flex Consumption reads `released-package.zip` in the container its `storage_container_endpoint` names;
 * Premium and Dedicated apps read the blob `WEBSITE_RUN_FROM_PACKAGE` points at.
 */
export type Resources = Record<string, Record<string, Record<string, unknown>> | undefined>;

/** Function App name → the asset path of the zip Terraform uploads for it (undefined: the app ships no code). */
export function appPackages(resources: Resources): Map<string, string | undefined> {
  const blobs = resources['azurerm_storage_blob'] ?? {};
  const out = new Map<string, string | undefined>();
  for (const app of Object.values(resources['azurerm_function_app_flex_consumption'] ?? {})) {
    const container = /azurerm_storage_container\.([^.]+)\.name/.exec(
      String(app['storage_container_endpoint']),
    )?.[1];
    const blob = Object.values(blobs).find(
      (b) =>
        container !== undefined &&
        String(b['storage_container_name']).includes(`azurerm_storage_container.${container}.`),
    );
    out.set(String(app['name']), blob ? String(blob['source']) : undefined);
  }
  for (const app of Object.values(resources['azurerm_linux_function_app'] ?? {})) {
    const url =
      (app['app_settings'] as Record<string, string> | undefined)?.['WEBSITE_RUN_FROM_PACKAGE'] ??
      '';
    const id = /azurerm_storage_blob\.([^.]+)\.url/.exec(url)?.[1];
    out.set(String(app['name']), id ? String(blobs[id]?.['source']) : undefined);
  }
  return out;
}

/** Every Function App's Terraform attributes, whichever resource type its plan uses. */
export function functionApps(resources: Resources): Record<string, unknown>[] {
  return [
    ...Object.values(resources['azurerm_function_app_flex_consumption'] ?? {}),
    ...Object.values(resources['azurerm_linux_function_app'] ?? {}),
  ];
}

const refOf = (text: unknown, type: string) =>
  new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(String(text))?.[1];

/**
 * Where the synthesized app reads its package, followed through the Terraform JSON as Azure follows it:
 * `<account>/<container>/<blob>` and the URL its attribute holds once applied.
 */
export function packageAddress(resources: Resources): { app: string; path: string; url: string } {
  const accounts = resources['azurerm_storage_account'] ?? {};
  const containers = resources['azurerm_storage_container'] ?? {};
  const blobs = resources['azurerm_storage_blob'] ?? {};
  const flex = Object.values(resources['azurerm_function_app_flex_consumption'] ?? {})[0];
  if (flex) {
    const endpoint = String(flex['storage_container_endpoint']);
    const account = accounts[refOf(endpoint, 'azurerm_storage_account')!]!['name'] as string;
    const containerId = refOf(endpoint, 'azurerm_storage_container')!;
    const container = containers[containerId]!['name'] as string;
    const blob = Object.values(blobs).find(
      (b) => refOf(b['storage_container_name'], 'azurerm_storage_container') === containerId,
    )!['name'] as string;
    return {
      app: flex['name'] as string,
      path: `${account}/${container}/${blob}`,
      url: `https://${account}.blob.core.windows.net/${container}`,
    };
  }
  const app = Object.values(resources['azurerm_linux_function_app'] ?? {})[0]!;
  const run = (app['app_settings'] as Record<string, string>)['WEBSITE_RUN_FROM_PACKAGE'];
  const blob = blobs[refOf(run, 'azurerm_storage_blob')!]!;
  const account = accounts[refOf(blob['storage_account_name'], 'azurerm_storage_account')!]![
    'name'
  ] as string;
  const container = containers[
    refOf(blob['storage_container_name'], 'azurerm_storage_container')!
  ]!['name'] as string;
  const path = `${account}/${container}/${String(blob['name'])}`;
  return {
    app: app['name'] as string,
    path,
    url: `https://${account}.blob.core.windows.net/${container}/${String(blob['name'])}`,
  };
}

/**
 * The modules a bundled package (one ES module, packaging/esm-package.ts) still imports that are not Node built-ins:
 * its static `import … from "x"` specifiers. (`@azure/functions-core`, which the worker provides, is reached through
 * the banner's require, so it is not among them.)
 */
export function nonBuiltinImports(code: string, builtins: readonly string[]): string[] {
  const specifiers = [...code.matchAll(/\b(?:from|import)\s*"([@\w][\w@./:-]*)"/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(specifiers.filter((m) => !m.startsWith('node:') && !builtins.includes(m)))];
}
