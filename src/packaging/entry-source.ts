import type { HostedFunction } from '../model/requirements.js';

/** Where the generated entry imports its parts from (absolute paths). */
export interface EntryModules {
  /** `start-runtime` of the CRUD runtime, when the app hosts CrudApis. */
  readonly crudRuntime?: string;
  /** `register-hosted` of this package. */
  readonly registerHosted: string;
  /** `runtime/settings/hide-unresolved` of this package: imported first, for its effect on `process.env`. */
  readonly hideUnresolved?: string;
  /** `runtime/telemetry/start-telemetry` of this package: the trace export, started before any function. */
  readonly startTelemetry?: string;
  /** Handler module path (absolute) per function name. */
  readonly handlerFiles: ReadonlyMap<string, string>;
}

/** `'./x.ts#name'` → `{ file: './x.ts', exportName: 'name' }`; no `#` → the default export. */
export function splitHandler(handler: string): { file: string; exportName: string } {
  const hash = handler.lastIndexOf('#');
  return hash < 0
    ? { file: handler, exportName: 'default' }
    : { file: handler.slice(0, hash), exportName: handler.slice(hash + 1) };
}

/**
 * The source of a Function App package's `main`: start the CRUD runtime (when hosted) and register every
 * function with its handler. Handlers are imported by name, so esbuild refuses an ES module without that
 * export at apply time; a CommonJS module is checked when the worker loads it.
 *
 * @example
 * ```ts
 * const source = entrySource(functions, { registerHosted: '/pkg/dist/packaging/register-hosted.js', handlerFiles });
 * ```
 */
export function entrySource(functions: readonly HostedFunction[], modules: EntryModules): string {
  const lines = [
    // Before every other module: a handler may read process.env at its top (runtime/settings/hide-unresolved.ts).
    ...(modules.hideUnresolved ? [`import ${JSON.stringify(modules.hideUnresolved)};`] : []),
    `import { app } from '@azure/functions';`,
    `import { registerHostedFunctions } from ${JSON.stringify(modules.registerHosted)};`,
  ];
  if (modules.crudRuntime)
    lines.push(`import { startRuntime } from ${JSON.stringify(modules.crudRuntime)};`);
  if (modules.startTelemetry)
    lines.push(`import { startTelemetry } from ${JSON.stringify(modules.startTelemetry)};`);
  const table: string[] = [];
  const changes: string[] = [];
  const migrations = new Map<string, string[]>();
  for (const [i, f] of functions.entries()) {
    const file = modules.handlerFiles.get(f.name);
    if (!file || !f.handler) continue;
    lines.push(
      `import { ${splitHandler(f.handler).exportName} as h${String(i)} } from ${JSON.stringify(file)};`,
    );
    table.push(`  { ...${JSON.stringify(f)}, exported: h${String(i)} },`);
    if (f.trigger === 'change') changes.push(`${JSON.stringify(f.componentId)}: h${String(i)}`);
    if (f.trigger === 'migration')
      migrations.set(f.componentId, [
        ...(migrations.get(f.componentId) ?? []),
        `${String(f.version)}: h${String(i)}`,
      ]);
  }
  const runtimeOptions = [
    ...(changes.length ? [`changeHandlers: { ${changes.join(', ')} }`] : []),
    ...(migrations.size
      ? [
          `migrations: { ${[...migrations]
            .map(([id, steps]) => `${JSON.stringify(id)}: { ${steps.join(', ')} }`)
            .join(', ')} }`,
        ]
      : []),
  ];
  // The trace export (with `monitoring`): functions invoked while it loads wait for it.
  if (modules.startTelemetry) lines.push('void startTelemetry(process.env, app);');
  // The runtime calls the change handlers itself where no change feed delivers them (atakora dev).
  if (modules.crudRuntime)
    lines.push(
      runtimeOptions.length
        ? `const runtime = startRuntime(app, process.env, { ${runtimeOptions.join(', ')} });`
        : 'const runtime = startRuntime(app, process.env);',
    );
  // The HTTP functions reach the CRUD routes in this process (dataOf, MCP tools) through the runtime's entry.
  lines.push(
    'registerHostedFunctions(app, [',
    ...table,
    modules.crudRuntime ? '], process.env, runtime.ok ? runtime : {});' : ']);',
    '',
  );
  return lines.join('\n');
}
