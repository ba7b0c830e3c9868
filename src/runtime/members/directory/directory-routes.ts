import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { DIRECTORY_FUNCTION, DIRECTORY_ROUTE } from '../../../contract/enterprise/directory.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import { problemResponse } from '../../http/response.js';
import type { RuntimeServices } from '../../pipeline/context.js';
import { serve } from '../../pipeline/serve.js';
import { actorOf, type MembershipRoute, nobody, routeOf } from '../membership-routes.js';
import type { MembersApi } from '../members-api.js';
import {
  type DirectoryApi,
  linkDirectory,
  readDirectory,
  unlinkDirectory,
} from './directory-operations.js';

/** 400 `directory-not-supported`: the backend's sign-in gives every user the same directory (or none to link). */
const notSupported = (): Promise<HttpResponseInit> =>
  Promise.resolve(
    problemResponse(
      'directory-not-supported',
      "Directory sign-in needs a workforce sign-in open to every organization's directory " +
        "(auth.signInAudience: 'AzureADMultipleOrgs'); this backend signs users in from one directory only " +
        '(a single-tenant or a customers sign-in). See docs/enterprise.md.',
    ),
  );

/**
 * `GET|PUT|DELETE api/tenant/directory` (DESIGN §2, "Organizations that enterprises can buy") through the request
 * pipeline, acting in the request's organization like `api/tenant/members` — except that an Owner reaches it under
 * `requireDirectory` from any directory (`directoryRoute`), so a directory that can no longer sign anyone in can
 * always be unlinked. On a backend without directory sign-in it answers 400 `directory-not-supported`.
 *
 * @example
 * ```ts
 * for (const f of directoryFunctions(policy, api, services)) app.http(f.name, { route: f.route, handler: f.handler });
 * ```
 */
export function directoryFunctions(
  policy: RuntimeAuth,
  api: MembersApi,
  services: RuntimeServices,
): { readonly name: string; readonly route: string; readonly handler: HttpHandler }[] {
  const directories = api.directories;
  const on =
    api.membership.directorySignIn && directories
      ? ({ ...api, directories } satisfies DirectoryApi)
      : undefined;
  const handler = serve<MembershipRoute>(
    {
      policy,
      directoryRoute: true,
      route: routeOf(['GET', 'PUT', 'DELETE']),
      handle: (ctx) => {
        const found = actorOf(ctx);
        if (!found) return nobody();
        if (!on) return notSupported();
        const { actor, tenant } = found;
        if (ctx.route.method === 'GET') return readDirectory(on, actor, tenant);
        if (ctx.route.method === 'DELETE') return unlinkDirectory(on, actor, tenant);
        return linkDirectory(on, actor, tenant, ctx.request, {
          tid: ctx.caller.requestCaller()?.tid,
          // The directory roles of the token App Service validated (the caller stage read and admitted it).
          wids: ctx.caller.account?.wids ?? [],
        });
      },
    },
    services,
  );
  return [{ name: DIRECTORY_FUNCTION, route: DIRECTORY_ROUTE, handler }];
}
