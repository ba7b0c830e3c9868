import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppPackageRequest } from '../../kit/cdktf/provision-context.js';
import { AtakoraError } from '../../model/errors.js';
import { bundleApp, handlerPath, hostJsonOf, sideFilesOf } from '../../packaging/bundle-app.js';
import { libraryModule } from '../../kit/node/library-files.js';
import { pruneContentHashed, writeContentHashed } from '../../packaging/content-hashed.js';
import { prebuiltRuntimeLibrary } from '../../packaging/runtime-library.js';
import { splitHandler } from '../../packaging/entry-source.js';
import { esmPackageJson } from '../../packaging/esm-package.js';
import { directoryEntries, zipEntries, type ZipEntry } from '../../packaging/zip.js';
import { runtimeAppDir, runtimePackageFile } from '../runtime-asset.js';

/** Packages built at apply: content-hashed, so every project and run can share the folder safely. */
const PACKAGE_DIR = join(tmpdir(), 'atakora-packages');

/**
 * The zip file a Function App runs, or undefined when it ships no code:
 * - a `codePath` app: that folder (it must hold `host.json`), zipped as is;
 * - Node functions: the CRUD runtime (when the app hosts CrudApis) and every handler, bundled into one package;
 * - CrudApis only: the runtime package prebuilt at `npm run build`, used as is.
 * Handler files are checked here, not in the plan, so that planning stays pure (no file system).
 *
 * @example
 * ```ts
 * const file = appPackageFile({ appName: 'func-shop-dev-x1', crudRuntime: true, functions: [] }); // the prebuilt zip
 * ```
 */
export function appPackageFile(
  request: AppPackageRequest,
  workingDir: string = process.cwd(),
  options: { readonly sourceMaps?: boolean } = {},
): string | undefined {
  if (request.codePath !== undefined)
    return codePathPackage(request.codePath, request.codeOwner, workingDir);
  if (request.functions.length === 0) return request.crudRuntime ? runtimePackageFile() : undefined;
  const handlerFiles = new Map<string, string>();
  for (const f of request.functions) {
    if (!f.handler) {
      throw new AtakoraError(
        'FUNCTIONS_HANDLER_MISSING',
        `Function ${f.name} of Node FunctionsApp ${f.componentId} has no handler: the app would deploy ` +
          `without its code.`,
        { path: handlerPath(f) },
      );
    }
    const file = resolve(workingDir, splitHandler(f.handler).file);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new AtakoraError(
        'FUNCTIONS_HANDLER_NOT_FOUND',
        `The handler ${f.handler} of function ${f.name} does not exist (looked for ${file}).`,
        { path: handlerPath(f) },
      );
    }
    handlerFiles.set(f.name, file);
  }
  const runtimeDir = runtimeAppDir();
  const crudRuntime = request.crudRuntime ? libraryModule('runtime', 'start-runtime') : undefined;
  const sourceMaps = options.sourceMaps === true;
  const bundled = bundleApp({
    functions: request.functions,
    handlerFiles,
    workingDir,
    sourceMaps,
    queues: request.queues ?? [],
    ...(crudRuntime ? { crudRuntime, ...runtimeLibraryOption() } : {}),
  });
  // The same bundle (reused by bundleApp while its inputs are unchanged) zips to the same bytes whatever the app's
  // name (the names of its functions are in the bundle's entry): zip it once, write it under each app's stem.
  const memo = zipped.get(bundled);
  const known = memo?.files.get(request.appName);
  if (known !== undefined && existsSync(known)) return known;
  const bytes = memo?.bytes ?? packageBytes(bundled, request, runtimeDir, sourceMaps);
  // Its own stem with source maps (atakora dev): pruning stale packages must never drop the deployable one.
  const file = written(`atakora-${sourceMaps ? 'dev-' : ''}${request.appName}`, bytes);
  zipped.set(bundled, {
    bytes,
    files: (memo?.files ?? new Map<string, string>()).set(request.appName, file),
  });
  return file;
}

/** The prebuilt CRUD runtime library to bundle from, when there is one to use (runtime-library.ts). */
function runtimeLibraryOption(): { runtimeLibrary?: string } {
  const runtimeLibrary = prebuiltRuntimeLibrary();
  return runtimeLibrary ? { runtimeLibrary } : {};
}

/** The package's zip: the bundle, the prebuilt side files, `host.json` and `package.json`. */
function packageBytes(
  bundled: readonly ZipEntry[],
  request: AppPackageRequest,
  runtimeDir: string,
  sourceMaps: boolean,
): Uint8Array {
  const pkg = esmPackageJson('atakora-app');
  // With source maps it is atakora dev's package, unpacked at once by this machine's worker and never uploaded:
  // stored, the same files, without deflating ~13 MB of bundle and map at level 9 (~0.8 CPU-s each first start).
  return zipEntries(
    [
      ...bundled,
      ...sideFilesOf(runtimeDir),
      {
        name: 'host.json',
        data: hostJsonOf(
          runtimeDir,
          request.functions.filter((f) => f.trigger !== 'migration').map((f) => f.name),
        ),
      },
      { name: 'package.json', data: Buffer.from(JSON.stringify(pkg, null, 2) + '\n') },
    ],
    { store: sourceMaps },
  );
}

/**
 * The package's bytes per bundle (by identity), and its file per app name, for bundles reused within this process.
 * A cache of plain data (zip entries → zip bytes → a file on disk), not construct state: the same bundle zips to
 * the same bytes in any stack or app (25 generated backends of test/apply/deploy-rules.test.ts, one bundle, many
 * app names), so it stays a module-level map; a miss only costs a zip.
 */
const zipped = new WeakMap<
  readonly ZipEntry[],
  { readonly bytes: Uint8Array; readonly files: Map<string, string> }
>();

/** Write the package under its content hash and drop the app's stale ones (each code change makes one). */
function written(stem: string, bytes: Uint8Array): string {
  const file = writeContentHashed(PACKAGE_DIR, stem, bytes);
  pruneContentHashed(PACKAGE_DIR, stem, file);
  return file;
}

function codePathPackage(codePath: string, owner: string | undefined, workingDir: string): string {
  const dir = resolve(workingDir, codePath);
  const path = ['components', owner ?? '?', 'config', 'codePath'];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AtakoraError(
      'FUNCTIONS_CODE_PATH_INVALID',
      `codePath ${codePath} is not a folder (looked for ${dir}).`,
      { path },
    );
  }
  if (!existsSync(join(dir, 'host.json'))) {
    throw new AtakoraError(
      'FUNCTIONS_CODE_PATH_INVALID',
      `codePath ${codePath} has no host.json at its top: it is not a Function App folder.`,
      { path },
    );
  }
  return written(`atakora-code-${owner ?? 'app'}`, zipEntries(directoryEntries(dir)));
}
