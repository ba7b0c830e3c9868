import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One app as Resource Manager describes it to the stand-in's callers. */
export interface StandInSite {
  /** App settings (config/appsettings/list answers them; a PUT replaces them). */
  settings: Record<string, string>;
  /** Flex: `properties.functionAppConfig.deployment.storage.value`. */
  deploymentContainer?: string;
  state: string;
  /** Key Vault references: setting name → status; Resolved once `refreshes` reaches `resolveAfter`. */
  references?: { settings: string[]; pending: string; resolveAfter: number };
  refreshes: number;
  referenceReads: number;
  restarts?: number;
  /** One Deploy publishes the SCM site accepted (Flex). */
  publishes?: number;
  /** Make One Deploy's deployments of this app fail (status 3). */
  failDeployments?: boolean;
  /** Another deployment is running: One Deploy answers 409 Conflict. */
  busy?: boolean;
  /**
   * A unique default host name's SCM host (`<app>-<hash>.scm.<region>-01.azurewebsites.net`): Resource Manager lists it
   * (`hostNameSslStates`, `enabledHostNames`) and the SCM site answers only on it, not on the app's name.
   */
  scmHost?: string;
}

/**
 * A loopback stand-in for the parts of Resource Manager (Microsoft.Web/sites) and Blob storage the code-only
 * redeploy and the reference-status wait use, strict about paths: Blob storage accepts a Put Blob only at the
 * addresses in `blobs` (created by the test from the synthesized stack) and answers 404 anywhere else, as
 * nothing would read there; a site not in `sites` is 404. One Deploy on the app's SCM site (`POST
 * /api/publish`, Flex apps only) stores the zip as `released-package.zip` in the container the app reads (a known
 * blob address, else 400) and restarts the app, as the platform does; `GET /api/deployments/<id>` reports the
 * deployment. Reached as `ATAKORA_ARM_ENDPOINT=<base>/arm`, `ATAKORA_BLOB_ENDPOINT=<base>/blob/{account}` and
 * `ATAKORA_SCM_ENDPOINT=<base>/scm/{host}` (or `{app}`).
 */
export async function startAppServiceStandIn(): Promise<{
  base: string;
  sites: Map<string, StandInSite>;
  /** `<account>/<container>/<blob>` → the stored bytes' MD5 (base64), undefined until written. */
  blobs: Map<string, string | undefined>;
  seen: { method: string; url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}> {
  const sites = new Map<string, StandInSite>();
  const blobs = new Map<string, string | undefined>();
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const method = req.method ?? '';
      seen.push({ method, url: req.url ?? '', authorization: req.headers.authorization });
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      };
      const scm = /^\/scm\/([^/]+)\/api\/(publish|deployments\/([^/]+))$/.exec(url.pathname);
      if (scm) {
        // An app with its own SCM host answers there only; any other on `<name>.scm.azurewebsites.net` (or, through
        // a `{app}` endpoint template, its name).
        const site = [...sites].find(([app, s]) =>
          s.scmHost
            ? s.scmHost === scm[1]
            : scm[1] === app || scm[1] === `${app}.scm.azurewebsites.net`,
        )?.[1];
        if (!site) return json(404, { error: { code: 'NotFound', message: 'no such app' } });
        if (!req.headers.authorization?.startsWith('Bearer '))
          return json(401, { error: { code: 'Unauthorized', message: 'no token' } });
        if (scm[2] === 'publish' && method === 'POST') {
          if (site.busy)
            return json(409, { error: { code: 'Conflict', message: 'deployment in progress' } });
          const container = site.deploymentContainer
            ? /^https:\/\/([^.]+)\.blob\.core\.windows\.net\/(.+?)\/*$/.exec(
                site.deploymentContainer,
              )
            : undefined;
          const path = container ? `${container[1]!}/${container[2]!}/released-package.zip` : '';
          if (
            !container ||
            !blobs.has(path) ||
            req.headers['content-type'] !== 'application/zip' ||
            url.searchParams.get('RemoteBuild') !== 'false'
          )
            return json(400, { error: { code: 'BadRequest', message: 'not a Flex publish' } });
          blobs.set(path, createHash('md5').update(body).digest('base64'));
          site.publishes = (site.publishes ?? 0) + 1;
          site.restarts = (site.restarts ?? 0) + 1;
          return json(202, `deployment-${String(site.publishes)}`);
        }
        if (scm[3] && method === 'GET')
          return json(200, {
            id: scm[3],
            status: site.failDeployments ? 3 : 4,
            status_text: site.failDeployments ? 'Failed to start the app' : '',
            complete: true,
          });
        return json(400, { error: { code: 'BadRequest', message: `${method} ${url.pathname}` } });
      }
      const blob = /^\/blob\/(.+)$/.exec(url.pathname)?.[1];
      if (blob !== undefined) {
        if (!blobs.has(blob)) {
          res.writeHead(404, { 'x-ms-error-code': 'ContainerNotFound' }).end();
          return;
        }
        if (method === 'PUT') {
          const md5 = createHash('md5').update(body).digest('base64');
          if (req.headers['content-md5'] !== undefined && req.headers['content-md5'] !== md5) {
            res.writeHead(400, { 'x-ms-error-code': 'Md5Mismatch' }).end();
            return;
          }
          blobs.set(blob, md5);
          res.writeHead(201, { 'content-md5': md5 }).end();
          return;
        }
        const md5 = blobs.get(blob);
        if (method === 'HEAD' && md5 !== undefined) {
          res.writeHead(200, { 'content-md5': md5 }).end();
          return;
        }
        res.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' }).end();
        return;
      }
      const m =
        /^\/arm\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/([^/]+)(\/.*)?$/.exec(
          url.pathname,
        );
      const site = m ? sites.get(m[1]!) : undefined;
      if (!m || !site)
        return json(404, { error: { code: 'ResourceNotFound', message: url.pathname } });
      const rest = m[2] ?? '';
      if (rest === '' && method === 'GET')
        return json(200, {
          name: m[1],
          properties: {
            state: site.state,
            ...(site.scmHost
              ? {
                  enabledHostNames: [site.scmHost.replace('.scm.', '.'), site.scmHost],
                  hostNameSslStates: [
                    { name: site.scmHost.replace('.scm.', '.'), hostType: 'Standard' },
                    { name: site.scmHost, hostType: 'Repository' },
                  ],
                }
              : {}),
            ...(site.deploymentContainer
              ? {
                  functionAppConfig: {
                    deployment: { storage: { value: site.deploymentContainer } },
                  },
                }
              : {}),
          },
        });
      if (rest === '/config/appsettings/list' && method === 'POST')
        return json(200, { properties: site.settings });
      if (rest === '/config/appsettings' && method === 'PUT') {
        site.settings = (
          JSON.parse(body.toString('utf8')) as { properties: Record<string, string> }
        ).properties;
        return json(200, { properties: site.settings });
      }
      if (rest === '/restart' && method === 'POST') {
        site.restarts = (site.restarts ?? 0) + 1;
        return json(200, {});
      }
      if (rest === '/config/configreferences/appsettings/refresh' && method === 'POST') {
        site.refreshes++;
        return json(200, {});
      }
      if (rest === '/config/configreferences/appsettings' && method === 'GET') {
        site.referenceReads++;
        const r = site.references;
        const status =
          r && site.refreshes >= r.resolveAfter ? 'Resolved' : (r?.pending ?? 'Resolved');
        return json(200, {
          value: (r?.settings ?? []).map((s) => ({
            id: `${url.pathname}/${s}`,
            name: s,
            properties: {
              reference: `@Microsoft.KeyVault(VaultName=kv;SecretName=${s.replaceAll('_', '-')})`,
              status,
              ...(status === 'Resolved'
                ? {}
                : { details: `Key Vault reference was not resolved: ${status}` }),
            },
          })),
        });
      }
      return json(400, { error: { code: 'BadRequest', message: `${method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    sites,
    blobs,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
  });
}
