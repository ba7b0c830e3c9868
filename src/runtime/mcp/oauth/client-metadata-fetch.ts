import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { refusedAddress } from './address-guard.js';

/** How a metadata document is fetched. */
export interface ClientMetadataFetch {
  /**
   * Loopback and private addresses allowed (`atakora dev`, whose client stand-ins are on loopback); the
   * platform's metadata addresses never are (address-guard.ts).
   */
  readonly allowLocal: boolean;
  /** Certificates trusted instead of Node's defaults (tests); the process's trust (with NODE_EXTRA_CA_CERTS) else. */
  readonly ca?: string | readonly string[];
  /** How the host is resolved: every address it has (node:dns's `lookup` with `all`; tests pass their own). */
  readonly lookup?: (host: string) => Promise<readonly { address: string; family: number }[]>;
}

const systemLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** The bounds DESIGN.md §2 sets: at most 5 KB, within 3 s. */
export const CLIENT_METADATA_MAX_BYTES = 5 * 1024;
export const CLIENT_METADATA_TIMEOUT_MS = 3000;

/** A fetched document (a JSON object) and how long it may be kept, or why it was refused. */
export type FetchedMetadata =
  | { readonly ok: true; readonly document: Record<string, unknown>; readonly maxAgeMs: number }
  | { readonly ok: false; readonly why: string };

/**
 * GET a Client ID Metadata Document: HTTPS only, the host resolved first and every address it resolves to checked
 * (address-guard.ts), the connection made to the address checked — never a second resolution a rebinding DNS
 * could answer differently; no redirect followed (a 3xx is a refusal: draft-ietf-oauth-client-id-metadata-document
 * §6.5 and RFC 9700 §4.11 — a redirect is how a public URL reaches a private one); at most
 * {@link CLIENT_METADATA_MAX_BYTES}, read no further; within {@link CLIENT_METADATA_TIMEOUT_MS} all told; a 200
 * JSON object only. Never throws: every failure is a reason.
 *
 * @example
 * ```ts
 * const got = await fetchClientMetadata(new URL('https://claude.ai/oauth/mcp-client.json'), { allowLocal: false });
 * ```
 */
export async function fetchClientMetadata(
  url: URL,
  options: ClientMetadataFetch,
): Promise<FetchedMetadata> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses = await withTimeout((options.lookup ?? systemLookup)(host));
  } catch {
    return { ok: false, why: `The client_id's host ${url.hostname} does not resolve.` };
  }
  const refused = addresses.find((a) => refusedAddress(a.address, options.allowLocal));
  if (refused || addresses.length === 0)
    return {
      ok: false,
      why: `The client_id's host ${url.hostname} resolves to ${refused?.address ?? 'nothing'}, an address client metadata is never fetched from (loopback, private, link-local or metadata).`,
    };
  const pinned = addresses[0]!;
  return get(url, pinned, options);
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('timeout'));
    }, CLIENT_METADATA_TIMEOUT_MS);
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
    });
  });
}

function get(
  url: URL,
  pinned: { address: string; family: number },
  options: ClientMetadataFetch,
): Promise<FetchedMetadata> {
  // The connection goes to the checked address; TLS still verifies the certificate for the URL's host name
  // (tls.connect checks `servername` when given: an IP literal is sent as no SNI, RFC 6066 §3, and checked as is).
  const named = isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0;
  return new Promise<FetchedMetadata>((resolve) => {
    const done = (r: FetchedMetadata) => {
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(
      {
        host: pinned.address,
        family: pinned.family,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        ...(named ? { servername: url.hostname } : {}),
        method: 'GET',
        headers: { accept: 'application/json', host: url.host },
        agent: false,
        ...(options.ca
          ? { ca: [...(typeof options.ca === 'string' ? [options.ca] : options.ca)] }
          : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.destroy();
          done({
            ok: false,
            why:
              status >= 300 && status < 400
                ? `The client metadata document answered a redirect (${String(status)}), which is never followed.`
                : `The client metadata document answered ${String(status)}, not 200.`,
          });
          return;
        }
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > CLIENT_METADATA_MAX_BYTES) {
          res.destroy();
          done({ ok: false, why: tooLarge });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > CLIENT_METADATA_MAX_BYTES) {
            res.destroy();
            done({ ok: false, why: tooLarge });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          done(parsed(Buffer.concat(chunks).toString('utf8'), res.headers['cache-control']));
        });
        res.on('error', () => {
          done({ ok: false, why: 'The client metadata document could not be read.' });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({
        ok: false,
        why: `The client metadata document was not read within ${String(CLIENT_METADATA_TIMEOUT_MS / 1000)} s.`,
      });
    }, CLIENT_METADATA_TIMEOUT_MS);
    req.on('error', (e) => {
      done({ ok: false, why: `The client metadata document could not be fetched: ${e.message}.` });
    });
    req.end();
  });
}

const tooLarge = `The client metadata document is larger than ${String(CLIENT_METADATA_MAX_BYTES)} bytes.`;

function parsed(text: string, cacheControl: string | undefined): FetchedMetadata {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, why: 'The client metadata document is not JSON.' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { ok: false, why: 'The client metadata document is not a JSON object.' };
  return { ok: true, document: doc as Record<string, unknown>, maxAgeMs: maxAgeOf(cacheControl) };
}

/** `max-age` in ms (RFC 9111 §5.2.2.1); 0 with `no-store`, `no-cache`, `private` being irrelevant to a server. */
export function maxAgeOf(cacheControl: string | undefined): number {
  if (!cacheControl) return 0;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  const age = directives.find((d) => d.startsWith('max-age='))?.slice('max-age='.length);
  const seconds = age !== undefined && /^\d+$/.test(age) ? Number(age) : 0;
  return seconds * 1000;
}
