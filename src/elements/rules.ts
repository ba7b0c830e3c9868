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

/**
 * Whether holding `to` instead of `from` takes a right away: an organization route `from` passes and `to` does not,
 * by the same rule table. What the members element asks before when the role is the person's own (they cannot give
 * the rights back themself); another member's role changes at once, as the Owner who lowers it can raise it again. A
 * role the table does not name (a backend's own, `Auditor`) has a member's rights.
 *
 * @example
 * ```ts
 * losesRights(['Admin'], ['Member']); // true: Admins invite
 * losesRights(['Member'], ['Admin']); // false
 * ```
 */
export function losesRights(from: readonly string[], to: readonly string[]): boolean {
  return ORGANIZATION_ROUTES.some((r) => may(r.operation, from) && !may(r.operation, to));
}
