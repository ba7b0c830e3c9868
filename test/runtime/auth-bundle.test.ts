import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { type BuiltApp, buildApp } from './support/built-app.js';
import { noteEntity, userEntity } from './support/entities.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
let outDir: string;
let app: BuiltApp | undefined;

// Loads the built app like the worker does (stub @azure/functions-core on NODE_PATH) and invokes one function.
const STANDIN = `'use strict';
const path = require('node:path');
const [appDir, fnName, method, url, headersJson] = process.argv.slice(2);
const core = require('@azure/functions-core');
require(path.join(appDir, 'index.js'));
(async () => {
  const fn = core.state.functions.find((f) => f.metadata.name === fnName);
  const u = new URL(url);
  const request = { method, url, headers: new Headers(JSON.parse(headersJson)), query: u.searchParams, params: {} };
  const context = { invocationId: 'standin', functionName: fnName, log() {}, error() {}, warn() {}, trace() {}, debug() {}, info() {} };
  const r = await fn.callback(request, context);
  process.stdout.write('\\n@@RESULT@@' + JSON.stringify({ status: r.status, headers: r.headers, body: r.body }) + '\\n');
})().catch((e) => { console.error(e); process.exit(1); });
`;

function settingsOf(manifest: RuntimeManifest): Record<string, string> {
  const s: Record<string, string> = { ATAKORA_MANIFEST: JSON.stringify(manifest) };
  for (const e of manifest.entities) {
    s[e.settings.endpoint] = 'https://cosmos-shop-dev.documents.azure.com:443/';
    s[e.settings.database] = 'shop';
    s[e.settings.container] = e.route;
  }
  return s;
}

async function call(
  manifest: RuntimeManifest,
  fnName: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
) {
  const { stdout, stderr } = await run(
    process.execPath,
    [
      join(outDir, 'standin.cjs'),
      outDir,
      fnName,
      method,
      `https://app.test/api/${path}`,
      JSON.stringify(headers),
    ],
    {
      cwd: outDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(repo, 'test/runtime/support/functions-core-stub'),
        ...settingsOf(manifest),
      },
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  if (!line) throw new Error(`no result:\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice('@@RESULT@@'.length)) as {
    status: number;
    headers: Record<string, string>;
    body: string;
  };
}

// A copy of the runtime build the runtime suites share (support/built-app.ts: built once per state of the sources,
// or copied from dist/ after `npm run build`), not a build of its own: the same script's output, ~3.5 CPU-s less.
beforeAll(async () => {
  app = await buildApp('atakora-auth-app-');
  outDir = app.dir;
  await writeFile(join(outDir, 'standin.cjs'), STANDIN);
});
afterAll(async () => {
  await app?.remove();
});

describe('the built runtime refuses callers without a client principal', () => {
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'shop',
    entities: [userEntity, noteEntity],
  };

  it('401 on CRUD routes without x-ms-client-principal (a manifest without auth means auth on); a spoofed x-tenant-id is no credential', async () => {
    const r = await call(manifest, 'NoteApi-collection', 'GET', 'notes', {
      'x-tenant-id': 'tenant-b',
    });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).type).toBe('urn:atakora:problem:unauthenticated');
    expect((await call(manifest, 'UserApi-collection', 'GET', 'users')).status).toBe(401);
    const explicit = await call(
      { ...manifest, auth: { required: true, tenantClaim: 'tid', trustTenantHeader: false } },
      'UserApi-collection',
      'GET',
      'users',
    );
    expect(explicit.status).toBe(401);
  });

  it("auth 'none' in the manifest: a tenant-scoped route without a claim or trusted header is 403, not 401", async () => {
    const open = {
      ...manifest,
      auth: { required: false, tenantClaim: 'tid', trustTenantHeader: false },
    };
    const r = await call(open, 'NoteApi-collection', 'GET', 'notes', { 'x-tenant-id': 'tenant-b' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).type).toBe('urn:atakora:problem:tenant-required');
  });
});
