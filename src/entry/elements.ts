/// <reference lib="dom" preserve="true" />
/// <reference lib="dom.iterable" preserve="true" />
/**
 * `@atakora/component/elements`: the people side as drop-in Custom Elements on the typed client — the
 * organization switcher, members, the invitation landing, the plan, the organization's settings, the enterprise
 * setup (domains, directory sign-in, SCIM), the audit log and the agents. Light DOM by
 * default (`shadow` opts in), themed by `--atakora-*` custom properties and `::part`, localized (English, German,
 * Arabic right to left; `lang`; `setMessages`). Importing it in a browser defines the elements; `configure` connects
 * them to the backend.
 *
 * @example
 * <!-- snippet: no-run (runs in a browser page) -->
 * ```ts
 * import { configure } from '@atakora/component/elements';
 * configure({ config: await (await fetch('/atakora.config.json')).json(), getToken: () => undefined });
 * document.body.append(document.createElement('atakora-members'));
 * ```
 * @packageDocumentation
 */
import { defineElements } from '../elements/index.js';

export {
  configure,
  currentOrganization,
  setOrganization,
  ORGANIZATION_CHANGE,
  DATA_CHANGE,
  type ElementsOptions,
} from '../elements/connection.js';
export { setMessages, ENGLISH_MESSAGES, type Messages } from '../elements/messages.js';
export { defineElements, ELEMENTS } from '../elements/index.js';
export { AtakoraElement } from '../elements/base.js';
export { AtakoraOrganizationSwitcher } from '../elements/organization-switcher.js';
export { AtakoraMembers } from '../elements/members.js';
export { AtakoraInvitation } from '../elements/invitation.js';
export { AtakoraPlan } from '../elements/plan.js';
export { AtakoraOrganizationSettings } from '../elements/organization-settings.js';
export { AtakoraEnterprise } from '../elements/enterprise.js';
export { AtakoraAuditLog } from '../elements/audit-log.js';
export { AtakoraAgents, type AgentGrantView } from '../elements/agents.js';
export { may } from '../elements/rules.js';
export type * from '../elements/jsx.js';

defineElements();
