import { DOMAIN_JOINS } from '../domains/domains.js';
import { CONTINUATION_HEADER } from '../paging.js';
import { JOIN_ROUTES } from '../enterprise/joins.js';
import { type Json, json, path, problem, ref, TIME } from './openapi-refs.js';

/**
 * The schemas of joins by verified domain: `JoinableOrganization` (and its list) and `JoinRequest` (and its page).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(JOIN_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const JOIN_SCHEMAS: Readonly<Record<string, Json>> = {
  JoinableOrganization: {
    type: 'object',
    description:
      'An organization you may join through its verified domain: your verified e-mail is on `domain` (exactly).',
    required: ['id', 'domain', 'join', 'role', 'pending'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string' },
      join: { type: 'string', enum: DOMAIN_JOINS.filter((j) => j !== 'off') },
      role: { type: 'string', description: 'The role joining gives.' },
      pending: {
        type: 'boolean',
        description: 'Your request to join waits for an Owner or an Admin (`join: request`).',
      },
    },
  },
  JoinableOrganizationList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'JoinableOrganization') } },
  },
  JoinRequest: {
    type: 'object',
    description: "A pending request to join the organization; its `id` is the requester's user id.",
    required: ['id', 'userId', 'email', 'domain', 'requestedOn'],
    properties: {
      id: { type: 'string' },
      userId: { type: 'string' },
      email: { type: 'string', format: 'email', description: "The requester's verified e-mail." },
      domain: { type: 'string' },
      requestedOn: TIME,
    },
  },
  JoinRequestPage: {
    type: 'object',
    required: ['items', 'continuationToken'],
    properties: {
      items: { type: 'array', items: ref('schemas', 'JoinRequest') },
      continuationToken: {
        type: ['string', 'null'],
        description: 'Pass back as `$after` for the next page; `null` on the last one.',
      },
    },
  },
};

const SIGNED_IN = { '401': problem(401), '503': problem(503) };
const IN_TENANT = { ...SIGNED_IN, '400': problem(400), '403': problem(403) };
const TAGS = ['members'];
const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const PAGING = ['First', 'After', 'Limit', 'ContinuationToken'].map((p) => ref('parameters', p));
const MEMBERSHIP = json(ref('schemas', 'Membership'));

/**
 * The routes of joins by verified domain by path (runtime/members/joins/join-routes.ts): `me/joinable` and
 * `tenants/{id}/join` in no organization (bounded per user: 429), the join requests in the request's organization.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(JOIN_PATHS)) paths.set(path, item);
 * ```
 */
export const JOIN_PATHS: Readonly<Record<string, Json>> = {
  [path(JOIN_ROUTES.joinable)]: {
    get: {
      operationId: 'me_joinable',
      summary:
        'The organizations you may join through a verified domain your verified e-mail is on (exact domain).',
      description:
        'Empty without a verified e-mail. Organizations you belong to, suspended ones and domains with `join: off` ' +
        'are left out.',
      tags: TAGS,
      responses: {
        '200': {
          description: 'At most a few.',
          content: json(ref('schemas', 'JoinableOrganizationList')),
        },
        ...SIGNED_IN,
        '429': problem(429),
      },
    },
  },
  [path(JOIN_ROUTES.join)]: {
    parameters: [ID],
    post: {
      operationId: 'tenants_join',
      summary: 'Join an organization through its verified domain.',
      description:
        '403 `email-not-verified` without a verified e-mail; 404 when the organization does not admit your ' +
        "e-mail's domain (whether it exists is not said); 403 `tenant-suspended`; 409 `already-a-member`, " +
        '`join-request-exists`.',
      tags: TAGS,
      responses: {
        '201': {
          description: "Joined (`join: auto`), with the domain's role.",
          headers: { Location: ref('headers', 'Location') },
          content: MEMBERSHIP,
        },
        '202': {
          description: 'Pending (`join: request`): an Owner or an Admin answers.',
          content: json(ref('schemas', 'JoinRequest')),
        },
        ...SIGNED_IN,
        '403': problem(403),
        '404': problem(404),
        '409': problem(409),
        '429': problem(429),
      },
    },
  },
  [path(JOIN_ROUTES.requests)]: {
    get: {
      operationId: 'join_requests_list',
      summary: "The organization's pending join requests, a page at a time (an Owner or an Admin).",
      tags: TAGS,
      parameters: PAGING,
      responses: {
        '200': {
          description: 'A page of requests, by id.',
          headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
          content: json(ref('schemas', 'JoinRequestPage')),
        },
        ...IN_TENANT,
      },
    },
  },
  [path(JOIN_ROUTES.approve)]: {
    parameters: [ID],
    post: {
      operationId: 'join_requests_approve',
      summary:
        "Approve a join request (an Owner or an Admin): the requester joins with the domain's role.",
      description:
        '404 when no such request is pending (answered meanwhile); 410 `join-request-expired` when the domain no ' +
        'longer admits joins (the request is dropped); 409 `already-a-member`.',
      tags: TAGS,
      responses: {
        '201': {
          description: 'The new membership.',
          headers: { Location: ref('headers', 'Location') },
          content: MEMBERSHIP,
        },
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
        '410': problem(410),
      },
    },
  },
  [path(JOIN_ROUTES.decline)]: {
    parameters: [ID],
    post: {
      operationId: 'join_requests_decline',
      summary: 'Decline a join request (an Owner or an Admin): the requester may ask again.',
      tags: TAGS,
      responses: { '204': { description: 'Declined.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
};
