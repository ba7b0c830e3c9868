import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { componentIdentitySetting } from '../../../src/kit/pure/component-identity.js';
import type { RuntimeAuth, RuntimeEntity, RuntimeManifest } from '../../../src/model/runtime-manifest.js';

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
  /** Invoke functions in turn in a fresh worker stand-in whose only configuration is `env` (the app settings). */
  invoke(env: Record<string, string>, requests: readonly Invocation[]): Promise<Answer[]>;
  remove(): Promise<void>;
}

/** Build the runtime package the way `npm run build` does, into its own folder. */
export async function buildApp(prefix: string): Promise<BuiltApp> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await run(process.execPath, [join(repo, 'scripts/build-runtime.mjs'), '--out', dir], { cwd: repo });
  return {
    dir,
    async invoke(env, requests) {
      return (await runHost(dir, env, requests)).responses;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The app settings apply writes for `entities`, pointing at a local Cosmos DB and identity endpoint: each
 * entity's container is named by `containerOf` in database `db`, its identity's client id is its component id.
 */
export function appSettings(
  entities: readonly RuntimeEntity[],
  where: { cosmosEndpoint: string; identityEndpoint: string; identityHeader: string; db: string; containerOf: (e: RuntimeEntity) => string; auth?: RuntimeAuth; timeoutMs?: number },
): Record<string, string> {
  const withIdentity = entities.map((e) => ({ ...e, settings: { ...e.settings, clientId: componentIdentitySetting(e.componentId) } }));
  const manifest: RuntimeManifest = { version: 1, backendId: 'shop', entities: withIdentity, ...(where.auth ? { auth: where.auth } : {}) };
  const s: Record<string, string> = {
    ATAKORA_MANIFEST: JSON.stringify(manifest), IDENTITY_ENDPOINT: where.identityEndpoint, IDENTITY_HEADER: where.identityHeader,
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
export function principalHeader(claims: readonly (readonly [string, string])[]): Record<string, string> {
  const value = { auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims: claims.map(([typ, val]) => ({ typ, val })) };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}

/** What the worker stand-in reports: the functions `main` registered and the answer to each invocation. */
export interface HostResult {
  readonly functions: readonly { readonly name: string; readonly bindings: Record<string, Record<string, unknown>> }[];
  readonly responses: Answer[];
}

/**
 * Load the app in `dir` in a fresh worker stand-in (host-standin.cjs) whose only configuration is `env` (the
 * app settings) and invoke functions in turn. Resolves on the result line and then ends the child, which a
 * hung identity request would otherwise keep alive.
 */
export async function runHost(dir: string, env: Record<string, string>, requests: readonly Invocation[]): Promise<HostResult> {
  const file = join(dir, `requests-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(requests));
  const child = spawn(process.execPath, [join(support, 'host-standin.cjs'), dir, '--requests', file], {
    cwd: dir,
    // The local server's bundled certificate has expired: verification is off in the child only.
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(support, 'functions-core-stub'), NODE_TLS_REJECT_UNAUTHORIZED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    return await new Promise<HostResult>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n').find((l, i, all) => l.startsWith('@@RESULT@@') && i < all.length - 1);
        if (line) done(JSON.parse(line.slice('@@RESULT@@'.length)) as HostResult);
      });
      child.on('exit', (code) => fail(new Error(`host exited (${code}) without a result:\n${stdout}\n${stderr}`)));
    });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
