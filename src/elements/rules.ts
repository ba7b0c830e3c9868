/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { ORGANIZATION_ROUTES, organizationAnswer } from '../access/model/organization-routes.js';

/**
 * Whether a person holding `roles` in the organization passes the role rule of the organization route `operation`
 * (`'members:remove'`, `'invitations:create'`…): the same table the runtime's gate and `atakora verify` read
 * (access/model/organization-routes.ts), so an element shows no control the API would answer 403.
 *
 * @example
 * ```ts
 * import { may } from '@atakora/component/elements';
 * may('members:remove', ['Admin']); // false: an Owner's
 * may('invitations:create', ['Admin']); // true
 * ```
 */
export function may(operation: string, roles: readonly string[] | undefined): boolean {
  const route = ORGANIZATION_ROUTES.find((r) => r.operation === operation);
  if (!route) return false;
  const answer = organizationAnswer(route.rule, { signedIn: true, roles });
  return answer === 'tenant' || answer === 'own' || answer === 'allow';
}
