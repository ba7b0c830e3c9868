import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { componentIdentitySetting } from '../../../src/kit/pure/names/component-identity.js';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeManifest,
} from '../../../src/model/runtime-manifest.js';
import { deadline } from '../../support/patience.js';
import { timedStart } from '../../support/profile.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
const support = join(repo, 'test/runtime/support');

/** One function invocation for the worker stand-in (host-standin.cjs `--requests`). */
export interface Invocation {
  readonly function: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly params?: Record<string, string>;
  readonly body?: string;
}

/** A response of the built app, as the stand-in reports it. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly ms: number;
}

/** The built Function App (scripts/build-runtime.mjs) in a temporary folder. */
export interface BuiltApp {
  readonly dir: string;
  /**
   * Invoke functions in turn in a worker stand-in whose only configuration is `env` (the app settings): a fresh
   * one, or with `warm` the one kept for these settings.
   */
  invoke(env: Record<string, string>, requests: readonly Invocation[]): Promise<Answer[]>;
  /** As {@link BuiltApp.invoke}, with what the app registered. */
  host(env: Record<string, string>, requests: readonly Invocation[]): Promise<HostResult>;
  remove(): Promise<void>;
}

/**
 * The runtime package built the way `npm run build` does, in its own folder. The build (esbuild, ~6 s) is made
 * once per state of its inputs and copied: see {@link sharedRuntimeBuild}.
 */
export async function buildApp(
  prefix: string,
  options: { readonly warm?: boolean } = {},
): Promise<BuiltApp> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(await sharedRuntimeBuild(), dir, { recursive: true });
  // warm: one worker stand-in per distinct `env`, kept between invokes as the host keeps a worker between
  // invocations (a cold one per invoke costs a Node start and the bundle's load, ~0.3 CPU-s).
  const hosts = new Map<string, ServedHost>();
  const host = (env: Record<string, string>, requests: readonly Invocation[]) => {
    if (!options.warm) return runHost(dir, env, requests);
    const key = JSON.stringify(env);
    let served = hosts.get(key);
    if (!served) hosts.set(key, (served = serveHost(dir, env)));
    return served.invoke(requests);
  };
  return {
    dir,
    host,
    invoke: async (env, requests) => (await host(env, requests)).responses,
    async remove() {
      await Promise.all([...hosts.values()].map((h) => h.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every file the runtime bundle is made of: every source file, the build script, and the lockfile (node_modules). */
async function inputFiles(): Promise<
  { readonly file: string; readonly mtimeMs?: number; readonly size?: number }[]
> {
  const files = [
    join(repo, 'scripts/build-runtime.mjs'),
    join(repo, 'package-lock.json'),
    ...(await readdir(join(repo, 'src'), { recursive: true }))
      .map((f) => join(repo, 'src', f))
      .sort(),
  ];
  const out = [];
  for (const file of files) {
    const s = await stat(file).catch(() => undefined);
    if (s?.isDirectory()) continue;
    out.push(s ? { file, mtimeMs: s.mtimeMs, size: s.size } : { file });
  }
  return out;
}

/** The inputs' state: the size and mtime of each. */
function inputStamp(inputs: Awaited<ReturnType<typeof inputFiles>>): string {
  const hash = createHash('sha256');
  for (const { file, mtimeMs, size } of inputs)
    hash.update(
      `${relative(repo, file)}\0${mtimeMs === undefined ? 'absent' : `${size}:${mtimeMs}`}\n`,
    );
  return hash.digest('hex').slice(0, 16);
}

/**
 * Copy dist/runtime-app into `out` when `npm run build` made it after the last change of every input (npm test
 * builds just before the suite: the same script, the same sources, so the same bytes), and say whether it did.
 * build-runtime.mjs empties and re-creates its folder as it starts, so the folder's birth time is when the build
 * read its inputs. The one difference a build into `out` would make: the source map's relative `sources`, which
 * point from the output folder to the files (rewritten here, in esbuild's own layout: byte for byte the map a
 * build there writes; `final` has the same depth as `out`).
 */
async function copiedFromDist(
  inputs: Awaited<ReturnType<typeof inputFiles>>,
  out: string,
  final: string,
): Promise<boolean> {
  const dist = join(repo, 'dist/runtime-app');
  const built = await stat(dist).catch(() => undefined);
  // birthtimeMs is 0 where the file system does not keep it: build instead.
  if (!built?.birthtimeMs || !(await stat(join(dist, 'index.js.map')).catch(() => undefined)))
    return false;
  if (inputs.some((i) => i.mtimeMs === undefined || i.mtimeMs >= built.birthtimeMs)) return false;
  await rm(out, { recursive: true, force: true });
  await cp(dist, out, { recursive: true });
  const map = join(out, 'index.js.map');
  const text = await readFile(map, 'utf8');
  let rewritten = false;
  const moved = text.replace(
    /^( {2}"sources": )(\[.*\])(,)$/m,
    (_, head: string, list: string, tail: string) => {
      rewritten = true;
      const sources = (JSON.parse(list) as string[]).map((s) =>
        /^[a-z][\w+.-]*:/i.test(s) ? s : relative(final, resolve(dist, s)),
      );
      return `${head}[${sources.map((s) => JSON.stringify(s)).join(', ')}]${tail}`;
    },
  );
  if (!rewritten) return false; // esbuild laid the map out otherwise: build instead.
  await writeFile(map, moved);
  return true;
}

/** Whether process `pid` is alive (signal 0 only asks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let shared: Promise<string> | undefined;
/**
 * The folder of a runtime build of the current sources, shared by the test files (each gets its own copy): the
 * four suites that load the built app used to run scripts/build-runtime.mjs each, ~6 s of esbuild apiece. Keyed
 * by the size and mtime of every file under src/, the build script and package-lock.json, so an edit rebuilds;
 * built beside the copies' folders (same depth under the temp dir, so the source map's relative paths hold) and
 * renamed into place when complete; a lock folder keeps two workers from building it at once (a lock whose process is
 * gone is a crashed run's and is taken over). Older builds of this checkout are removed. When `npm run build` has
 * just built dist/runtime-app from the same inputs (npm test does, before the suite), that build is copied instead of
 * made again (~3.5 CPU-s of esbuild saved: {@link copiedFromDist}).
 */
export function sharedRuntimeBuild(): Promise<string> {
  shared ??= (async () => {
    const base = `atakora-runtime-${createHash('sha256').update(repo).digest('hex').slice(0, 8)}`;
    const inputs = await inputFiles();
    const final = join(tmpdir(), `${base}-${inputStamp(inputs)}`);
    const lock = `${final}.lock`;
    for (;;) {
      if (
        await stat(join(final, 'index.js')).then(
          () => true,
          () => false,
        )
      )
        return final;
      try {
        await mkdir(lock);
        await writeFile(join(lock, 'pid'), String(process.pid));
      } catch {
        // The builder holds the lock while its process lives, however long a loaded machine makes the build: a
        // lock whose process is gone is a crashed run's (a lock without its pid yet, only once it is old).
        const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
        const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
        if (holder ? !alive(holder) : age > deadline(120_000))
          await rm(lock, { recursive: true, force: true });
        else await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      try {
        const building = `${final}.tmp`;
        if (
          !(await timedStart('runtime build (from dist/)', () =>
            copiedFromDist(inputs, building, final),
          ))
        )
          await timedStart('runtime build (esbuild)', () =>
            run(process.execPath, [join(repo, 'scripts/build-runtime.mjs'), '--out', building], {
              cwd: repo,
            }),
          );
        await rm(final, { recursive: true, force: true });
        await rename(building, final);
        for (const old of await readdir(tmpdir())) {
          if (old.startsWith(`${base}-`) && join(tmpdir(), old) !== final && !old.endsWith('.lock'))
            await rm(join(tmpdir(), old), { recursive: true, force: true });
        }
        return final;
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    }
  })();
  return shared;
}

/**
 * The app settings apply writes for `entities`, pointing at a local Cosmos DB and identity endpoint: each
 * entity's container is named by `containerOf` in database `db`, its identity's client id is its component id.
 */
export function appSettings(
  entities: readonly RuntimeEntity[],
  where: {
    cosmosEndpoint: string;
    identityEndpoint: string;
    identityHeader: string;
    db: string;
    containerOf: (e: RuntimeEntity) => string;
    auth?: RuntimeAuth;
    timeoutMs?: number;
  },
): Record<string, string> {
  const withIdentity = entities.map((e) => ({
    ...e,
    settings: { ...e.settings, clientId: componentIdentitySetting(e.componentId) },
  }));
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'shop',
    entities: withIdentity,
    ...(where.auth ? { auth: where.auth } : {}),
  };
  const s: Record<string, string> = {
    ATAKORA_MANIFEST: JSON.stringify(manifest),
    IDENTITY_ENDPOINT: where.identityEndpoint,
    IDENTITY_HEADER: where.identityHeader,
    ...(where.timeoutMs ? { ATAKORA_COSMOS_TIMEOUT_MS: String(where.timeoutMs) } : {}),
  };
  for (const e of withIdentity) {
    s[e.settings.endpoint] = `${where.cosmosEndpoint}/`;
    s[e.settings.database] = where.db;
    s[e.settings.container] = where.containerOf(e);
    s[e.settings.clientId!] = `client-${e.componentId}`;
  }
  return s;
}

/** The `x-ms-client-principal` App Service authentication injects: base64 JSON of the claims. */
export function principalHeader(
  claims: readonly (readonly [string, string])[],
): Record<string, string> {
  const value = {
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: 'roles',
    claims: claims.map(([typ, val]) => ({ typ, val })),
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

/** What the worker stand-in reports: the functions `main` registered and the answer to each invocation. */
export interface HostResult {
  readonly functions: readonly {
    readonly name: string;
    readonly bindings: Record<string, Record<string, unknown>>;
  }[];
  readonly responses: Answer[];
}

/** The child's environment: only the app settings, the stub functions-core and PATH. */
const hostEnv = (env: Record<string, string>): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NODE_PATH: join(support, 'functions-core-stub'),
  // The local server's bundled certificate has expired: verification is off in the child only.
  NODE_TLS_REJECT_UNAUTHORIZED: '0',
  ...env,
});

/** A worker stand-in kept running (host-standin.cjs `--serve`): batches of invocations in turn, one app load. */
interface ServedHost {
  invoke(requests: readonly Invocation[]): Promise<HostResult>;
  stop(): Promise<void>;
}

function serveHost(dir: string, env: Record<string, string>): ServedHost {
  const child = spawn(process.execPath, [join(support, 'host-standin.cjs'), dir, '--serve'], {
    cwd: dir,
    env: hostEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // The first result line is the load's (what registered); then one per batch, in the order sent.
  const waiting: { done: (r: HostResult) => void; fail: (e: Error) => void }[] = [];
  let loaded = false;
  let ended: Error | undefined;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.startsWith('@@RESULT@@'))) {
      if (!loaded) loaded = true;
      else waiting.shift()?.done(JSON.parse(line.slice('@@RESULT@@'.length)) as HostResult);
    }
  });
  child.on('exit', (code) => {
    ended = new Error(`host exited (${code}) without a result:\n${stdout}\n${stderr}`);
    for (const w of waiting.splice(0)) w.fail(ended);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    async invoke(requests) {
      if (ended) throw ended;
      const result = new Promise<HostResult>((done, fail) => waiting.push({ done, fail }));
      child.stdin.write(`${JSON.stringify(requests)}\n`);
      return result;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
    },
  };
}

/**
 * Load the app in `dir` in a fresh worker stand-in (host-standin.cjs) whose only configuration is `env` (the
 * app settings) and invoke functions in turn. Resolves on the result line and then ends the child, which a
 * hung identity request would otherwise keep alive.
 */
export async function runHost(
  dir: string,
  env: Record<string, string>,
  requests: readonly Invocation[],
): Promise<HostResult> {
  const file = join(dir, `requests-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(requests));
  const child = spawn(
    process.execPath,
    [join(support, 'host-standin.cjs'), dir, '--requests', file],
    {
      cwd: dir,
      env: hostEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    return await new Promise<HostResult>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout
          .split('\n')
          .find((l, i, all) => l.startsWith('@@RESULT@@') && i < all.length - 1);
        if (line) done(JSON.parse(line.slice('@@RESULT@@'.length)) as HostResult);
      });
      child.on('exit', (code) =>
        fail(new Error(`host exited (${code}) without a result:\n${stdout}\n${stderr}`)),
      );
    });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
