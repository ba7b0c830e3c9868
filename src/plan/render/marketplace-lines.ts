import type { ResourcePlan } from '../../model/plan.js';

/**
 * The Marketplace block of `atakora plan` (text, or Markdown): what to paste into Partner Center's Technical
 * configuration, the landing sign-in the stack registers, the plans and dimensions the offer maps, the secrets to set
 * and what selling there costs. Empty without `plan.marketplace`.
 *
 * @example
 * ```ts
 * out.push(...marketplaceLines(plan, { markdown: false }));
 * ```
 */
export function marketplaceLines(plan: ResourcePlan, o: { readonly markdown: boolean }): string[] {
  const m = plan.marketplace;
  if (!m) return [];
  const item = (k: string, v: string) => (o.markdown ? `- **${k}**: \`${v}\`` : `  ${k}: ${v}`);
  const pairs = (r: Readonly<Record<string, string>>) =>
    Object.entries(r)
      .map(([a, b]) => `${a} → ${b}`)
      .join(', ') || 'none';
  return [
    '',
    o.markdown
      ? `### Azure Marketplace (offer ${m.offer})`
      : `Azure Marketplace (offer ${m.offer}):`,
    item('Landing page URL', m.landingPageUrl),
    item('Connection webhook', m.webhookUrl),
    item('Microsoft Entra tenant ID', m.tenantId),
    item('Microsoft Entra application ID', m.applicationId),
    item(
      'Landing sign-in',
      m.landingSignIn
        ? `${m.landingSignIn.registration} (any Entra directory and personal Microsoft accounts), redirect ${m.landingSignIn.redirectUri}`
        : 'none registered (auth.appRegistration: false)',
    ),
    item('Plans', pairs(m.plans)),
    item('Dimensions', pairs(m.dimensions)),
    item('Secrets to set', m.secrets.join(', ')),
    item('Store service fee', `${String(m.storeServiceFeePercent)}% of what buyers pay`),
    ...m.notes.map((n) => (o.markdown ? `- ${n}` : `  note: ${n}`)),
  ];
}
