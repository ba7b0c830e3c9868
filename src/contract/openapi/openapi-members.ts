import { PLANS_ROUTE } from '../plans/plan-offers.js';
import {
  MAX_ORGANIZATION_NAME,
  MEMBERSHIP_ROUTES,
  ORGANIZATION_ID,
  TENANT_SELECT_HEADER,
} from '../members.js';
import { CONTINUATION_HEADER } from '../paging.js';
import { JOIN_ROUTES } from '../enterprise/joins.js';
import { AGENT_ROUTES } from '../mcp/oauth/agents.js';
import { RATE_LIMIT_PAIR, withSignedInOperations } from './openapi-limits.js';
import { HEALTH_ROUTE, OPENAPI_ROUTE } from '../routes.js';
import { TENANT_STATUSES, TENANTS_ROUTE } from '../tenants.js';
import { MEMBERSHIP_DOORS } from '../../model/lives/membership-life.js';
import { type Json, json, path, problem, ref, TIME } from './openapi-refs.js';

const ORG_ID = { type: 'string', pattern: ORGANIZATION_ID.source };
const ROLES = {
  type: 'array',
  items: { type: 'string' },
  description: "`Owner` and the backend's `tenants.roles` (default `Admin`, `Member`).",
};
const EMAIL = { type: 'string', format: 'email', maxLength: 254 };
const page = (item: string): Json => ({
  type: 'object',
  required: ['items', 'continuationToken'],
  properties: {
    items: { type: 'array', items: ref('schemas', item) },
    continuationToken: {
      type: ['string', 'null'],
      description: 'Pass back as `$after` for the next page; `null` on the last one.',
    },
  },
});

/**
 * The schemas of the membership routes: `Membership`, `MembershipPage`, `MemberPatch`, `MyTenant` and
 * `MyTenantList`, `Invitation`, `InvitationDelivery`, `InvitationPage`, `InvitationInput`, `CreatedInvitation`, `AcceptInvitation` and
 * `OrganizationInput` (`POST api/tenants` with tenants by membership).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(MEMBERSHIP_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const MEMBERSHIP_SCHEMAS: Readonly<Record<string, Json>> = {
  Membership: {
    type: 'object',
    description: "A user's membership of an organization, with their roles in it.",
    required: ['id', 'tenant', 'userId', 'roles', 'addedOn'],
    properties: {
      id: { type: 'string', readOnly: true, description: '`<tenant>|<userId>`.' },
      tenant: { ...ORG_ID, readOnly: true },
      userId: { type: 'string', readOnly: true, description: "The member's `oid` (else `sub`)." },
      email: {
        ...EMAIL,
        readOnly: true,
        description: 'The verified email the member joined with.',
      },
      roles: ROLES,
      addedOn: TIME,
      via: {
        type: 'string',
        enum: [...MEMBERSHIP_DOORS],
        readOnly: true,
        description:
          'The door that admitted the member: the organization created, an invitation, a domain auto-join, a join ' +
          'request, a linked directory, SCIM provisioning.',
      },
    },
  },
  MembershipPage: page('Membership'),
  MemberPatch: {
    type: 'object',
    description:
      "The member's roles, replaced (an Owner only). The read-only fields of a membership read before may be " +
      'sent back unchanged.',
    required: ['roles'],
    additionalProperties: false,
    properties: {
      roles: ROLES,
      id: { type: 'string' },
      tenant: { type: 'string' },
      userId: { type: 'string' },
      email: { type: 'string' },
      addedOn: { type: 'string' },
      via: { type: 'string' },
    },
  },
  MyTenant: {
    type: 'object',
    description: 'An organization you belong to, and your roles in it.',
    required: ['id', 'plan', 'status', 'roles'],
    properties: {
      id: ORG_ID,
      name: { type: 'string' },
      plan: { type: 'string' },
      status: { type: 'string', enum: [...TENANT_STATUSES] },
      deleteOn: {
        type: 'string',
        format: 'date-time',
        description:
          'When an Owner deleted it: the day it may be erased (`POST api/tenant/undelete` before).',
      },
      roles: ROLES,
    },
  },
  MyTenantList: page('MyTenant'),
  Invitation: {
    type: 'object',
    description: 'An invitation not yet accepted (never its token).',
    required: ['id', 'email', 'roles', 'invitedBy', 'createdOn', 'expiresOn'],
    properties: {
      id: { type: 'string', readOnly: true },
      email: EMAIL,
      roles: ROLES,
      invitedBy: { type: 'string', readOnly: true },
      createdOn: TIME,
      expiresOn: TIME,
      delivery: ref('schemas', 'InvitationDelivery'),
    },
  },
  InvitationDelivery: {
    type: 'object',
    description:
      'With `tenants.email`: how the last invitation e-mail went — `sent` once the mail service accepted it, ' +
      "`queued` when Azure's sending limits refused it for now (sent again at `retryAt`, then `sent` or `failed`), " +
      '`failed` with the reason (the invitation stays open; resend it).',
    required: ['status', 'at'],
    readOnly: true,
    properties: {
      status: { type: 'string', enum: ['sent', 'queued', 'failed'] },
      at: { type: 'string', format: 'date-time' },
      error: { type: 'string' },
      retryAt: { type: 'string', format: 'date-time' },
    },
  },
  InvitationPage: page('Invitation'),
  InvitationInput: {
    type: 'object',
    description: 'Whom to invite (their email, as their sign-in verifies it) and with which roles.',
    required: ['email', 'roles'],
    additionalProperties: false,
    properties: { email: EMAIL, roles: ROLES },
  },
  CreatedInvitation: {
    type: 'object',
    description:
      'The invitation, and `acceptUrl` (the landing page) carrying its single-use token (`?invitation=`): shown ' +
      'this once, never stored ' +
      '(only its SHA-256 is), valid 7 days.',
    required: ['id', 'email', 'roles', 'invitedBy', 'createdOn', 'expiresOn', 'acceptUrl'],
    properties: {
      id: { type: 'string' },
      email: EMAIL,
      roles: ROLES,
      invitedBy: { type: 'string' },
      createdOn: { type: 'string', format: 'date-time' },
      expiresOn: { type: 'string', format: 'date-time' },
      acceptUrl: { type: 'string', format: 'uri' },
      delivery: ref('schemas', 'InvitationDelivery'),
    },
  },
  InvitationPreview: {
    type: 'object',
    description:
      'What a landing page shows before the invitee signs in: who invites them to which organization, with which ' +
      'roles, until when, and a hint of the invited email.',
    required: ['organization', 'invitedBy', 'roles', 'expiresOn', 'emailHint'],
    properties: {
      organization: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: ORG_ID, name: { type: 'string' } },
      },
      invitedBy: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      roles: ROLES,
      expiresOn: { type: 'string', format: 'date-time' },
      emailHint: { type: 'string', examples: ['c…@example.com'] },
    },
  },
  AcceptInvitation: {
    type: 'object',
    required: ['token'],
    additionalProperties: false,
    properties: {
      token: { type: 'string', description: "The `token` of the invitation's acceptUrl." },
    },
  },
  OrganizationInput: {
    type: 'object',
    description:
      'A new organization: its display name and, optionally, its id (generated from the name otherwise). The ' +
      "operator's `TenantAdmin` may also set its plan and status.",
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: MAX_ORGANIZATION_NAME },
      id: ORG_ID,
      plan: {
        type: 'string',
        description: "One of the backend's `tenants.plans` (TenantAdmin only).",
      },
      status: { type: 'string', enum: [...TENANT_STATUSES] },
    },
  },
};

const SIGNED_IN = { '401': problem(401), '503': problem(503) };
const IN_TENANT = { ...SIGNED_IN, '400': problem(400), '403': problem(403) };
const BODY = { '400': problem(400), '413': problem(413), '415': problem(415) };
const PAGING = ['First', 'After', 'Limit', 'ContinuationToken'].map((p) => ref('parameters', p));
const MEMBERSHIP = json(ref('schemas', 'Membership'));
const TAGS = ['members'];

/**
 * The membership routes by path (runtime/members): the caller's organizations, an organization's members and
 * invitations (in the request's organization, `X-Atakora-Tenant`), and accepting an invitation.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(MEMBERSHIP_PATHS)) paths.set(path, item);
 * ```
 */
export const MEMBERSHIP_PATHS: Readonly<Record<string, Json>> = {
  [path(MEMBERSHIP_ROUTES.meTenants)]: {
    get: {
      operationId: 'me_tenants',
      summary: 'The organizations you belong to, with your roles in each, a page at a time.',
      tags: TAGS,
      parameters: PAGING,
      responses: {
        '200': {
          description: 'Your organizations, by id.',
          content: json(ref('schemas', 'MyTenantList')),
        },
        ...SIGNED_IN,
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.members)]: {
    get: {
      operationId: 'members_list',
      summary: "The organization's members, a page at a time (any member).",
      tags: TAGS,
      parameters: PAGING,
      responses: {
        '200': {
          description: 'A page of memberships, by id.',
          headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
          content: json(ref('schemas', 'MembershipPage')),
        },
        ...IN_TENANT,
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.member)]: {
    parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }],
    patch: {
      operationId: 'members_update',
      summary: "Replace a member's roles (an Owner).",
      description:
        'The last `Owner` cannot be demoted (409 `last-owner`). Holds on the serving instance at once, on the ' +
        'others within 30 s.',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'MemberPatch')) },
      responses: {
        '200': { description: 'The membership as changed.', content: MEMBERSHIP },
        ...BODY,
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
      },
    },
    delete: {
      operationId: 'members_remove',
      summary: 'Remove a member (an Owner), or leave (your own userId).',
      description:
        "The last `Owner` cannot leave (409 `last-owner`). The member's requests are refused at once on the " +
        'serving instance (within 30 s on the others) and their realtime connections are closed.',
      tags: TAGS,
      responses: {
        '204': { description: 'Removed.' },
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.invitations)]: {
    get: {
      operationId: 'invitations_list',
      summary: "The organization's invitations not yet accepted (an Owner or an Admin).",
      tags: TAGS,
      parameters: PAGING,
      responses: {
        '200': {
          description: 'A page of invitations, by id (never their tokens).',
          headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
          content: json(ref('schemas', 'InvitationPage')),
        },
        ...IN_TENANT,
      },
    },
    post: {
      operationId: 'invitations_create',
      summary: 'Invite someone by email (an Owner or an Admin; only an Owner invites an Owner).',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'InvitationInput')) },
      responses: {
        '201': {
          description: 'The invitation, with the acceptUrl (shown once).',
          headers: { Location: ref('headers', 'Location') },
          content: json(ref('schemas', 'CreatedInvitation')),
        },
        ...BODY,
        ...IN_TENANT,
        '409': problem(409),
        '429': problem(429),
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.invitationResend)]: {
    parameters: [ref('parameters', 'Id')],
    post: {
      operationId: 'invitations_resend',
      summary:
        'Send an invitation again (an Owner or an Admin who may send its roles): a new token (the old one is void), ' +
        'a new 7-day lifetime and, with tenants.email, the e-mail sent again (counted in invitationsPerDay).',
      tags: TAGS,
      responses: {
        '200': {
          description: 'The invitation, with its new acceptUrl (shown once) and its delivery.',
          content: json(ref('schemas', 'CreatedInvitation')),
        },
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
        '429': problem(429),
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.invitation)]: {
    parameters: [ref('parameters', 'Id')],
    get: {
      operationId: 'invitations_get',
      summary: 'An invitation not yet accepted (an Owner or an Admin).',
      tags: TAGS,
      responses: {
        '200': { description: 'The invitation.', content: json(ref('schemas', 'Invitation')) },
        ...IN_TENANT,
        '404': problem(404),
      },
    },
    delete: {
      operationId: 'invitations_revoke',
      summary: 'Revoke an invitation (an Owner or an Admin): its token answers 410 from now on.',
      tags: TAGS,
      responses: { '204': { description: 'Revoked.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
  [path(MEMBERSHIP_ROUTES.preview)]: {
    get: {
      operationId: 'invitations_preview',
      summary:
        'Preview an invitation by its token, without signing in: organization, inviter, roles, expiry, email hint.',
      description:
        'For the landing page of an invitation link. Bounded per client address (30 a minute, 429 ' +
        '`rate-limited`); 410 `invitation-expired` for a used, revoked or expired invitation, 404 for any other ' +
        'token (nothing tells which invitations exist).',
      tags: TAGS,
      security: [],
      parameters: [
        {
          name: 'invitation',
          in: 'query',
          required: true,
          description: "The token of the invitation link's `?invitation=`.",
          schema: { type: 'string', maxLength: 200 },
        },
      ],
      responses: {
        '200': {
          description: 'The invitation.',
          content: json(ref('schemas', 'InvitationPreview')),
        },
        '404': problem(404),
        '410': problem(410),
        '429': problem(429),
        '503': problem(503),
      },
    },
  },
  [path(MEMBERSHIP_ROUTES.accept)]: {
    post: {
      operationId: 'invitations_accept',
      summary:
        'Accept an invitation: join its organization with its roles (your verified email must be the invited one).',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'AcceptInvitation')) },
      responses: {
        '201': {
          description: 'Your membership.',
          headers: { Location: ref('headers', 'Location') },
          content: MEMBERSHIP,
        },
        ...BODY,
        ...SIGNED_IN,
        '403': problem(403),
        '410': problem(410),
      },
    },
  },
};

/**
 * `POST api/tenants` with tenants by membership: create an organization (any signed-in user with `createTenants:
 * 'any-user'`, else the operator's `TenantAdmin`), its creator its first `Owner`.
 *
 * @example
 * ```ts
 * item.post = ORGANIZATION_CREATE;
 * ```
 */
export const ORGANIZATION_CREATE: Json = {
  operationId: 'tenants_create',
  summary: 'Create an organization: you become its Owner.',
  description:
    "Any signed-in user when the backend says `createTenants: 'any-user'`; otherwise the home directory's " +
    '`TenantAdmin` only (403 `tenant-admin-required`). The organization is on the default plan unless the ' +
    'TenantAdmin names another.',
  tags: ['tenants'],
  requestBody: { required: true, content: json(ref('schemas', 'OrganizationInput')) },
  responses: {
    '201': {
      description: 'Created: you are its Owner.',
      // A signed-in user's creation is bounded per user (runtime/limits/signed-in-limit.ts): its answers carry the
      // RateLimit pair, though `api/tenants` is otherwise the operator's and exempt (openapi-limits.ts).
      headers: {
        ETag: ref('headers', 'ETag'),
        Location: ref('headers', 'Location'),
        ...RATE_LIMIT_PAIR,
      },
      content: json(ref('schemas', 'TenantRecord')),
    },
    ...BODY,
    ...SIGNED_IN,
    '403': problem(403),
    '409': problem(409),
    '429': problem(429),
  },
};

/** Routes that act in no organization: the caller's own, the registry's, and the runtime's own. */
const WITHOUT_ORGANIZATION = [
  path(MEMBERSHIP_ROUTES.meTenants),
  path(AGENT_ROUTES.mine),
  path(PLANS_ROUTE),
  path(JOIN_ROUTES.joinable),
  path(MEMBERSHIP_ROUTES.accept),
  path(MEMBERSHIP_ROUTES.preview),
  path(TENANTS_ROUTE),
  path(OPENAPI_ROUTE),
  path(HEALTH_ROUTE),
];

/**
 * The `X-Atakora-Tenant` request header (the organization a request acts in), as a component parameter.
 *
 * @example
 * ```ts
 * parameters['TenantSelect'] = TENANT_SELECT_PARAMETER;
 * ```
 */
export const TENANT_SELECT_PARAMETER: Json = {
  name: TENANT_SELECT_HEADER,
  in: 'header',
  required: false,
  description:
    'The organization this request acts in (an organization id). Without it, your only organization when you ' +
    'belong to exactly one; otherwise 400 `tenant-required`. A non-member is refused with 403 `not-a-member`.',
  schema: ORG_ID,
};

/**
 * The paths with the organization header declared on every signed-in operation that acts in an organization
 * (CRUD, children, files, functions, negotiate, `api/tenant`, members, invitations) and the 400 it may bring
 * (`tenant-required`). Anonymous operations (`security: []`) and the routes of no organization are left as they are.
 *
 * @example
 * ```ts
 * const withHeader = withOrganizationHeader(paths);
 * ```
 */
export function withOrganizationHeader(paths: ReadonlyMap<string, Json>): Map<string, Json> {
  return withSignedInOperations(paths, WITHOUT_ORGANIZATION, (op) => {
    const responses: Json = { ...(op['responses'] as Json) };
    responses['400'] ??= problem(400);
    responses['403'] ??= problem(403);
    const parameters = [
      ...((op['parameters'] as unknown[] | undefined) ?? []),
      ref('parameters', 'TenantSelect'),
    ];
    return { ...op, parameters, responses };
  });
}
