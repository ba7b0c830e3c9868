/**
 * What each Function App's package holds and the errors when the code is missing.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp, type FunctionsAppConfig } from '../../src/components/functions/index.js';
import { runtimePackageFile } from '../../src/apply/runtime-asset.js';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { directoryEntries, zipEntries } from '../../src/packaging/zip.js';
import { bundleApp, forgetBundles } from '../../src/packaging/bundle-app.js';
import { pruneContentHashed, writeContentHashed } from '../../src/packaging/content-hashed.js';
import { synthText, thrown } from '../support/synth.js';
import { unzip } from './support/unzip.js';
import { appPackages } from '../support/app-packages.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-app-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  const file = join(work, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};
const users = () =>
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } });
const jobs = (config: Partial<FunctionsAppConfig> & Pick<FunctionsAppConfig, 'functions'>) =>
  FunctionsApp.define('Jobs', { runtime: 'node', ...config });

/** The package of the (first) Function App, and every app's package by app name. */
function zipOf(text: string): { path: string; packages: Map<string, string | undefined> } {
  const json = JSON.parse(text) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const packages = appPackages(json.resource);
  return { path: String([...packages.values()][0]), packages };
}

describe('CRUD-only apps: the runtime package prebuilt at npm run build, used as is (13.2)', () => {
  it('deploys the content-hashed prebuilt zip as a FILE asset: synth copies it, zips nothing', () => {
    const prebuilt = runtimePackageFile();
    expect(prebuilt).toMatch(/dist\/runtime-package\/atakora-runtime-[0-9a-f]{16}\.zip$/);
    const name = prebuilt.split('/').pop()!;
    const { path } = zipOf(synthText(defineBackend({ users: users() })).text);
    expect(path.endsWith(`/${name}`)).toBe(true);
    // The prebuilt zip is itself deterministic: the app folder zipped again gives the same bytes.
    const files = unzip(readFileSync(prebuilt));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['host.json', 'index.js', 'package.json']),
    );
    expect(
      zipEntries([...files].map(([n, data]) => ({ name: n, data }))).equals(readFileSync(prebuilt)),
    ).toBe(true);
  });
});

describe('the prebuilt runtime package: a source map of lines, not of texts', () => {
  it("maps index.js to the runtime's sources without carrying their text (what every dev worker reads at start)", () => {
    // Under --enable-source-maps a dev worker reads and parses the whole map as it loads index.js; the sources'
    // text was 8 of its 10.8 MB and no stack trace needs it (scripts/build-runtime.mjs; docs/performance.md).
    const files = unzip(readFileSync(runtimePackageFile()));
    const map = JSON.parse(files.get('index.js.map')!.toString('utf8')) as {
      sources: string[];
      mappings: string;
      sourcesContent?: unknown;
    };
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources.some((s) => s.endsWith('src/runtime/index.ts'))).toBe(true);
    expect(map.mappings.length).toBeGreaterThan(100_000);
    expect(files.get('index.js')!.toString('utf8').trimEnd()).toMatch(
      /\/\/# sourceMappingURL=index\.js\.map$/,
    );
  });
});

describe('the deterministic zip writer', () => {
  it('gives the same bytes whatever the entry order, round-trips, stores incompressible data', () => {
    const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 251));
    const a = zipEntries([
      { name: 'b/x.txt', data: Buffer.from('hello '.repeat(100)) },
      { name: 'a.bin', data: random },
    ]);
    const b = zipEntries([
      { name: 'a.bin', data: random },
      { name: 'b/x.txt', data: Buffer.from('hello '.repeat(100)) },
    ]);
    expect(a.equals(b)).toBe(true);
    const back = unzip(a);
    expect([...back.keys()]).toEqual(['a.bin', 'b/x.txt']);
    expect(back.get('b/x.txt')!.toString()).toBe('hello '.repeat(100));
    expect(back.get('a.bin')!.equals(random)).toBe(true);
    expect(a.length).toBeLessThan(600 + 512); // the text is deflated
    expect(() =>
      zipEntries([
        { name: 'x', data: random },
        { name: 'x', data: random },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('the deterministic zip writer, deflating a large entry again', () => {
  it("gives the bytes a fresh deflate gives, and never one content's bytes for another of the same size", () => {
    // Large (the writer keeps the deflated bodies of entries of 64 KiB and more by their content's digest).
    const big = (step: number) =>
      Buffer.from(Array.from({ length: 200_000 }, (_, i) => ((i * step) >> 4) % 97));
    const first = zipEntries([{ name: 'index.js', data: big(7) }]);
    const again = zipEntries([{ name: 'index.js', data: big(7) }]);
    const other = zipEntries([{ name: 'index.js', data: big(11) }]);
    expect(again.equals(first)).toBe(true);
    expect(first.includes(deflateRawSync(big(7), { level: 9 }))).toBe(true);
    expect(other.includes(deflateRawSync(big(11), { level: 9 }))).toBe(true);
    expect(unzip(again).get('index.js')!.equals(big(7))).toBe(true);
    expect(unzip(other).get('index.js')!.equals(big(11))).toBe(true);
    // Stored (atakora dev's own package): the same files, none deflated.
    const stored = zipEntries([{ name: 'index.js', data: big(7) }], { store: true });
    expect(unzip(stored).get('index.js')!.equals(big(7))).toBe(true);
    expect(stored.length).toBeGreaterThan(big(7).length);
    expect(stored.readUInt16LE(8)).toBe(0); // the local header's method: stored
  });
});

describe('content-hashed package files', () => {
  it('are written once per content; stale builds of the same app are pruned after the grace period, others spared', () => {
    const dir = join(work, 'hashed');
    const v1 = writeContentHashed(dir, 'atakora-func-a', Buffer.from('one'));
    const v2 = writeContentHashed(dir, 'atakora-func-a', Buffer.from('two'));
    const other = writeContentHashed(dir, 'atakora-func-a-b', Buffer.from('one'));
    expect(writeContentHashed(dir, 'atakora-func-a', Buffer.from('one'))).toBe(v1);
    expect(v1).not.toBe(v2);
    pruneContentHashed(dir, 'atakora-func-a', v2);
    expect([existsSync(v1), existsSync(v2)]).toEqual([true, true]); // v1 was used just now
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(v1, old, old);
    utimesSync(other, old, old);
    pruneContentHashed(dir, 'atakora-func-a', v2);
    expect([existsSync(v1), existsSync(v2), existsSync(other)]).toEqual([false, true, true]);
  });
});

describe('bundles within one process', () => {
  it('are reused while no input changed, and rebuilt when a handler (or anything it imports) changes', () => {
    const helper = write('cache/helper.ts', 'export const greeting = "v1-greeting";\n');
    const handler = write(
      'cache/fn.ts',
      'import { greeting } from "./helper.js";\nexport default async function fn(): Promise<string> { return greeting; }\n',
    );
    const request = {
      appName: 'func-cache',
      crudRuntime: false,
      functions: [
        {
          name: 'C-fn',
          componentId: 'C',
          trigger: 'timer' as const,
          schedule: '0 0 * * * *',
          handler,
        },
      ],
    };
    const first = appPackageFile(request)!;
    expect(appPackageFile(request)).toBe(first);
    // Reused, not rebuilt: the very bundle of the last build comes back (a build makes new entries). An identity,
    // not a shorter time, so a loaded machine cannot fail it.
    const bundleRequest = {
      functions: request.functions,
      handlerFiles: new Map([['C-fn', handler]]),
      workingDir: process.cwd(),
      sourceMaps: false,
    };
    const bundled = bundleApp(bundleRequest);
    expect(bundleApp(bundleRequest)).toBe(bundled);
    writeFileSync(helper, 'export const greeting = "v2-greeting";\n');
    utimesSync(helper, new Date(), new Date(Date.now() + 5_000)); // a distinct mtime even on coarse clocks
    const second = appPackageFile(request)!;
    expect(second).not.toBe(first);
    expect(bundleApp(bundleRequest)).not.toBe(bundled);
    const code = unzip(readFileSync(second)).get('index.js')!.toString();
    expect(code).toContain('v2-greeting');
    expect(code).not.toContain('v1-greeting');
  });

  it('a reused bundle under another app name: a file of that name, the bytes a fresh zip of it gives', () => {
    const handler = write(
      'renamed/fn.ts',
      'export default async function fn(): Promise<string> { return "renamed"; }\n',
    );
    const request = (appName: string) => ({
      appName,
      crudRuntime: false,
      functions: [
        {
          name: 'R-fn',
          componentId: 'R',
          trigger: 'timer' as const,
          schedule: '0 0 * * * *',
          handler,
        },
      ],
    });
    const one = appPackageFile(request('func-renamed-one'))!;
    const two = appPackageFile(request('func-renamed-two'))!;
    expect(one.split('/').pop()).toMatch(/^atakora-func-renamed-one-[0-9a-f]{16}\.zip$/);
    expect(two.split('/').pop()).toMatch(/^atakora-func-renamed-two-[0-9a-f]{16}\.zip$/);
    expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    // Built and zipped afresh (no bundle, no zip kept): the same bytes under the second name.
    forgetBundles();
    rmSync(two);
    const fresh = appPackageFile(request('func-renamed-two'))!;
    expect(fresh).toBe(two);
    expect(readFileSync(fresh).equals(readFileSync(one))).toBe(true);
    expect(unzip(readFileSync(fresh)).get('index.js')!.toString()).toContain('renamed');
  });
});

describe('handlers: shape checked at define, files and exports when the package is built', () => {
  it('define refuses a malformed handler, a handler on a non-Node app, and a handler beside codePath', () => {
    const bad = [
      () => jobs({ functions: { a: { trigger: 'http', handler: './src/a' } } }),
      () =>
        jobs({ functions: { a: { trigger: 'http', handler: './src/a.ts#not-an-identifier' } } }),
      () => jobs({ functions: { a: { trigger: 'http', handler: 42 as never } } }),
      () =>
        FunctionsApp.define('Py', {
          runtime: 'python',
          functions: { a: { trigger: 'http', handler: './a.ts' } },
        }),
      () => jobs({ codePath: './app', functions: { a: { trigger: 'http', handler: './a.ts' } } }),
    ];
    for (const f of bad) expect(thrown(f).code).toBe('FUNCTIONS_HANDLER_INVALID');
    expect(thrown(bad[0]!).path).toEqual([
      'components',
      'Jobs',
      'config',
      'functions',
      'a',
      'handler',
    ]);
    expect(thrown(() => jobs({ codePath: '', functions: { a: { trigger: 'http' } } })).code).toBe(
      'FUNCTIONS_CODE_PATH_INVALID',
    );
  });

  it("plans stay pure: a missing file is no plan error; the plan states each app's functions and handlers", () => {
    const plan = defineBackend({
      users: users(),
      jobs: jobs({
        functions: {
          tick: { trigger: 'timer', schedule: '0 0 * * * *', handler: './nowhere.ts#tick' },
        },
      }),
    }).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const app = plan.resources.find((r) => r.key === 'functions:shared')!;
    expect(app.config['crudRuntime']).toBe(true);
    expect(app.config['hostedFunctions']).toEqual([
      {
        name: 'Jobs-tick',
        componentId: 'Jobs',
        trigger: 'timer',
        schedule: '0 0 * * * *',
        handler: './nowhere.ts#tick',
      },
    ]);
  });

  it('apply: a Node function without handler, a missing file, a missing export → errors naming the function', () => {
    const noHandler = thrown(() =>
      synthText(
        defineBackend({
          jobs: jobs({ functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } } }),
        }),
      ),
    );
    expect([noHandler.code, noHandler.path]).toEqual([
      'FUNCTIONS_HANDLER_MISSING',
      ['components', 'Jobs', 'config', 'functions', 'tick', 'handler'],
    ]);
    const missing = thrown(() =>
      synthText(
        defineBackend({
          jobs: jobs({
            functions: {
              tick: { trigger: 'timer', schedule: '0 0 * * * *', handler: join(work, 'nope.ts') },
            },
          }),
        }),
      ),
    );
    expect([missing.code, missing.path]).toEqual([
      'FUNCTIONS_HANDLER_NOT_FOUND',
      ['components', 'Jobs', 'config', 'functions', 'tick', 'handler'],
    ]);
    const file = write('named.ts', 'export async function other(): Promise<void> {}\n');
    const noExport = thrown(() =>
      synthText(
        defineBackend({
          jobs: jobs({
            functions: {
              tick: { trigger: 'timer', schedule: '0 0 * * * *', handler: `${file}#tick` },
            },
          }),
        }),
      ),
    );
    expect([noExport.code, noExport.path]).toEqual([
      'FUNCTIONS_HANDLER_EXPORT_MISSING',
      ['components', 'Jobs', 'config', 'functions', 'tick', 'handler'],
    ]);
    expect(noExport.message).toMatch(/no export "tick"/);
    const broken = write('broken.ts', 'export default async function (: string) {}\n');
    const syntax = thrown(() =>
      synthText(
        defineBackend({
          jobs: jobs({
            functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *', handler: broken } },
          }),
        }),
      ),
    );
    expect(syntax.code).toBe('PACKAGE_BUNDLE_FAILED');
    expect(syntax.message).toMatch(/broken\.ts:1/);
  });

  it('a handler-only app (no CrudApi) gets a package with just its functions, and one without code gets none', () => {
    const file = write('tick.ts', 'export default async function tick(): Promise<void> {}\n');
    const { path } = zipOf(
      synthText(
        defineBackend({
          jobs: jobs({
            version: '20',
            functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *', handler: file } },
          }),
        }),
      ).text,
    );
    expect(path).toMatch(/\/atakora-func-[a-z0-9-]+-[0-9a-f]{16}\.zip$/);
    const python = synthText(
      defineBackend({
        reports: FunctionsApp.define('Reports', {
          runtime: 'python',
          functions: { n: { trigger: 'timer', schedule: '0 0 2 * * *' } },
        }),
      }),
    ).text;
    expect(zipOf(python).path).toBe('undefined');
  });
});

describe('sharing respects code: one package per app, holding exactly the handlers of its consumers', () => {
  it('node 22 handlers join the CRUD package; node 20 handlers get their own app and package', () => {
    const a = write(
      'share/a.ts',
      'export default async function a(): Promise<void> { console.log("handler-a-marker"); }\n',
    );
    const b = write(
      'share/b.ts',
      'export default async function b(): Promise<void> { console.log("handler-b-marker"); }\n',
    );
    const backend = defineBackend(
      {
        users: users(),
        a: FunctionsApp.define('A', {
          runtime: 'node',
          functions: { run: { trigger: 'queue', queueName: 'jobs-a', handler: a } },
        }),
        b: FunctionsApp.define('B', {
          runtime: 'node',
          version: '20',
          functions: { run: { trigger: 'queue', queueName: 'jobs-b', handler: b } },
        }),
      },
      { naming: { uniqueSeed: 'test-subscription/rg' } },
    ); // names known at plan, so the plan's app names are the synthesized ones
    const apps = backend.plan().resources.filter((r) => r.type === 'functions');
    expect(
      apps.map((r) => [
        r.key,
        r.consumers,
        (r.config['hostedFunctions'] as { name: string }[]).map((f) => f.name),
      ]),
    ).toEqual([
      ['functions:node-20', ['B'], ['B-run']],
      ['functions:shared', ['A', 'UserApi'], ['A-run']],
    ]);
    const { packages } = zipOf(synthText(backend).text);
    const code = Object.fromEntries(
      apps.map((r) => {
        const file = appPackageFile({
          appName: r.name,
          crudRuntime: r.config['crudRuntime'] === true,
          functions: r.config['hostedFunctions'] as never,
        });
        expect(String(packages.get(r.name)).endsWith(`/${file!.split('/').pop()!}`)).toBe(true);
        return [r.key, unzip(readFileSync(file!)).get('index.js')!.toString()];
      }),
    );
    expect(code['functions:shared']).toContain('handler-a-marker');
    expect(code['functions:shared']).not.toContain('handler-b-marker');
    expect(code['functions:shared']).toContain('ATAKORA_MANIFEST'); // the CRUD runtime is in the same package
    expect(code['functions:node-20']).toContain('handler-b-marker');
    expect(code['functions:node-20']).not.toContain('ATAKORA_MANIFEST');
  });
});

describe('JavaScript handlers', () => {
  it('bundles an ES module (named export) and a CommonJS module (module.exports), both callable after load', async () => {
    const esm = write(
      'js/hello.mjs',
      'export async function hello(request) { return { status: 200, body: `hello ${request.params.name}` }; }\n',
    );
    const cjs = write(
      'js/bye.cjs',
      'module.exports = async function bye() { return { status: 200, body: "bye" }; };\n',
    );
    const notFn = write('js/value.cjs', 'module.exports = 42;\n');
    const fns = (third: string) => ({
      hello: { trigger: 'http' as const, route: 'hello/{name}', handler: `${esm}#hello` },
      bye: { trigger: 'http' as const, handler: cjs },
      ...(third ? { value: { trigger: 'http' as const, handler: third } } : {}),
    });
    const plan = (third: string) =>
      defineBackend({ web: jobs({ version: '20', functions: fns(third) }) })
        .plan()
        .resources.find((r) => r.type === 'functions')!;
    const load = async (third: string) => {
      const r = plan(third);
      const file = appPackageFile({
        appName: r.name,
        crudRuntime: false,
        functions: r.config['hostedFunctions'] as never,
      })!;
      const dir = join(work, `load-${third ? 'bad' : 'ok'}`);
      for (const [name, data] of unzip(readFileSync(file))) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), data);
      }
      const script = `
        const core = require('@azure/functions-core');
        (async () => {
          // An ES module package: loaded with import(), as the worker loads one.
          await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)});
          // A signed-in caller, as App Service authentication passes one: the package's gate admits only those.
          const headers = new Headers({ 'x-ms-client-principal': ${JSON.stringify(
            Buffer.from(
              JSON.stringify({
                auth_typ: 'aad',
                claims: [
                  { typ: 'oid', val: 'ada' },
                  { typ: 'tid', val: 't1' },
                ],
              }),
            ).toString('base64'),
          )} });
          const call = (n, params) => core.state.functions.find((f) => f.metadata.name === n).callback({ params, headers }, {});
          console.log(JSON.stringify([await call('Jobs-hello', { name: 'ada' }), await call('Jobs-bye', {})]));
        })();`;
      const { execFileSync } = await import('node:child_process');
      return execFileSync(process.execPath, ['-e', script], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_PATH: join(import.meta.dirname, '../runtime/support/functions-core-stub'),
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    };
    expect(JSON.parse(await load(''))).toEqual([
      { status: 200, body: 'hello ada' },
      { status: 200, body: 'bye' },
    ]);
    // A CommonJS export that is not a function cannot be checked at bundle time: loading main fails, naming it.
    await expect(load(notFn)).rejects.toThrow(
      /FUNCTIONS_HANDLER_EXPORT_MISSING: .*value\.cjs of Jobs-value exports number/,
    );
  });
});

describe('codePath: prebuilt packages for other runtimes, never sharing an app', () => {
  it('zips the folder as is, and refuses a folder without host.json', () => {
    write('py-app/host.json', '{"version":"2.0"}\n');
    write('py-app/function_app.py', 'import azure.functions as func\napp = func.FunctionApp()\n');
    const file = appPackageFile({
      appName: 'func-x',
      crudRuntime: false,
      functions: [],
      codePath: join(work, 'py-app'),
      codeOwner: 'Reports',
    });
    expect([...unzip(readFileSync(file!)).keys()]).toEqual(['function_app.py', 'host.json']);
    expect(readFileSync(file!).equals(zipEntries(directoryEntries(join(work, 'py-app'))))).toBe(
      true,
    );
    write('not-an-app/readme.txt', 'x');
    const e = thrown(() =>
      appPackageFile({
        appName: 'func-x',
        crudRuntime: false,
        functions: [],
        codePath: join(work, 'not-an-app'),
        codeOwner: 'Reports',
      }),
    );
    expect([e.code, e.path]).toEqual([
      'FUNCTIONS_CODE_PATH_INVALID',
      ['components', 'Reports', 'config', 'codePath'],
    ]);
  });

  it('two codePath apps of one runtime get separate Function Apps; Node handlers share the CRUD app', () => {
    const timer = { n: { trigger: 'timer' as const, schedule: '0 0 2 * * *' } };
    const backend = defineBackend({
      users: users(),
      jobs: jobs({
        functions: {
          tick: {
            trigger: 'timer',
            schedule: '0 0 * * * *',
            handler: './examples/order-processing/nightly-report.ts#nightlyReport',
          },
        },
      }),
      a: FunctionsApp.define('ReportsA', {
        runtime: 'python',
        codePath: join(work, 'py-app'),
        functions: timer,
      }),
      b: FunctionsApp.define('ReportsB', {
        runtime: 'python',
        codePath: join(work, 'py-app'),
        functions: timer,
      }),
    });
    const apps = backend.plan().resources.filter((r) => r.type === 'functions');
    expect(apps.map((r) => r.consumers)).toEqual(
      expect.arrayContaining([['Jobs', 'UserApi'], ['ReportsA'], ['ReportsB']]),
    );
    expect(apps).toHaveLength(3);
    const { packages } = zipOf(synthText(backend).text);
    const files = [...packages.values()];
    expect(files.every((f) => f?.endsWith('.zip'))).toBe(true);
    expect(new Set(files).size).toBe(3);
  });
});
