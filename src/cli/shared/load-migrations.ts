import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AtakoraError } from '../../model/errors.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../resources/types.js';
import type { ItemMigration } from '../../runtime/data/context.js';
import { splitHandler } from '../../packaging/entry-source.js';
import { ESM_PACKAGE_BANNER } from '../../packaging/esm-package.js';

const require = createRequire(import.meta.url);

/** A CrudApi's migration modules: the path (relative to the working folder, `#export` allowed) per version. */
export interface MigrationModules {
  readonly componentId: string;
  readonly modules: Readonly<Record<number, string>>;
}

/**
 * The migration modules of one CrudApi as its Function App hosts them (its `migration` hosted functions): the
 * handler path per version it produces.
 *
 * @example
 * ```ts
 * migrationModulesOf(mergedConfigOf('functions', app).hostedFunctions, 'OrderApi'); // { 2: './migrations/v2.ts' }
 * ```
 */
export function migrationModulesOf(
  hosted: readonly HostedFunction[] | undefined,
  componentId: string,
): Record<number, string> {
  const modules: Record<number, string> = {};
  for (const f of hosted ?? [])
    if (f.trigger === 'migration' && f.componentId === componentId && f.handler)
      modules[f.version ?? 0] = f.handler;
  return modules;
}

/**
 * One CrudApi of a plan as its Function App hosts it: its entity, where its items are (the account endpoint,
 * database and container its app settings name, as the runtime reads them) and its migration modules.
 */
export interface PlannedCrudApi {
  readonly componentId: string;
  readonly entity: RuntimeEntity;
  readonly endpoint: string;
  readonly database: string;
  readonly container: string;
  /** Module path (relative to the working folder, `#export` allowed) per version it produces. */
  readonly migrations: Readonly<Record<number, string>>;
}

/**
 * Every CrudApi of a plan, once each (the first Function App hosting it), in plan order: what `atakora migrate`
 * and the tenant commands walk.
 *
 * @example
 * ```ts
 * plannedCrudApis(backend.plan()).map((c) => c.componentId); // ['NoteApi', 'TaskApi']
 * ```
 */
export function plannedCrudApis(plan: ResourcePlan): PlannedCrudApi[] {
  const found = new Map<string, PlannedCrudApi>();
  for (const app of plan.resources) {
    if (app.type !== 'functions') continue;
    const config = mergedConfigOf('functions', app);
    const settings = (app.config['appSettings'] ?? {}) as Record<string, string>;
    for (const entity of config.crudEntities ?? []) {
      if (found.has(entity.componentId)) continue;
      found.set(entity.componentId, {
        componentId: entity.componentId,
        entity,
        endpoint: settings[entity.settings.endpoint] ?? '',
        database: settings[entity.settings.database] ?? '',
        container: settings[entity.settings.container] ?? '',
        migrations: migrationModulesOf(config.hostedFunctions, entity.componentId),
      });
    }
  }
  return [...found.values()];
}

/**
 * A CrudApi's migration functions (`atakora migrate`'s target, a seed written at an older version), loaded as the Function App's package loads them: each module bundled with
 * esbuild into one ES module (so it may import TypeScript files and packages), then imported, its export taken.
 * A missing file is FUNCTIONS_HANDLER_NOT_FOUND and a module without that export MIGRATE_MODULE_INVALID, both at
 * the module's place in the config.
 *
 * @example
 * ```ts
 * const migrations = await loadMigrations(target, process.cwd()); // { 2: (item) => … }
 * ```
 */
export async function loadMigrations(
  target: MigrationModules,
  workingDir: string,
): Promise<Record<number, ItemMigration>> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = mkdtempSync(join(tmpdir(), 'atakora-migrate-'));
  try {
    const loaded: Record<number, ItemMigration> = {};
    for (const [step, handler] of Object.entries(target.modules)) {
      const path = ['components', target.componentId, 'config', 'migrations', step];
      const { file, exportName } = splitHandler(handler);
      const abs = resolve(workingDir, file);
      if (!existsSync(abs) || !statSync(abs).isFile())
        throw new AtakoraError(
          'FUNCTIONS_HANDLER_NOT_FOUND',
          `The migration ${handler} of ${target.componentId} (step ${step}) does not exist (looked for ${abs}).`,
          { path },
        );
      const bundled = join(out, `v${step}.mjs`);
      let result: import('esbuild').BuildResult;
      try {
        result = esbuild.buildSync({
          entryPoints: [abs],
          absWorkingDir: workingDir,
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'esm',
          banner: { js: ESM_PACKAGE_BANNER },
          write: false,
          outfile: bundled,
          logLevel: 'silent',
        });
      } catch (e) {
        const first = (e as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(e);
        throw new AtakoraError(
          'PACKAGE_BUNDLE_FAILED',
          `Bundling the migration ${handler} failed: ${first}.`,
          { path },
        );
      }
      writeFileSync(bundled, result.outputFiles?.[0]?.contents ?? new Uint8Array());
      const mod = (await import(pathToFileURL(bundled).href)) as Record<string, unknown>;
      // A CommonJS module's exports arrive as the default export.
      const fn =
        mod[exportName] ??
        (exportName === 'default'
          ? undefined
          : (mod['default'] as Record<string, unknown> | undefined)?.[exportName]);
      if (typeof fn !== 'function')
        throw new AtakoraError(
          'MIGRATE_MODULE_INVALID',
          `The migration ${handler} of ${target.componentId} (step ${step}) has no function as its ` +
            `${exportName === 'default' ? 'default export' : `export "${exportName}"`}.`,
          { path },
        );
      loaded[Number(step)] = fn as ItemMigration;
    }
    return loaded;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
