#!/usr/bin/env node
// Packaging linters on the tarball `npm pack` would publish: publint (package.json fields vs. the files that
// ship) and Are The Types Wrong (types resolution of every `exports` entry). Both read only the local tarball:
// no registry access. Run after `npm run build`:  node scripts/check-package.mjs
// The linters are devDependencies, run with `npx --no-install --package=<name>` so a missing install fails
// instead of downloading (and a bare `npx attw` would pick an unrelated registry package named `attw`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', shell, ...opts });
  if (r.error) console.error(r.error.message);
  return r.status ?? 1;
}

if (
  !existsSync(join(repoRoot, 'dist/index.js')) ||
  !existsSync(join(repoRoot, 'dist/runtime-app/host.json'))
) {
  console.error('check-package: dist/ is missing or incomplete; run `npm run build` first.');
  process.exit(2);
}

const packDir = mkdtempSync(join(tmpdir(), 'atakora-check-package-'));
let failed = [];
try {
  // Pack once into a temp dir (never into the work tree) and lint that exact tarball with both tools.
  // --ignore-scripts: the package's prepack builds; dist/ was just checked, so pack it as it is (no second build).
  const pack = spawnSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir],
    { cwd: repoRoot, encoding: 'utf8', shell },
  );
  if (pack.status !== 0) {
    console.error(pack.stderr);
    throw new Error(`npm pack exited ${pack.status}`);
  }
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  const tarball = join(packDir, info.filename);
  console.log(
    `packed ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KiB (${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked)`,
  );

  // publint: --strict turns warnings into failures; suggestions are printed but never fail the check.
  if (
    run('npx', ['--no-install', '--package=publint', 'publint', 'run', tarball, '--strict']) !== 0
  )
    failed.push('publint');

  // attw: `--profile esm-only` ignores the node10 and node16-from-CJS resolutions, and nothing else. The package
  // is `"type": "module"` with import-only `exports` on purpose (Node >= 20.19 can require() ESM anyway), so:
  //  - node10 ("Resolution failed" for every subpath): node10 resolution does not read `exports`, so subpaths
  //    cannot resolve there; only the root resolves via top-level `types`/`main`. TypeScript's `node10`
  //    moduleResolution is legacy and cannot consume subpath exports of any package.
  //  - node16 from CJS ("ESM (dynamic import only)", CJSResolvesToESM): true by design; we ship no CJS build.
  // Every other rule (bad types, masquerading CJS/ESM, missing exports, fallback conditions...) stays an error,
  // and the node16-from-ESM and bundler resolutions must be clean.
  if (
    run('npx', [
      '--no-install',
      '--package=@arethetypeswrong/cli',
      'attw',
      tarball,
      '--profile',
      'esm-only',
    ]) !== 0
  )
    failed.push('attw');
} catch (e) {
  console.error(`check-package: ${e instanceof Error ? e.message : e}`);
  failed.push('npm pack');
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error(`\ncheck-package: FAILED (${failed.join(', ')})`);
  process.exit(1);
}
console.log('\ncheck-package: publint and attw passed');
