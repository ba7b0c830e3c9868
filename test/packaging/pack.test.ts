/**
 * Packaging: what `npm pack` ships, and that a consumer project can use every subpath export of the packed
 * tarball (runtime imports, a cdktf synth that needs the bundled Functions app, TypeScript types under
 * NodeNext, and the `atakora` bin).
 *
 * Runs after `npm run build` (as `npm test` does): it packs the current `dist/`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_PACKAGES } from '../support/engine-names.js';
import { HANG_MS, deadline } from '../support/patience.js';
import { stagePackage } from './support/pack-stage.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkgJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
  exports: Record<string, string | { types?: string; default?: string }>;
};
const PKG = pkgJson.name; // '@atakora/component'

/** One known runtime export per subpath; the test fails if `exports` gains an entry this table lacks. */
const KNOWN_EXPORT: Record<string, string> = {
  '.': 'defineBackend',
  './backend': 'defineBackend',
  './crud': 'CrudApi',
  './functions': 'FunctionsApp',
  './web': 'StaticSite',
  './cdk': 'ResourceGroupStack',
  './testing': 'synthBackend',
  './runtime': 'parseManifest',
  './client': 'createClient',
  './files': 'defineFileStore',
  './elements': 'configure',
};

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}
interface PackResult {
  filename: string;
  files: PackedFile[];
  entryCount: number;
  size: number;
  unpackedSize: number;
}

let workDir = '';
let consumerDir = '';
let tarball = '';
let packed: PackResult;

/** Run node in the consumer project; returns stdout, failing with stderr on a non-zero exit. */
function runNode(args: string[]): string {
  const r = spawnSync(process.execPath, args, {
    cwd: consumerDir,
    encoding: 'utf8',
    // spawnSync blocks the worker, so vitest's own timeout cannot end a hung child: this bound does (a hang only).
    timeout: HANG_MS,
  });
  if (r.status !== 0) {
    throw new Error(
      `node ${args.slice(0, 2).join(' ')} … exited ${r.status ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/** Every .ts file under dir (the sources whose messages name docs pages). */
function srcFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? srcFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const specifierOf = (subpath: string) => (subpath === '.' ? PKG : `${PKG}/${subpath.slice(2)}`);

beforeAll(() => {
  if (
    !existsSync(join(repoRoot, 'dist/index.js')) ||
    !existsSync(join(repoRoot, 'dist/runtime-app/host.json'))
  ) {
    throw new Error('dist/ is missing or incomplete: run `npm run build` first (npm test does).');
  }
  workDir = mkdtempSync(join(tmpdir(), 'atakora-pack-'));
  const packDir = join(workDir, 'pack');
  mkdirSync(packDir);
  // The repository without node_modules (support/pack-stage.ts: npm reads every installed package.json there only to
  // find bundled dependencies, of which package.json declares none — asserted below).
  const stage = join(workDir, 'stage');
  stagePackage(repoRoot, stage);
  // --ignore-scripts: the package's prepack runs `npm run build`, which would delete dist/ under the other
  // tests; npm test has just built it. --json lists the files.
  const r = spawnSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir],
    {
      cwd: stage,
      encoding: 'utf8',
      timeout: HANG_MS,
      shell: process.platform === 'win32',
    },
  );
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const json = r.stdout.slice(r.stdout.indexOf('['));
  const results = JSON.parse(json) as PackResult[];
  if (results.length !== 1 || !results[0])
    throw new Error(`npm pack --json printed ${results.length} results:\n${r.stdout}`);
  packed = results[0];
  tarball = join(packDir, packed.filename);

  // The consumer project. A real `npm install <tarball>` would resolve the package's dependencies and peers
  // (the engine and its azurerm bindings, @azure/*: ~600 MB) from the registry on every run. Instead we extract the
  // tarball where npm would put it and link the repo's already-installed node_modules entries beside it, so
  // bare specifiers resolve exactly as they would for a consumer while the package itself is the packed copy
  // (a real directory, so its own `import.meta.url` and `dist/runtime-app` lookup point into the tarball's
  // files, never back at the repo).
  consumerDir = join(workDir, 'consumer');
  const nm = join(consumerDir, 'node_modules');
  const [scope, name] = PKG.split('/') as [string, string];
  const target = join(nm, scope, name);
  mkdirSync(target, { recursive: true });
  writeFileSync(
    join(consumerDir, 'package.json'),
    JSON.stringify({ name: 'atakora-pack-consumer', private: true, type: 'module' }, null, 2),
  );
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const repoNm = join(repoRoot, 'node_modules');
  for (const entry of readdirSync(repoNm)) {
    if (entry.startsWith('.')) continue; // .bin, .package-lock.json, caches: not packages
    if (entry === scope) {
      // Our own scope: link its other packages, keep the extracted one.
      for (const sub of readdirSync(join(repoNm, entry))) {
        if (sub !== name) symlinkSync(join(repoNm, entry, sub), join(nm, entry, sub), 'junction');
      }
      continue;
    }
    symlinkSync(join(repoNm, entry), join(nm, entry), 'junction');
  }
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/**
 * What the consumer's scripts below print, each a module of the consumer project that imports the packed copy as a
 * user's code does. They run one after another in one Node process (scenario runner below), not one process each:
 * five fresh imports of the package and its engine were ~5 CPU-s of the file's children; what each proves is the
 * same (the packed copy is what resolves: each import names a bare specifier of the consumer's node_modules).
 */
const SCENARIOS: Record<string, string> = {
  imports: `
      const known = ${JSON.stringify(KNOWN_EXPORT)};
      const out = {};
      for (const [subpath, name] of Object.entries(known)) {
        const spec = subpath === '.' ? ${JSON.stringify(PKG)} : ${JSON.stringify(PKG)} + '/' + subpath.slice(2);
        const mod = await import(spec);
        out[subpath] = { resolved: import.meta.resolve(spec), type: typeof mod[name], exports: Object.keys(mod).length };
      }
      const pkg = (await import(${JSON.stringify(`${PKG}/package.json`)}, { with: { type: 'json' } })).default;
      out['./package.json'] = { name: pkg.name, version: pkg.version };
      console.log(JSON.stringify(out));
    `,
  marketplace: `
      import { startMarketplaceStandIn } from '${PKG}/testing';
      const m = await startMarketplaceStandIn({ clientSecret: 's', offerId: 'offer' });
      const { subscriptionId, token } = m.purchase({ planId: 'pro' });
      const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
      const t = await fetch(m.base + '/' + tenant + '/oauth2/v2.0/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's',
          scope: '20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default' }).toString(),
      }).then((r) => r.json());
      const call = (path, init = {}) => fetch(m.base + '/api/' + path + '?api-version=2018-08-31', {
        ...init, headers: { authorization: 'Bearer ' + t.access_token, 'content-type': 'application/json', ...init.headers },
      });
      const resolved = await (await call('saas/subscriptions/resolve', { method: 'POST',
        headers: { 'x-ms-marketplace-token': token } })).json();
      const activated = (await call('saas/subscriptions/' + subscriptionId + '/activate', { method: 'POST',
        body: JSON.stringify({ planId: 'pro' }) })).status;
      const config = await fetch(m.base + '/' + tenant + '/v2.0/.well-known/openid-configuration').then((r) => r.json());
      const keys = await fetch(config.jwks_uri).then((r) => r.json());
      console.log(JSON.stringify({ resolved: resolved.id === subscriptionId, activated,
        status: m.subscriptions.get(subscriptionId).status, keys: keys.keys.length, kty: keys.keys[0].kty }));
      await m.close();
    `,
  synth: `
      import { Testing } from '${ENGINE_PACKAGES.cdktf}';
      import { defineBackend } from '${PKG}/backend';
      import { CrudApi } from '${PKG}/crud';
      import { ResourceGroupStack } from '${PKG}/cdk';
      const backend = defineBackend({
        users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } }),
      }, { environment: 'dev', location: 'eastus' });
      const plan = backend.plan();
      const app = Testing.app();
      const stack = new ResourceGroupStack(app, 'PackStack', { resourceGroupName: 'rg-pack', location: 'eastus' });
      backend.apply(stack);
      const json = JSON.parse(Testing.synth(stack));
      console.log(JSON.stringify({
        planned: plan.resources.length,
        errors: plan.issues.filter((i) => i.severity === 'error').length,
        types: Object.keys(json.resource ?? {}).sort(),
        endpoint: backend.components.users.apiEndpoint,
        synth: JSON.stringify(json),
      }));
    `,
  bundle: `
      import { readFileSync } from 'node:fs';
      import { join } from 'node:path';
      import { inflateRawSync } from 'node:zlib';
      import { Testing } from '${ENGINE_PACKAGES.cdktf}';
      import { defineBackend } from '${PKG}/backend';
      import { CrudApi } from '${PKG}/crud';
      import { FunctionsApp } from '${PKG}/functions';
      import { ResourceGroupStack } from '${PKG}/cdk';
      const backend = defineBackend({
        users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } }),
        hooks: FunctionsApp.define('Hooks', { runtime: 'node', functions: { ping: { trigger: 'http', handler: './handlers/ping.mjs' } } }),
      });
      const stack = new ResourceGroupStack(Testing.app(), 'PackStack', { resourceGroupName: 'rg-pack', location: 'eastus' });
      backend.apply(stack);
      const out = Testing.fullSynth(stack);
      const json = JSON.parse(readFileSync(join(out, 'stacks/PackStack/cdk.tf.json'), 'utf8'));
      // One app, so one package blob: the zip Terraform uploads for the app to run.
      const apps = Object.values(json.resource.azurerm_function_app_flex_consumption);
      const blobs = Object.values(json.resource.azurerm_storage_blob);
      const zip = readFileSync(join(out, 'stacks/PackStack', blobs[0].source));
      // index.js is the first deflated entry after host.json: find it through the central directory.
      const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      let p = zip.readUInt32LE(end + 16); const files = {};
      for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
        const n = zip.readUInt16LE(p + 28), size = zip.readUInt32LE(p + 20), local = zip.readUInt32LE(p + 42);
        const name = zip.subarray(p + 46, p + 46 + n).toString();
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const body = zip.subarray(start, start + size);
        files[name] = (zip.readUInt16LE(p + 10) === 8 ? inflateRawSync(body) : body).toString();
        p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
      }
      console.log(JSON.stringify({ apps: apps.length, names: Object.keys(files).sort(), ping: files['index.js'].includes('pong-marker'), crud: files['index.js'].includes('ATAKORA_MANIFEST') }));
    `,
  dns: `
      import { Resolver } from 'node:dns/promises';
      import { startDnsStandIn } from ${JSON.stringify(`${PKG}/testing`)};
      const dns = await startDnsStandIn();
      dns.setTxt('_atakora.Contoso.example', ['atakora-verify=k3x9', 'v=spf1 -all']);
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([dns.address]);
      const found = (await resolver.resolveTxt('_atakora.contoso.example')).map((r) => r.join(''));
      const missing = await resolver.resolveTxt('_atakora.fabrikam.example').catch((e) => e.code);
      await dns.close();
      console.log(JSON.stringify({ address: dns.address, found, missing, asked: dns.asked }));
    `,
};

/**
 * The consumer's type check: tsc's program over its tsconfig (NodeNext, strict, skipLibCheck false), with every
 * diagnostic tsc reports of the consumer's code and of the packed package's declaration files — the two things
 * this test proves — and of the options and the program as a whole; the bodies of other packages' declarations
 * (cdktf's, @azure/*'s, zod's, @types/node's) are not checked: their errors were never ours to fix (the test's
 * rule before: switch skipLibCheck on and note it), and checking them was ~9 of the ~15 CPU-s of a full `tsc`.
 * The packed copy is a real folder of the consumer's node_modules; the other packages are links resolved to the
 * repo's, so a file is the package's exactly when its path is under that folder. Prints the diagnostics as tsc
 * does, then `@@CHECKED@@` and how many of the package's declarations were checked (and any of the repo's dist/,
 * which would mean the consumer resolved the repo, not the tarball).
 */
const TYPE_CHECK = `
  import { createRequire } from 'node:module';
  import { join } from 'node:path';
  // required, not imported: an ES import of TypeScript's 9 MB CommonJS file first scans it for named exports
  // (Node's cjs-module-lexer), ~0.6 CPU-s of nothing this check uses.
  const ts = createRequire(import.meta.url)('typescript');
  const fail = (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\\n')); };
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail });
  // As tsc parses (its default since TypeScript 5.3): a JSDoc comment only where a type error can come from it.
  const host = ts.createCompilerHost(config.options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, configFileParsingDiagnostics: config.errors, host });
  const packedRoot = join(process.cwd(), 'node_modules', ${JSON.stringify(PKG)}) + '/';
  const repoDist = ${JSON.stringify(join(repoRoot, 'dist') + '/')};
  const files = program.getSourceFiles();
  const ours = files.filter((f) => f.isDeclarationFile && f.fileName.startsWith(packedRoot));
  const checked = [...files.filter((f) => !f.isDeclarationFile), ...ours];
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...checked.flatMap((f) => program.getSemanticDiagnostics(f)),
  ];
  process.stdout.write(ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\\n',
  }));
  process.stdout.write('@@CHECKED@@' + JSON.stringify({
    ours: ours.length,
    repo: files.map((f) => f.fileName).filter((f) => f.startsWith(repoDist)),
  }));
  process.exitCode = diagnostics.length === 0 ? 0 : 1;
`;

let scenarioOutput: Record<string, { readonly out?: string; readonly error?: string }> | undefined;

/**
 * The line scenario `name` printed. The first call runs them all in one child: each is a module file of the consumer
 * project (so bare specifiers resolve from its node_modules, as `node -e` in its folder did), imported in turn with
 * its console.log caught; a scenario that throws fails only its own test, with its error.
 */
function scenario(name: string): string {
  if (!scenarioOutput) {
    // The consumer handler the bundle scenario builds into a package.
    mkdirSync(join(consumerDir, 'handlers'), { recursive: true });
    writeFileSync(
      join(consumerDir, 'handlers/ping.mjs'),
      'export default async function ping() { return { status: 200, body: "pong-marker" }; }\n',
    );
    for (const [n, script] of Object.entries(SCENARIOS))
      writeFileSync(join(consumerDir, `scenario-${n}.mjs`), script);
    const runner = `
      const names = ${JSON.stringify(Object.keys(SCENARIOS))};
      const results = {};
      const log = console.log;
      for (const name of names) {
        const lines = [];
        console.log = (...args) => lines.push(args.join(' '));
        try {
          await import('./scenario-' + name + '.mjs');
          results[name] = { out: lines.join('\\n') };
        } catch (e) {
          results[name] = { error: String(e && e.stack || e) };
        }
      }
      console.log = log;
      console.log('@@SCENARIOS@@' + JSON.stringify(results));
      process.exit(0);
    `;
    writeFileSync(join(consumerDir, 'run-scenarios.mjs'), runner);
    const stdout = runNode(['run-scenarios.mjs']);
    const line = stdout.split('\n').find((l) => l.startsWith('@@SCENARIOS@@'));
    if (!line) throw new Error(`the scenario runner printed no result:\n${stdout}`);
    scenarioOutput = JSON.parse(line.slice('@@SCENARIOS@@'.length)) as typeof scenarioOutput;
  }
  const result = scenarioOutput?.[name];
  if (!result || result.error !== undefined || result.out === undefined)
    throw new Error(`consumer scenario ${name} failed:\n${result?.error ?? 'no result'}`);
  return result.out;
}

describe('npm pack', () => {
  const paths = () => packed.files.map((f) => f.path);

  it('builds before a pack or publish (prepack), and names its repository, homepage and issue tracker', () => {
    // A fresh clone has no dist/: without prepack, `npm pack` / `npm publish` shipped package.json and README only.
    expect(pkgJson.scripts['prepack']).toBe('npm run build');
    expect(pkgJson.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
    expect(pkgJson.homepage).toMatch(/^https:\/\//);
    expect(pkgJson.bugs?.url).toMatch(/^https:\/\/.*\/issues$/);
  });

  it('bundles no dependencies (so the copy packed without node_modules packs what the repository packs)', () => {
    // npm packs from node_modules only the packages these fields name; the stage (support/pack-stage.ts) leaves
    // node_modules out. A package that starts bundling one must pack the repository itself again.
    expect(pkgJson.bundleDependencies).toBeUndefined();
    expect(pkgJson.bundledDependencies).toBeUndefined();
  });

  it('ships only package.json, README.md (LICENSE), dist/ and docs/', () => {
    const allowedTop = new Set([
      'package.json',
      'README.md',
      'LICENSE',
      'LICENSE.md',
      'LICENSE.txt',
    ]);
    const stray = paths().filter(
      (p) => !p.startsWith('dist/') && !/^docs\/[^/]+\.md$/.test(p) && !allowedTop.has(p),
    );
    expect(stray).toEqual([]);
    expect(paths()).toContain('package.json');
    expect(paths()).toContain('README.md');
  });

  it('ships no sources, tests, examples or build info', () => {
    const bad = paths().filter(
      (p) =>
        /^(src|test|tests|examples|bench|scripts|type-tests|cdktf\.out|node_modules)\//.test(p) ||
        /(^|\/)[^/]*\.(test|spec)\.[cm]?[jt]sx?(\.map)?$/.test(p) ||
        /(^|\/)[^/]*\.test\.d\.[cm]?ts$/.test(p) ||
        p.endsWith('.tsbuildinfo') ||
        /(^|\/)\.[^/]+$/.test(p) || // dotfiles (.env, .DS_Store, .npmrc)
        (p.endsWith('.ts') && !/\.d\.[cm]?ts$/.test(p)), // TypeScript sources (declarations are fine)
    );
    expect(bad).toEqual([]);
  });

  it('ships every docs page a message or the README points at (they resolve in node_modules/@atakora/component)', () => {
    const sources = [
      readFileSync(join(repoRoot, 'README.md'), 'utf8'),
      ...srcFiles(join(repoRoot, 'src')).map((f) => readFileSync(f, 'utf8')),
    ];
    const linked = new Set(
      sources.flatMap((text) =>
        [...text.matchAll(/\bdocs\/([a-z0-9-]+\.md)/g)].map((m) => `docs/${m[1]!}`),
      ),
    );
    expect(linked.size).toBeGreaterThan(3);
    expect([...linked].filter((d) => !paths().includes(d))).toEqual([]);
  });

  it('contains the Functions runtime bundle and the CLI', () => {
    for (const f of [
      'dist/runtime-app/host.json',
      'dist/runtime-app/index.js',
      'dist/runtime-app/atakora-telemetry.js',
      'dist/runtime-app/atakora-billing.js',
      'dist/runtime-app/package.json',
      // The CRUD runtime as one library, bundled with a consumer's handlers (src/packaging/runtime-library.ts).
      'dist/runtime-lib/atakora-crud-runtime.js',
    ]) {
      expect(paths()).toContain(f);
    }
    for (const bin of Object.values(pkgJson.bin))
      expect(paths()).toContain(bin.replace(/^\.\//, ''));
  });

  it('contains the JavaScript and the .d.ts of every exports entry', () => {
    const missing: string[] = [];
    for (const [subpath, target] of Object.entries(pkgJson.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      if (typeof target !== 'string' && !target.types)
        missing.push(`${subpath}: no "types" condition`);
      if (typeof target !== 'string' && target.types && !/\.d\.[cm]?ts$/.test(target.types))
        missing.push(`${subpath}: types is not a .d.ts`);
      for (const t of targets)
        if (t && !paths().includes(t.replace(/^\.\//, ''))) missing.push(`${subpath}: ${t}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('installed from the tarball into a consumer project', () => {
  it('covers every subpath export', () => {
    const subpaths = Object.keys(pkgJson.exports).filter((s) => s !== './package.json');
    expect(subpaths.sort()).toEqual(Object.keys(KNOWN_EXPORT).sort());
  });

  it('imports every subpath export from the packed copy (ESM)', () => {
    const out = JSON.parse(scenario('imports')) as Record<
      string,
      { resolved?: string; type?: string; name?: string }
    >;
    const packedRoot = pathToFileURL(join(consumerDir, 'node_modules', PKG)).href + '/';
    for (const subpath of Object.keys(KNOWN_EXPORT)) {
      const r = out[subpath]!;
      expect(r.type, `${subpath} exports ${KNOWN_EXPORT[subpath]}`).toBe('function');
      expect(
        r.resolved!.startsWith(packedRoot + 'dist/'),
        `${subpath} resolved to ${r.resolved}`,
      ).toBe(true);
    }
    expect(out['./package.json']).toMatchObject({ name: PKG });
  });

  it('starts the Marketplace stand-in from the packed testing subpath: token, resolve, activate, signed keys', () => {
    const out = JSON.parse(scenario('marketplace')) as Record<string, unknown>;
    expect(out).toEqual({
      resolved: true,
      activated: 200,
      status: 'Subscribed',
      keys: 1,
      kty: 'RSA',
    });
  });

  it('plans a backend and synthesizes it on a ResourceGroupStack (the packed runtime bundle is found)', () => {
    const out = JSON.parse(scenario('synth')) as {
      planned: number;
      errors: number;
      types: string[];
      endpoint: string;
      synth: string;
    };
    expect(out.errors).toBe(0);
    expect(out.planned).toBeGreaterThan(0);
    expect(out.types).toEqual(
      expect.arrayContaining(['azurerm_resource_group', 'azurerm_cosmosdb_account']),
    );
    expect(out.types.some((t) => /function_app/.test(t))).toBe(true);
    expect(out.endpoint).toMatch(/^https:\/\//);
    // The Function App's code is the runtime package prebuilt in the tarball (dist/runtime-package), as a file
    // asset uploaded as the blob the app reads (Flex: released-package.zip in its deployment container).
    expect(out.synth).toMatch(/"source":"assets\/[^"]+\/atakora-runtime-[0-9a-f]{16}\.zip"/);
  });

  it('bundles a consumer handler with the packed runtime into one package (installed layout, esbuild as peer)', () => {
    const out = JSON.parse(scenario('bundle')) as {
      apps: number;
      names: string[];
      ping: boolean;
      crud: boolean;
    };
    expect(out).toEqual({
      apps: 1,
      names: [
        'atakora-billing.js',
        // The invitation e-mail's SDK code, a side file loaded only where tenants.email sends (as billing's).
        'atakora-email.js',
        'atakora-openai.js',
        'atakora-telemetry.js',
        'host.json',
        'index.js',
        'package.json',
      ],
      ping: true,
      crud: true,
    });
  });

  it('type-checks a consumer importing every subpath under NodeNext', () => {
    const index = `
      import { defineBackend as rootDefine, CrudApi as RootCrud, type ResourcePlan } from '${PKG}';
      import { defineBackend, type AppliedBackend } from '${PKG}/backend';
      import { CrudApi } from '${PKG}/crud';
      import { FunctionsApp } from '${PKG}/functions';
      import { StaticSite } from '${PKG}/web';
      import { ResourceGroupStack } from '${PKG}/cdk';
      import { synthBackend, startDnsStandIn, type DnsStandIn, type SynthesizedStack } from '${PKG}/testing';
      import { parseManifest, type RuntimeManifest } from '${PKG}/runtime';
      import pkg from '${PKG}/package.json' with { type: 'json' };

      const backend = defineBackend({
        a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' } }),
      });
      const s: string = backend.components.a.apiEndpoint;
      const plan: ResourcePlan = backend.plan();
      const n: number = plan.resources.length;
      const json: SynthesizedStack = synthBackend(backend);
      const dns: Promise<DnsStandIn> = startDnsStandIn();
      const address: Promise<string> = dns.then((d) => d.address);
      const manifest: RuntimeManifest = parseManifest('{}');
      const applied: (stack: ResourceGroupStack) => AppliedBackend = (stack) => backend.apply(stack);
      const same: typeof defineBackend = rootDefine;
      const crud: typeof CrudApi = RootCrud;
      const ctors: Function[] = [FunctionsApp, StaticSite, ResourceGroupStack];
      const version: string = pkg.version;
      // @ts-expect-error: apiEndpoint is a string, so this must not type-check.
      const wrong: number = backend.components.a.apiEndpoint;
      export { s, n, json, dns, address, manifest, applied, same, crud, ctors, version, wrong };
    `;
    writeFileSync(join(consumerDir, 'index.ts'), index);
    writeFileSync(
      join(consumerDir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            strict: true,
            // false: our .d.ts must hold up on their own (TYPE_CHECK checks the package's and the consumer's
            // files, not the bodies of a dependency's .d.ts: cdktf's or @azure/*'s errors are not ours to fix).
            skipLibCheck: false,
            // TypeScript's own lib.*.d.ts only (not ours, not a dependency's): they hold up in every release, and
            // checking their bodies was ~3 of this tsc's ~14 CPU-s.
            skipDefaultLibCheck: true,
            resolveJsonModule: true,
            noEmit: true,
            types: [],
          },
          files: ['index.ts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(join(consumerDir, 'check-types.mjs'), TYPE_CHECK);
    const r = spawnSync(process.execPath, ['check-types.mjs'], {
      cwd: consumerDir,
      encoding: 'utf8',
      // A strict check over the whole published surface is the suite's heaviest child: on a loaded 2-core machine
      // it took over 60 s. A generous limit, not a timing assertion.
      timeout: deadline(240_000),
    });
    const [diagnostics, summary] = r.stdout.split('@@CHECKED@@');
    expect(`${diagnostics ?? ''}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
    // The packed copy's declarations were checked (the ~270 the consumer reaches), none of the repo's own dist/.
    const checked = JSON.parse(summary ?? '{}') as { ours?: number; repo?: string[] };
    expect(checked.ours).toBeGreaterThan(100);
    expect(checked.repo).toEqual([]);
  });

  it('serves TXT records from the packed DNS stand-in, which node:dns resolves at its address', () => {
    // What the docs tell users to do for verified domains under dev and in tests (docs/enterprise.md).
    const out = JSON.parse(scenario('dns')) as {
      address: string;
      found: string[];
      missing: string;
      asked: string[];
    };
    expect(out.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(out.found.sort()).toEqual(['atakora-verify=k3x9', 'v=spf1 -all']);
    expect(out.missing).toBe('ENOTFOUND');
    expect(out.asked).toEqual(['_atakora.contoso.example', '_atakora.fabrikam.example']);
  });

  it('runs the packed bin', () => {
    const bin = join('node_modules', PKG, pkgJson.bin.atakora!);
    expect(readFileSync(join(consumerDir, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
    const out = runNode([bin, '--help']);
    expect(out).toMatch(/atakora plan <entry>/);
  });
});
