import type { HttpResponseInit } from '@azure/functions';
import { SCIM_MEDIA_TYPE, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import { SECURITY_HEADERS } from '../../http/response.js';

/**
 * A SCIM answer: `application/scim+json` (RFC 7644 §3.1), the runtime's security headers.
 *
 * @example
 * ```ts
 * return scimJson(201, userResource(user));
 * ```
 */
export function scimJson(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponseInit {
  return {
    status,
    headers: {
      'Content-Type': `${SCIM_MEDIA_TYPE}; charset=utf-8`,
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/**
 * A SCIM error (RFC 7644 §3.12): `schemas: [Error]`, `status` as a string, `scimType` when the RFC names one
 * (`uniqueness`, `invalidFilter`, `invalidValue`, `invalidSyntax`, `invalidPath`, `noTarget`, `mutability`,
 * `tooMany`), `application/scim+json`.
 *
 * @example
 * ```ts
 * return scimError(409, 'userName ada@contoso.com is provisioned already.', 'uniqueness');
 * ```
 */
export function scimError(
  status: number,
  detail: string,
  scimType?: string,
  headers: Readonly<Record<string, string>> = {},
): HttpResponseInit {
  return scimJson(
    status,
    {
      schemas: [SCIM_SCHEMAS.error],
      status: String(status),
      ...(scimType !== undefined ? { scimType } : {}),
      detail,
    },
    headers,
  );
}

/**
 * The `scimType` of a problem the pipeline or the body reader answered (RFC 7644 §3.12): a body that is not JSON, or
 * not an object, `invalidSyntax`; a value refused, `invalidValue`; nothing for the statuses §3.12 gives none (401,
 * 403, 404, 405, 413, 415, 429, 5xx).
 */
const SCIM_TYPES: Readonly<Record<string, string>> = {
  'body-not-json': 'invalidSyntax',
  'body-not-object': 'invalidSyntax',
  'body-missing': 'invalidSyntax',
  'body-too-deep': 'invalidSyntax',
  validation: 'invalidValue',
  'forbidden-key': 'invalidValue',
};

/**
 * Any answer as SCIM answers it: a problem document the pipeline or the membership operations gave (a rate limit's
 * 429 with `Retry-After`, a 503, a `last-owner` 409) as a SCIM error with the same status and headers; a SCIM
 * answer as it is.
 *
 * @example
 * ```ts
 * return asScim(await removeMember(api, actor, tenant, userId));
 * ```
 */
export function asScim(response: HttpResponseInit): HttpResponseInit {
  const headers = new Headers(response.headers);
  const type = headers.get('content-type') ?? '';
  if (!type.includes('problem+json')) return response;
  let detail = 'The request was refused.';
  let code = '';
  try {
    const p = JSON.parse(typeof response.body === 'string' ? response.body : '') as {
      detail?: unknown;
      type?: unknown;
    };
    if (typeof p.detail === 'string') detail = p.detail;
    if (typeof p.type === 'string') code = p.type.replace('urn:atakora:problem:', '');
  } catch {
    // A problem whose body is not JSON keeps the generic detail.
  }
  const status = response.status ?? 500;
  const kept = Object.fromEntries([...headers].filter(([k]) => k.toLowerCase() !== 'content-type'));
  return scimError(status, code ? `${detail} (${code})` : detail, SCIM_TYPES[code], kept);
}
