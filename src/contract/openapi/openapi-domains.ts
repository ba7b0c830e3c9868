import { DOMAIN_JOINS, DOMAIN_ROUTES } from '../domains/domains.js';
import { type Json, json, path, problem, ref, TIME } from './openapi-refs.js';

const DOMAIN = ref('schemas', 'OrganizationDomain');

/**
 * The schemas of the verified domains' routes: `OrganizationDomain`, its list, `DomainInput` and `DomainJoinPatch`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(DOMAIN_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const DOMAIN_SCHEMAS: Readonly<Record<string, Json>> = {
  OrganizationDomain: {
    type: 'object',
    description:
      "One of the organization's domains: the TXT record that proves it, its status and who may join through it.",
    required: ['domain', 'status', 'txt', 'join', 'role', 'createdOn'],
    properties: {
      domain: {
        type: 'string',
        description: 'Lower case, ASCII (an internationalized name as punycode).',
      },
      status: { type: 'string', enum: ['pending', 'verified', 'unverified'] },
      txt: {
        type: 'object',
        required: ['name', 'value'],
        description: "The TXT record to publish at the domain's DNS host.",
        properties: {
          name: { type: 'string', description: '`_atakora.<domain>`.' },
          value: { type: 'string', description: '`atakora-verify=<random>`.' },
        },
      },
      join: { type: 'string', enum: [...DOMAIN_JOINS] },
      role: {
        type: 'string',
        description: 'The declared role a user joining through the domain gets.',
      },
      createdOn: TIME,
      verifiedOn: TIME,
      checkedOn: TIME,
      missingSince: TIME,
    },
  },
  OrganizationDomainList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: DOMAIN } },
  },
  DomainInput: {
    type: 'object',
    required: ['domain'],
    additionalProperties: false,
    properties: { domain: { type: 'string', maxLength: 253, examples: ['contoso.com'] } },
  },
  DomainJoinPatch: {
    type: 'object',
    additionalProperties: false,
    properties: {
      join: { type: 'string', enum: [...DOMAIN_JOINS] },
      role: {
        type: 'string',
        description: "One of the backend's `tenants.roles` (never `Owner`).",
      },
    },
  },
};

const SIGNED_IN = { '401': problem(401), '503': problem(503) };
const IN_TENANT = { ...SIGNED_IN, '400': problem(400), '403': problem(403) };
const BODY = { '400': problem(400), '413': problem(413), '415': problem(415) };
const TAGS = ['domains'];
const DOMAIN_PARAMETER = { name: 'domain', in: 'path', required: true, schema: { type: 'string' } };

/**
 * The verified domains' routes by path (runtime/members/domains/domain-routes.ts), in the request's organization.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(DOMAIN_PATHS)) paths.set(path, item);
 * ```
 */
export const DOMAIN_PATHS: Readonly<Record<string, Json>> = {
  [path(DOMAIN_ROUTES.domains)]: {
    get: {
      operationId: 'domains_list',
      summary: "The organization's domains (an Owner or an Admin).",
      tags: TAGS,
      responses: {
        '200': {
          description: 'Every domain, by name.',
          content: json(ref('schemas', 'OrganizationDomainList')),
        },
        ...IN_TENANT,
      },
    },
    post: {
      operationId: 'domains_add',
      summary: 'Add a domain (an Owner): answers the TXT record to publish.',
      description:
        "400 `public-domain` for a public mail provider's domain; 409 `domain-taken` when another organization " +
        'has verified it; 409 `conflict` when added already.',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'DomainInput')) },
      responses: {
        '201': {
          description: 'The domain, `pending`, with its TXT record.',
          content: json(DOMAIN),
        },
        ...BODY,
        ...IN_TENANT,
        '409': problem(409),
      },
    },
  },
  [path(DOMAIN_ROUTES.domain)]: {
    parameters: [DOMAIN_PARAMETER],
    get: {
      operationId: 'domains_get',
      summary: 'One domain (an Owner or an Admin).',
      tags: TAGS,
      responses: {
        '200': { description: 'The domain.', content: json(DOMAIN) },
        ...IN_TENANT,
        '404': problem(404),
      },
    },
    patch: {
      operationId: 'domains_update',
      summary: 'Set who joins through the domain and as which role (an Owner).',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'DomainJoinPatch')) },
      responses: {
        '200': { description: 'The domain as changed.', content: json(DOMAIN) },
        ...BODY,
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
      },
    },
    delete: {
      operationId: 'domains_remove',
      summary: 'Remove a domain (an Owner): its joins stop, another organization may prove it.',
      tags: TAGS,
      responses: { '204': { description: 'Removed.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
  [path(DOMAIN_ROUTES.verify)]: {
    parameters: [DOMAIN_PARAMETER],
    post: {
      operationId: 'domains_verify',
      summary:
        "Verify a domain (an Owner): its TXT record is resolved, the domain becomes the organization's.",
      description:
        '409 `domain-txt-missing` when the record is not found; 409 `domain-taken` when another organization ' +
        'verified it first; 503 `dns-unavailable` when the lookup failed.',
      tags: TAGS,
      responses: {
        '200': { description: 'The domain, `verified`.', content: json(DOMAIN) },
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
      },
    },
  },
};
