import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devSecretLines } from '../../src/cli/dev/host/secrets.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';

// `atakora dev` serves a handler that reads a declared secret (STRIPE_KEY) from the environment variable of that
// name, else .atakora/secrets.json in the working directory, and names a missing one. The handler answers a
// digest of what it read, never the value.
const root = resolve(import.meta.dirname, '../..');
const entry = join(root, 'test/cli/fixtures/secrets-backend.ts');
const dir = join(root, '.atakora');
const file = join(dir, 'secrets.json');
const madeDir = !existsSync(dir);
const sessions: DevSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.stop();
  rmSync(file, { force: true });
  if (madeDir) rmSync(dir, { recursive: true, force: true });
  delete process.env['STRIPE_KEY'];
});

const sha = (v: string) => createHash('sha256').update(v).digest('hex');
async function read(session: DevSession): Promise<{ set: boolean; sha256: string | null }> {
  const res = await fetch(`${session.apps[0]!.url}/api/secret`, { headers: { host: 'localhost' } });
  expect(res.status).toBe(200);
  return (await res.json()) as { set: boolean; sha256: string | null };
}

describe('atakora dev: declared secrets', () => {
  it('names a missing secret, and the handler reads undefined (not the Key Vault reference)', async () => {
    delete process.env['STRIPE_KEY'];
    rmSync(file, { force: true });
    const session = await startDev(entry, { log: () => undefined });
    sessions.push(session);
    expect(session.secrets.missing).toEqual(['STRIPE_KEY']);
    expect(devSecretLines(session.secrets)).toEqual([
      expect.stringMatching(
        /^secret STRIPE_KEY: missing — export STRIPE_KEY=… or add it to \.atakora\/secrets\.json/,
      ),
    ]);
    expect(await read(session)).toEqual({ set: false, sha256: null });
    await session.stop();
  });

  it('reads the local file, and the environment variable before it', async () => {
    mkdirSync(dir, { recursive: true });
    // Written as docs/secrets.md asks (chmod 600): no exposed-mode warning, whatever the umask.
    writeFileSync(file, JSON.stringify({ STRIPE_KEY: 'from-the-file' }));
    chmodSync(file, 0o600);
    const fromFile = await startDev(entry, { log: () => undefined });
    sessions.push(fromFile);
    expect(fromFile.secrets).toEqual({
      fromEnvironment: [],
      fromFile: ['STRIPE_KEY'],
      missing: [],
    });
    expect(await read(fromFile)).toEqual({ set: true, sha256: sha('from-the-file') });
    await fromFile.stop();

    process.env['STRIPE_KEY'] = 'from-the-environment';
    const fromEnv = await startDev(entry, { log: () => undefined });
    sessions.push(fromEnv);
    expect(fromEnv.secrets.fromEnvironment).toEqual(['STRIPE_KEY']);
    expect(await read(fromEnv)).toEqual({ set: true, sha256: sha('from-the-environment') });
    await fromEnv.stop();
  });

  it('a secrets file that is not an object of strings is DEV_SECRETS_INVALID', async () => {
    delete process.env['STRIPE_KEY'];
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify({ STRIPE_KEY: 42 }));
    await expect(startDev(entry, { log: () => undefined })).rejects.toMatchObject({
      code: 'DEV_SECRETS_INVALID',
    });
  });
});
