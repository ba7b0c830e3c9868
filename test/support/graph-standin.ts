import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.js';

/**
 * A loopback stand-in for the Microsoft Graph v1.0 calls of `atakora auth setup` in an external tenant, answering
 * with the shapes Learn's Graph reference documents (each route cites its page, https://learn.microsoft.com/graph/
 * api/<page>). It keeps state like a tenant would: the apps registered, the social providers (their secrets kept
 * but read back as `******`, as "clientSecret … is write-only"), the user flows with their providers and apps. Its
 * rules are the documented ones: a flow's display name "Must be unique"; "The identity provider must first be
 * configured in the tenant" before a flow names it; "An application can only be linked to one user flow"; a
 * tenant holds one social provider per type (its id `<Type>-OAUTH`). `deny` answers an area 403 as Graph answers
 * a caller without its permission; lists come in pages of `pageSize` with `@odata.nextLink`.
 */
export interface GraphStandIn {
  /** For ATAKORA_GRAPH_ENDPOINT. */
  readonly base: string;
  /** Every request: method, path with query, body text. */
  readonly requests: { method: string; url: string; body: string; authorization?: string }[];
  readonly applications: { id: string; appId: string; displayName: string }[];
  readonly providers: Map<
    string,
    { type: string; displayName: string; clientId: string; clientSecret: string }
  >;
  readonly flows: Map<
    string,
    { type: string; displayName: string; providers: string[]; apps: string[]; body: unknown }
  >;
  /** Areas refused with 403 Authorization_RequestDenied. */
  readonly deny: Set<'userFlows' | 'identityProviders' | 'applications'>;
  /** Items per page of a list (default 100). */
  pageSize: number;
  /** An origin to put in `@odata.nextLink` instead of the stand-in's own (a hostile or broken proxy). */
  nextLinkOrigin?: string;
  /** List flows without their providers (a listing that does not expand them): asked of each flow then. */
  bareFlowList?: boolean;
  /** Refuse a provider's creation with a 400 whose message repeats the secret sent (a careless service's echo). */
  echoSecretInError?: boolean;
  /** The writes (not GET) seen. */
  writes(): { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

const BUILT_IN = [
  {
    id: 'EmailPassword-OAUTH',
    displayName: 'Email with password',
    identityProviderType: 'EmailPassword',
  },
  {
    id: 'EmailOtpSignup-OAUTH',
    displayName: 'Email one-time passcode',
    identityProviderType: 'EmailOTP',
  },
];
const FLOW_TYPE = '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow';
const FLOW_IDPS =
  '/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/' +
  'microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders';

/** Start the stand-in on 127.0.0.1 (a port the OS picks); `token` is the only bearer it accepts. */
export async function startGraphStandIn(token: string): Promise<GraphStandIn> {
  let n = 0;
  const guid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const state: Omit<GraphStandIn, 'base' | 'close' | 'writes'> = {
    requests: [],
    applications: [],
    providers: new Map(),
    flows: new Map(),
    deny: new Set(),
    pageSize: 100,
  };
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: text,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      try {
        route(req, res, text);
      } catch (e) {
        send(res, 400, error('Request_BadRequest', (e as Error).message));
      }
    });
  });
  const send = (res: ServerResponse, status: number, data?: unknown) => {
    if (data === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  };
  const error = (code: string, message: string) => ({ error: { code, message } });
  let base = '';
  const page = (res: ServerResponse, url: URL, items: unknown[]) => {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const next = skip + state.pageSize;
    const link = new URL(url.pathname + url.search, state.nextLinkOrigin ?? base);
    link.searchParams.set('$skiptoken', String(next));
    send(res, 200, {
      value: items.slice(skip, next),
      ...(next < items.length ? { '@odata.nextLink': link.href } : {}),
    });
  };
  const socialOut = (id: string) => {
    const p = state.providers.get(id);
    return (
      p && {
        '@odata.type': '#microsoft.graph.socialIdentityProvider',
        id,
        displayName: p.displayName,
        identityProviderType: p.type,
        clientId: p.clientId,
        clientSecret: '******',
      }
    );
  };
  const providerOut = (id: string) =>
    socialOut(id) ??
    (() => {
      const b = BUILT_IN.find((x) => x.id === id);
      return b && { '@odata.type': '#microsoft.graph.builtInIdentityProvider', ...b };
    })();

  function route(req: IncomingMessage, res: ServerResponse, text: string): void {
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(
        res,
        401,
        error('InvalidAuthenticationToken', 'Access token is empty or invalid.'),
      );
    const url = new URL(req.url ?? '/', base);
    const path = decodeURIComponent(url.pathname)
      .replace(/^\/v1\.0/, '')
      .replace(/\/$/, '');
    const method = req.method ?? 'GET';
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const area = path.startsWith('/applications')
      ? 'applications'
      : path.startsWith('/identity/identityProviders')
        ? 'identityProviders'
        : 'userFlows';
    if (state.deny.has(area))
      return send(
        res,
        403,
        error('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
      );
    // application-list: GET /applications?$filter=displayName eq '…'
    if (path === '/applications' && method === 'GET') {
      const m = /^displayName eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
      const name = m?.[1]?.replace(/''/g, "'");
      return page(
        res,
        url,
        state.applications.filter((a) => name === undefined || a.displayName === name),
      );
    }
    // identitycontainer-list-identityproviders / -post-identityproviders; identityproviderbase-update
    if (path === '/identity/identityProviders') {
      if (method === 'GET')
        return page(res, url, [
          ...BUILT_IN.map((b) => providerOut(b.id)),
          ...[...state.providers.keys()].map(socialOut),
        ]);
      if (method === 'POST') {
        const type = String(json['identityProviderType']);
        if (
          json['@odata.type'] !== '#microsoft.graph.socialIdentityProvider' ||
          !['Google', 'Facebook'].includes(type)
        )
          return send(
            res,
            400,
            error(
              'Request_BadRequest',
              'Only a socialIdentityProvider of Google or Facebook can be created.',
            ),
          );
        if (state.echoSecretInError)
          return send(
            res,
            400,
            error(
              'Request_BadRequest',
              `The client secret '${String(json['clientSecret'])}' was refused.`,
            ),
          );
        const id = `${type}-OAUTH`;
        if (state.providers.has(id))
          return send(
            res,
            409,
            error(
              'Request_MultipleObjectsWithSameKeyValue',
              `An identity provider ${id} already exists.`,
            ),
          );
        state.providers.set(id, {
          type,
          displayName: String(json['displayName']),
          clientId: String(json['clientId']),
          clientSecret: String(json['clientSecret']),
        });
        // As the reference's example answers: the created provider, its secret as sent.
        return send(res, 201, { ...socialOut(id), clientSecret: json['clientSecret'] });
      }
    }
    const provider = /^\/identity\/identityProviders\/([^/]+)$/.exec(path);
    if (provider && method === 'PATCH') {
      const p = state.providers.get(provider[1] ?? '');
      if (!p)
        return send(res, 404, error('Request_ResourceNotFound', 'No such identity provider.'));
      if (typeof json['clientId'] === 'string') p.clientId = json['clientId'];
      if (typeof json['clientSecret'] === 'string') p.clientSecret = json['clientSecret'];
      return send(res, 204);
    }
    // identitycontainer-list-authenticationeventsflows / -post-authenticationeventsflows
    if (path === '/identity/authenticationEventsFlows') {
      if (method === 'GET')
        return page(
          res,
          url,
          // As the reference's example lists them: the providers in full, includeApplications empty.
          [...state.flows].map(([id, f]) => ({
            '@odata.type': f.type,
            id,
            displayName: f.displayName,
            conditions: {
              applications: { includeAllApplications: false, includeApplications: [] },
            },
            ...(state.bareFlowList
              ? {}
              : {
                  onAuthenticationMethodLoadStart: {
                    '@odata.type':
                      '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
                    identityProviders: f.providers.map(providerOut),
                  },
                }),
          })),
        );
      if (method === 'POST') return createFlow(res, json);
    }
    const flow = /^\/identity\/authenticationEventsFlows\/([^/]+)(\/.*)?$/.exec(path);
    const f = flow && state.flows.get(flow[1] ?? '');
    if (flow && !f) return send(res, 404, error('Request_ResourceNotFound', 'No such user flow.'));
    if (flow && f) return flowRoute(res, url, method, flow[2] ?? '', f, json);
    return send(
      res,
      400,
      error('Request_BadRequest', `${method} ${path} is not a route of this stand-in.`),
    );
  }

  function createFlow(res: ServerResponse, json: Record<string, unknown>): void {
    if (json['@odata.type'] !== FLOW_TYPE)
      return send(
        res,
        400,
        error(
          'Request_BadRequest',
          'Only an externalUsersSelfServiceSignUpEventsFlow can be created.',
        ),
      );
    const displayName = String(json['displayName']);
    if ([...state.flows.values()].some((x) => x.displayName === displayName))
      return send(
        res,
        400,
        error('Request_BadRequest', 'The display name of a user flow must be unique.'),
      );
    const start = json['onAuthenticationMethodLoadStart'] as
      | { identityProviders?: { id: string }[] }
      | undefined;
    const providers = (start?.identityProviders ?? []).map((p) => p.id);
    const unknown = providers.find((p) => !providerOut(p));
    if (unknown)
      return send(
        res,
        400,
        error(
          'Request_BadRequest',
          `The identity provider ${unknown} is not configured in the tenant.`,
        ),
      );
    const conditions = json['conditions'] as
      | { applications?: { includeApplications?: { appId: string }[] } }
      | undefined;
    const apps = (conditions?.applications?.includeApplications ?? []).map((a) => a.appId);
    const id = guid();
    state.flows.set(id, { type: FLOW_TYPE, displayName, providers, apps, body: json });
    // The reference's example answer: the flow without its providers echoed.
    send(res, 201, {
      '@odata.type': FLOW_TYPE,
      id,
      displayName,
      conditions: { applications: { includeAllApplications: false } },
      onAuthenticationMethodLoadStart: {
        '@odata.type':
          '#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp',
      },
    });
  }

  function flowRoute(
    res: ServerResponse,
    url: URL,
    method: string,
    rest: string,
    f: { providers: string[]; apps: string[] },
    json: Record<string, unknown>,
  ): void {
    // onauthenticationmethodloadstartexternalusersselfservicesignup-list-/post-/delete-identityproviders
    if (rest === FLOW_IDPS && method === 'GET') return page(res, url, f.providers.map(providerOut));
    if (rest === `${FLOW_IDPS}/$ref` && method === 'POST') {
      const id =
        String(json['@odata.id'] ?? '')
          .split('/')
          .pop() ?? '';
      if (!providerOut(id))
        return send(
          res,
          400,
          error(
            'Request_BadRequest',
            `The identity provider ${id} is not configured in the tenant.`,
          ),
        );
      if (!f.providers.includes(id)) f.providers.push(id);
      return send(res, 204);
    }
    const ref = new RegExp(`^${FLOW_IDPS.replace(/\./g, '\\.')}/([^/]+)/\\$ref$`).exec(rest);
    if (ref && method === 'DELETE') {
      const at = f.providers.indexOf(ref[1] ?? '');
      if (at < 0) return send(res, 404, error('Request_ResourceNotFound', 'Not on the user flow.'));
      f.providers.splice(at, 1);
      return send(res, 204);
    }
    // authenticationconditionsapplications-list-/post-includeapplications
    if (rest === '/conditions/applications/includeApplications') {
      if (method === 'GET')
        return page(
          res,
          url,
          f.apps.map((appId) => ({ appId })),
        );
      if (method === 'POST') {
        const appId = String(json['appId']);
        const elsewhere = [...state.flows.values()].find((x) => x !== f && x.apps.includes(appId));
        if (elsewhere)
          return send(
            res,
            400,
            error(
              'Request_BadRequest',
              `The application ${appId} is already linked to a user flow.`,
            ),
          );
        if (!f.apps.includes(appId)) f.apps.push(appId);
        return send(res, 201, { appId });
      }
    }
    send(
      res,
      400,
      error('Request_BadRequest', `${method} ${rest} is not a route of this stand-in.`),
    );
  }

  const listening = await listenOnLoopback(server);
  base = listening.base;
  return Object.assign(state, {
    ...listening,
    writes: () => state.requests.filter((r) => r.method !== 'GET'),
  });
}
