import { describe, expect, it } from 'vitest';
import type { RuntimeEntity, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createCosmosResolver } from '../../src/runtime/cosmos-resolver.js';
import { noteEntity, userEntity } from './support/entities.js';

const withClientId = (e: RuntimeEntity, setting: string): RuntimeEntity => ({
  ...e,
  settings: { ...e.settings, clientId: setting },
});
const env = (extra: Record<string, string>) => ({
  ...Object.fromEntries(
    [userEntity, noteEntity].flatMap((e) => [
      [e.settings.endpoint, 'https://acct.documents.azure.com:443/'],
      [e.settings.database, 'app'],
      [e.settings.container, e.route],
    ]),
  ),
  ...extra,
});

describe("each component's container is reached as the component's own identity", () => {
  it('one Cosmos client per (account, identity): components with different client ids never share one', () => {
    const users = withClientId(userEntity, 'USER_API_AZURE_CLIENT_ID');
    const notes = withClientId(noteEntity, 'NOTE_API_AZURE_CLIENT_ID');
    const manifest: RuntimeManifest = { version: 1, backendId: 'x', entities: [users, notes] };
    const r = createCosmosResolver(
      manifest,
      env({ USER_API_AZURE_CLIENT_ID: 'client-users', NOTE_API_AZURE_CLIENT_ID: 'client-notes' }),
    );
    expect(r.containerFor(users).database.client).not.toBe(r.containerFor(notes).database.client);
    const same = createCosmosResolver(
      manifest,
      env({ USER_API_AZURE_CLIENT_ID: 'client-x', NOTE_API_AZURE_CLIENT_ID: 'client-x' }),
    );
    expect(same.containerFor(users).database.client).toBe(same.containerFor(notes).database.client);
  });

  it("health reads each container through its own component's client, one check per distinct container", () => {
    const users = withClientId(userEntity, 'USER_API_AZURE_CLIENT_ID');
    const notes = withClientId(noteEntity, 'NOTE_API_AZURE_CLIENT_ID');
    const manifest: RuntimeManifest = { version: 1, backendId: 'x', entities: [users, notes] };
    const r = createCosmosResolver(
      manifest,
      env({ USER_API_AZURE_CLIENT_ID: 'client-users', NOTE_API_AZURE_CLIENT_ID: 'client-notes' }),
    );
    expect(r.healthTargets.map((t) => t.name)).toEqual([
      'acct.documents.azure.com/app/users',
      'acct.documents.azure.com/app/notes',
    ]);
    expect(r.healthTargets[0]!.container.database.client).toBe(
      r.containerFor(users).database.client,
    );
    expect(r.healthTargets[1]!.container.database.client).toBe(
      r.containerFor(notes).database.client,
    );
    expect(r.healthTargets[0]!.container.database.client).not.toBe(
      r.healthTargets[1]!.container.database.client,
    );
  });

  it('without a client id setting the shared default credential serves every component (one client)', () => {
    const manifest: RuntimeManifest = {
      version: 1,
      backendId: 'x',
      entities: [userEntity, noteEntity],
    };
    const r = createCosmosResolver(manifest, env({}));
    expect(r.containerFor(userEntity).database.client).toBe(
      r.containerFor(noteEntity).database.client,
    );
  });
});
