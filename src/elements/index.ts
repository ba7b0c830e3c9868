/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { AtakoraAgents } from './agents.js';
import { AtakoraAuditLog } from './audit-log.js';
import { AtakoraEnterprise } from './enterprise.js';
import { AtakoraInvitation } from './invitation.js';
import { AtakoraMembers } from './members.js';
import { AtakoraOrganizationSwitcher } from './organization-switcher.js';
import { AtakoraOrganizationSettings } from './organization-settings.js';
import { AtakoraPlan } from './plan.js';

/** The elements by tag name. */
export const ELEMENTS = {
  'atakora-organization-switcher': AtakoraOrganizationSwitcher,
  'atakora-members': AtakoraMembers,
  'atakora-invitation': AtakoraInvitation,
  'atakora-plan': AtakoraPlan,
  'atakora-organization-settings': AtakoraOrganizationSettings,
  'atakora-enterprise': AtakoraEnterprise,
  'atakora-audit-log': AtakoraAuditLog,
  'atakora-agents': AtakoraAgents,
} as const;

/**
 * Define every element (once; a tag already defined, by another copy of this module, is left as it is).
 *
 * @example
 * ```ts
 * import { defineElements } from '@atakora/component/elements';
 * defineElements(); // also done when the module loads in a browser
 * ```
 */
export function defineElements(
  registry: CustomElementRegistry | undefined = globalThis.customElements,
): void {
  if (!registry) return;
  for (const [tag, element] of Object.entries(ELEMENTS))
    if (!registry.get(tag)) registry.define(tag, element);
}
