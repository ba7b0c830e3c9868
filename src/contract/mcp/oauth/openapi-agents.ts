import { type Json, json, path, problem, ref } from '../../openapi/openapi-refs.js';
import { AGENT_ROUTES } from './agents.js';

const SIGNED_IN = { '401': problem(401), '503': problem(503) };
const IN_TENANT = { ...SIGNED_IN, '400': problem(400), '403': problem(403) };
const TAGS = ['agents'];
const GRANT = [{ name: 'grant', in: 'path', required: true, schema: { type: 'string' } }];
const LIST = {
  '200': {
    description: 'The connected agents.',
    content: json(ref('schemas', 'ConnectedAgentList')),
  },
};
const REVOKED = {
  '204': {
    description:
      'Revoked: its refresh token is refused at once, its access tokens at the MCP door within 30 s (audited ' +
      '`agent.revoked`).',
  },
};

/**
 * The schemas of the connected agents' routes: `ConnectedAgent` (contract/mcp/oauth/agents.ts) and its list.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(AGENT_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const AGENT_SCHEMAS: Readonly<Record<string, Json>> = {
  ConnectedAgent: {
    type: 'object',
    description:
      "A person's consent for one agent (a hosted MCP client) in one organization, never a token (DESIGN §2, " +
      '"Grants are data").',
    required: [
      'id',
      'person',
      'organization',
      'clientId',
      'clientName',
      'clientHost',
      'connectedOn',
      'lastUsedOn',
    ],
    properties: {
      id: { type: 'string', description: 'The grant: what `DELETE …/agents/{grant}` revokes.' },
      person: { type: 'string', description: "The person's user id." },
      organization: { type: 'string' },
      clientId: {
        type: 'string',
        description: "The client's id: the URL of its Client ID Metadata Document.",
      },
      clientName: { type: 'string', description: 'The `client_name` its document gives.' },
      clientHost: { type: 'string' },
      connectedOn: { type: 'string', format: 'date-time' },
      lastUsedOn: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When its refresh token was last used; `null`: not since it connected.',
      },
    },
  },
  ConnectedAgentList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'ConnectedAgent') } },
  },
};

/**
 * The connected agents' routes by path (runtime/members/agents/agents-routes.ts), served with `mcp.authorization`:
 * the person's own in every organization (`api/me/agents`, in no organization) and the organization's for its
 * Owners and Admins (`api/tenant/agents`, in the request's organization).
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(AGENT_PATHS)) paths.set(path, item);
 * ```
 */
export const AGENT_PATHS: Readonly<Record<string, Json>> = {
  [path(AGENT_ROUTES.mine)]: {
    get: {
      operationId: 'agents_listMine',
      summary: 'The agents you connected, in every organization.',
      tags: TAGS,
      responses: { ...LIST, ...SIGNED_IN },
    },
  },
  [path(AGENT_ROUTES.myGrant)]: {
    parameters: GRANT,
    delete: {
      operationId: 'agents_revokeMine',
      summary: 'Disconnect one of your agents.',
      description: '404 `not-found` for a grant that is not yours, or not live.',
      tags: TAGS,
      responses: { ...REVOKED, ...SIGNED_IN, '404': problem(404) },
    },
  },
  [path(AGENT_ROUTES.organization)]: {
    get: {
      operationId: 'agents_list',
      summary: 'The agents every member connected to the organization (an Owner or an Admin).',
      tags: TAGS,
      responses: { ...LIST, ...IN_TENANT },
    },
  },
  [path(AGENT_ROUTES.organizationGrant)]: {
    parameters: GRANT,
    delete: {
      operationId: 'agents_revoke',
      summary: "Disconnect a member's agent from the organization (an Owner or an Admin).",
      tags: TAGS,
      responses: { ...REVOKED, ...IN_TENANT, '404': problem(404) },
    },
  },
};
