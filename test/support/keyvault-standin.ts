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
 * A loopback stand-in for Key Vault's secrets data plane (REST API 7.4) and Resource Manager's reference
 * refresh (and Blob storage's Put Blob), for the `atakora secret`, deploy and sandbox tests. Reached as
 * `ATAKORA_KEYVAULT_ENDPOINT=<base>/{vault}`, `ATAKORA_ARM_ENDPOINT=<base>/arm` and `ATAKORA_BLOB_ENDPOINT=<base>/blob/{account}`. Vaults listed in `vaults` exist (others answer 404 as no vault would);
 * `deny.on` answers 403 as Key Vault does to an identity without a secrets role, `deny.firewall` as a vault with
 * public access off does to a caller outside its VNet. Values are kept per vault.
 */
export async function startKeyVaultStandIn(vaults: string[] = []): Promise<{
  base: string;
  seen: SeenRequest[];
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
  let n = 0;
  const server: Server = createServer((req, res) => {
    void body(req).then((text) => {
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
      if (kind === 'secrets' && name && req.method === 'DELETE') {
        if (!secrets.delete(name))
          return json(404, { error: { code: 'SecretNotFound', message: 'not found' } });
        return json(200, { recoveryId: `${host}/deletedsecrets/${name}` });
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
