import type { HttpRequest } from '@azure/functions';
import { decodeProtectedHeader } from 'jose';

/** The longest bearer token read as one of ours (an ES256 token of these claims is well under 1 KB). */
const MAX_TOKEN = 4096;

/**
 * The backend's own agent access token a request carries (`mcp.authorization`), or undefined: `Authorization:
 * Bearer` with a JWT typed `at+jwt` (RFC 9068 §2.1: "Resource servers MUST verify that the typ header value is
 * at+jwt") — never an Entra token (typed `JWT`), an API key or a SCIM token, which go on as before. Only read here;
 * what it proves is the agents' tenant source's to decide (members/agents/agent-tenants.ts).
 *
 * @example
 * ```ts
 * agentBearer(request); // 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' or undefined
 * ```
 */
export function agentBearer(request: Pick<HttpRequest, 'headers'>): string | undefined {
  const header = request.headers.get('authorization');
  if (!header || header.length > MAX_TOKEN) return undefined;
  const token = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(header)?.[1];
  if (!token) return undefined;
  try {
    return decodeProtectedHeader(token).typ?.toLowerCase() === 'at+jwt' ? token : undefined;
  } catch {
    return undefined;
  }
}
