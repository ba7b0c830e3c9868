import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PROBLEM_MEDIA_TYPE, PROBLEM_PREFIX } from '../../../contract/problems.js';
import { checkHost } from '../loopback/guard.js';

/** A plain-HTTP loopback door to Azurite's HTTPS blob service, for browsers. */
export interface BlobProxy {
  /** `http://127.0.0.1:<port>`: the origin the SAS URLs handed to browsers under `atakora dev` carry. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Forward plain HTTP on 127.0.0.1 to Azurite's HTTPS blob endpoint. Azurite takes OAuth only over HTTPS, with the
 * self-signed loopback certificate, which a developer's browser refuses (`ERR_CERT_AUTHORITY_INVALID`): a page
 * under `atakora dev` could never PUT its upload. Browsers get this origin instead; the SAS travels unchanged
 * (its signature covers the account, container and blob, not the host — Learn, "Create a user delegation SAS",
 * string-to-sign `canonicalizedResource`) and reaches Azurite over HTTPS, so an `spr=https` SAS still holds.
 * Only this proxy skips the certificate check, and only toward the loopback emulator. CORS is Azurite's own.
 *
 * It is a door to every tenant's files, so it lets through only what the runtime hands out (see
 * {@link blobDoorRefusal}): its own loopback `Host` (a DNS-rebinding page sends its own name: 421, as the dev
 * server answers, cli/dev/loopback/guard.ts), and requests signed by a SAS for one blob — never a list, a container or
 * account operation, or an `Authorization` header (Azurite's basic OAuth takes unsigned tokens).
 *
 * @example
 * ```ts
 * const proxy = await startBlobProxy(new URL('https://127.0.0.1:10000/'));
 * proxy.origin; // 'http://127.0.0.1:53121'
 * ```
 */
export async function startBlobProxy(target: URL, ca?: string): Promise<BlobProxy> {
  let port = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const refused = blobDoorRefusal(req, port);
    if (refused) {
      req.resume();
      res.writeHead(refused.status, { 'content-type': PROBLEM_MEDIA_TYPE });
      res.end(
        JSON.stringify({
          type: `${PROBLEM_PREFIX}${refused.slug}`,
          title: refused.slug,
          status: refused.status,
          detail: refused.detail,
        }),
      );
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        // Checked against the session's loopback certificate when there is one; else the package's own.
        ...(ca === undefined ? { rejectUnauthorized: false } : { ca }),
      },
      (answer) => {
        // nosniff on every answer: no browser makes a page of a file's bytes here (Azure's blob service cannot
        // send it; what is served inline there is limited instead: runtime/files/sniff.ts).
        res.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          'x-content-type-options': 'nosniff',
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Azurite did not answer: ${e.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Why the blob door refuses a request: its status, problem slug and detail. */
export interface DoorRefusal {
  readonly status: number;
  readonly slug: 'bad-host' | 'misdirected-request' | 'sas-required';
  readonly detail: string;
}

/**
 * Whether the dev blob door lets a request through: undefined when it does, else why not. Through go only
 * requests on its own loopback `Host` and port, for one blob (`/<account>/<container>/<blob…>`), signed by a
 * blob SAS (`sig`, `sr=b`; the preflight of a browser upload carries the same query), with no `Authorization`
 * header and no container or listing operation (`restype`, `comp=list`).
 *
 * @example
 * ```ts
 * blobDoorRefusal(req, 53121); // { status: 403, slug: 'sas-required', … } for GET /devstoreaccount1/attachments?comp=list
 * ```
 */
export function blobDoorRefusal(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
  port: number,
): DoorRefusal | undefined {
  const host = checkHost(req.headers.host, port);
  if (host) return host as DoorRefusal;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const q = url.searchParams;
  const segments = url.pathname.split('/').filter(Boolean);
  const why =
    req.headers.authorization !== undefined
      ? 'an Authorization header is not taken here (only the SAS URLs the runtime hands out)'
      : segments.length < 3
        ? 'only one blob (/<account>/<container>/<blob>) may be reached, never an account or a container'
        : q.has('restype') || q.get('comp') === 'list'
          ? 'container and listing operations are not taken here'
          : !q.get('sig') || q.get('sr') !== 'b'
            ? 'the request is not signed by a SAS for one blob (sig, sr=b)'
            : undefined;
  return why === undefined
    ? undefined
    : { status: 403, slug: 'sas-required', detail: `atakora dev's blob door: ${why}.` };
}
