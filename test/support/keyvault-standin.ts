import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in saw: method, path (with query), authorization header and body. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * A loopback stand-in for Key Vault's secrets data plane (REST API 7.4, with its challenge authentication) and Resource Manager's reference
 * refresh (and Blob storage's Put Blob), for the `atakora secret`, deploy and sandbox tests. Reached as
 * `ATAKORA_KEYVAULT_ENDPOINT=<base>/{vault}`, `ATAKORA_ARM_ENDPOINT=<base>/arm` and `ATAKORA_BLOB_ENDPOINT=<base>/blob/{account}`. Vaults listed in `vaults` exist (others answer 404 as no vault would);
 * `deny.on` answers 403 as Key Vault does to an identity without a secrets role, `deny.firewall` as a vault with
 * public access off does to a caller outside its VNet. Values are kept per vault.
 */
export async function startKeyVaultStandIn(vaults: string[] = []): Promise<{
  base: string;
  seen: SeenRequest[];
  /** The unauthenticated requests answered with Key Vault's 401 challenge. */
  challenges: SeenRequest[];
  /** `<vault>/<name>` of each deleted secret recovered. */
  recovered: string[];
  vaults: Set<string>;
  values: Map<string, Map<string, { value: string; versions: { id: string; created: number }[] }>>;
  deny: { on: boolean; firewall: boolean };
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  const known = new Set(vaults);
  const values = new Map<
    string,
    Map<string, { value: string; versions: { id: string; created: number }[] }>
  >();
  const deny = { on: false, firewall: false };
  const deleted = new Map<string, unknown>();
  const gone = new Map<string, { value: string; versions: { id: string; created: number }[] }>();
  const recovered: string[] = [];
  let n = 0;
  const challenges: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    void body(req).then((text) => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: text,
      };
      // Key Vault's challenge: a request without a token (the SDK's first, sent without its body) gets 401 and
      // the authority and resource to ask a token for. Recorded apart: `seen` holds the authorized requests.
      const vaultPath = /^\/(kv-[^/]+)\//.exec(request.url)?.[1];
      if (vaultPath && known.has(vaultPath) && !req.headers.authorization) {
        challenges.push(request);
        res
          .writeHead(401, {
            'www-authenticate':
              'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"',
          })
          .end();
        return;
      }
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: text,
      });
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      };
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] === 'arm') return json(200, { value: [] });
      // Blob storage (ATAKORA_BLOB_ENDPOINT=<base>/blob/{account}): a Put Blob is 201 Created.
      if (parts[0] === 'blob' && req.method === 'PUT') {
        res.writeHead(201).end();
        return;
      }
      const [vault, kind, name, sub] = parts;
      if (!vault || !known.has(vault))
        return json(404, { error: { code: 'NotFound', message: 'no such vault' } });
      if (deny.firewall)
        return json(403, {
          error: {
            code: 'Forbidden',
            message:
              'Public network access is disabled and request is not from a trusted service nor via an approved private link.',
            innererror: { code: 'ForbiddenByConnection' },
          },
        });
      if (deny.on)
        return json(403, {
          error: {
            code: 'Forbidden',
            message: 'Caller is not authorized to perform action on resource.',
            innererror: { code: 'ForbiddenByRbac' },
          },
        });
      const secrets =
        values.get(vault) ??
        new Map<string, { value: string; versions: { id: string; created: number }[] }>();
      values.set(vault, secrets);
      const host = `https://${vault}.vault.azure.net`;
      if (kind === 'secrets' && !name && req.method === 'GET') {
        return json(200, {
          value: [...secrets.keys()].map((k) => ({
            id: `${host}/secrets/${k}`,
            attributes: {
              enabled: true,
              created: secrets.get(k)!.versions[0]!.created,
              updated: secrets.get(k)!.versions.at(-1)!.created,
            },
          })),
          nextLink: null,
        });
      }
      if (kind === 'secrets' && name && sub === 'versions' && req.method === 'GET') {
        const s = secrets.get(name);
        if (!s)
          return json(404, {
            error: {
              code: 'SecretNotFound',
              message: `A secret with (name/id) ${name} was not found in this key vault.`,
            },
          });
        return json(200, {
          value: s.versions.map((v) => ({
            id: `${host}/secrets/${name}/${v.id}`,
            attributes: { enabled: true, created: v.created },
          })),
          nextLink: null,
        });
      }
      // A secret deleted (soft-delete) and not recovered: Key Vault refuses a new one of that name.
      if (kind === 'secrets' && name && req.method === 'PUT' && deleted.has(`${vault}/${name}`))
        return json(409, {
          error: {
            code: 'Conflict',
            message: `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
          },
        });
      if (kind === 'deletedsecrets' && name && sub === 'recover' && req.method === 'POST') {
        const d = deleted.get(`${vault}/${name}`);
        if (!d) return json(404, { error: { code: 'SecretNotFound', message: 'not deleted' } });
        deleted.delete(`${vault}/${name}`);
        const back = gone.get(`${vault}/${name}`)!;
        secrets.set(name, back);
        recovered.push(`${vault}/${name}`);
        return json(200, {
          id: `${host}/secrets/${name}/${back.versions.at(-1)!.id}`,
          attributes: { enabled: true },
        });
      }
      // One secret (the SDK's recover poller reads it until it is back).
      if (kind === 'secrets' && name && sub !== 'versions' && req.method === 'GET') {
        const s = secrets.get(name);
        if (!s) return json(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        return json(200, {
          id: `${host}/secrets/${name}/${s.versions.at(-1)!.id}`,
          value: s.value,
          attributes: { enabled: true },
        });
      }
      if (kind === 'secrets' && name && req.method === 'PUT') {
        const { value } = JSON.parse(text) as { value: string };
        const version = `v${String(++n).padStart(31, '0')}`;
        const s = secrets.get(name) ?? { value, versions: [] };
        s.value = value;
        s.versions.push({ id: version, created: 1_700_000_000 + n });
        secrets.set(name, s);
        return json(200, {
          id: `${host}/secrets/${name}/${version}`,
          attributes: { enabled: true },
        });
      }
      // The deleted secret (the SDK's delete poller reads it once the delete is sent).
      if (kind === 'deletedsecrets' && name && !sub && req.method === 'GET') {
        const d = deleted.get(`${vault}/${name}`);
        if (!d) return json(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        return json(200, d);
      }
      if (kind === 'secrets' && name && req.method === 'DELETE') {
        const removedSecret = secrets.get(name);
        if (!removedSecret || !secrets.delete(name))
          return json(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        // A DeletedSecretBundle, as Key Vault answers a delete (the value left out, as it does).
        const bundle = {
          recoveryId: `${host}/deletedsecrets/${name}`,
          id: `${host}/secrets/${name}/${removedSecret.versions.at(-1)!.id}`,
          attributes: { enabled: true, created: removedSecret.versions.at(-1)!.created },
          deletedDate: 1_700_100_000,
          scheduledPurgeDate: 1_707_876_000,
        };
        deleted.set(`${vault}/${name}`, bundle);
        gone.set(`${vault}/${name}`, removedSecret);
        return json(200, bundle);
      }
      return json(400, {
        error: { code: 'BadParameter', message: `${req.method ?? ''} ${url.pathname}` },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    seen,
    challenges,
    recovered,
    vaults: known,
    values,
    deny,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
