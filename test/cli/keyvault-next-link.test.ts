import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyVaultClient, vaultNextPage } from '../../src/cli/azure/keyvault.js';
import { AtakoraError } from '../../src/model/errors.js';

// The vault client sends its bearer token with every call: it follows a listing's nextLink only on the vault's
// own origin. Two loopback stand-ins: the vault, and a stranger that records whatever reaches it.
interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
}
const vaultSeen: Seen[] = [];
const strangerSeen: Seen[] = [];
let vault: Server;
let stranger: Server;
let vaultBase = '';
let strangerBase = '';
// What the vault's first page names as the next one.
let nextLink = '';

const listen = async (s: Server): Promise<string> => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${String((s.address() as AddressInfo).port)}`;
};
const record = (into: Seen[], req: IncomingMessage) =>
  into.push({ url: req.url ?? '', authorization: req.headers.authorization });

beforeAll(async () => {
  vault = createServer((req, res) => {
    // Key Vault's challenge first (the SDK sends a request without a token to learn where to get one).
    if (!req.headers.authorization) {
      res
        .writeHead(401, {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"',
        })
        .end();
      return;
    }
    record(vaultSeen, req);
    const second = (req.url ?? '').includes('skiptoken=page2');
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        second
          ? { value: [{ id: `${vaultBase}/kv-a/secrets/B-KEY` }], nextLink: null }
          : { value: [{ id: `${vaultBase}/kv-a/secrets/A-KEY` }], nextLink },
      ),
    );
  });
  stranger = createServer((req, res) => {
    record(strangerSeen, req);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: [{ id: 'x/secrets/STOLEN' }], nextLink: null }));
  });
  vaultBase = await listen(vault);
  strangerBase = await listen(stranger);
});
afterAll(async () => {
  await new Promise((r) => vault.close(r));
  await new Promise((r) => stranger.close(r));
});

const client = () =>
  keyVaultClient('kv-a', {
    env: { ATAKORA_KEYVAULT_ENDPOINT: `${vaultBase}/{vault}` },
    token: () => Promise.resolve('token-for-the-vault'),
  });

describe('Key Vault listing: nextLink', () => {
  it('follows a next page on the vault origin, api-version first or last, with one api-version', async () => {
    vaultSeen.length = 0;
    nextLink = `${vaultBase}/kv-a/secrets?api-version=7.4&$skiptoken=page2&maxresults=25`;
    expect((await client().list()).map((s) => s.name)).toEqual(['A-KEY', 'B-KEY']);
    expect(vaultSeen).toHaveLength(2);
    const second = new URL(vaultSeen[1]!.url, vaultBase);
    expect(second.searchParams.getAll('api-version')).toHaveLength(1);
    expect(second.searchParams.get('$skiptoken')).toBe('page2');
    expect(vaultSeen.every((s) => s.authorization === 'Bearer token-for-the-vault')).toBe(true);
  });

  it('another origin (host or port) is SECRET_REQUEST_FAILED, and the stranger never hears from us', async () => {
    for (const link of [
      `${strangerBase}/kv-a/secrets?api-version=7.4&$skiptoken=page2`,
      `https://127.0.0.1:${new URL(vaultBase).port}/kv-a/secrets?$skiptoken=page2`,
      '//evil.example/secrets?$skiptoken=page2',
    ]) {
      nextLink = link;
      const e = await client()
        .list()
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(e).toBeInstanceOf(AtakoraError);
      expect((e as AtakoraError).code).toBe('SECRET_REQUEST_FAILED');
      expect((e as AtakoraError).message).toContain('another origin');
      expect((e as AtakoraError).message).not.toContain('token-for-the-vault');
    }
    expect(strangerSeen).toEqual([]);
  });

  it('vaultNextPage: Azure spells the default port; a relative link stays on the vault', () => {
    expect(
      vaultNextPage(
        'https://kv-a.vault.azure.net',
        'kv-a',
        'https://kv-a.vault.azure.net:443/secrets?api-version=7.4&$skiptoken=x',
      ),
    ).toBe('https://kv-a.vault.azure.net/secrets?%24skiptoken=x');
    expect(vaultNextPage('https://kv-a.vault.azure.net', 'kv-a', '/secrets?$skiptoken=y')).toBe(
      'https://kv-a.vault.azure.net/secrets?%24skiptoken=y',
    );
  });
});
