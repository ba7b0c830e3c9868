/**
 * Where ACS keeps e-mail data at rest (azurerm v4.55.0 `data_location`, one of Africa, Asia Pacific, Australia,
 * Brazil, Canada, Europe, France, Germany, India, Japan, Korea, Norway, Switzerland, UAE, UK, United States, usgov;
 * internal/services/communication/email_communication_service_resource.go), chosen from the backend's region by its
 * geography (Learn, "Region availability and data residency for Azure Communication Services"). A region of no
 * listed geography keeps the provider's default, `United States`.
 */
const BY_PREFIX: readonly (readonly [string, string])[] = [
  ['southafrica', 'Africa'],
  ['eastasia', 'Asia Pacific'],
  ['southeastasia', 'Asia Pacific'],
  ['australia', 'Australia'],
  ['brazil', 'Brazil'],
  ['canada', 'Canada'],
  ['france', 'France'],
  ['germany', 'Germany'],
  ['centralindia', 'India'],
  ['southindia', 'India'],
  ['westindia', 'India'],
  ['japan', 'Japan'],
  ['korea', 'Korea'],
  ['norway', 'Norway'],
  ['switzerland', 'Switzerland'],
  ['uae', 'UAE'],
  ['uk', 'UK'],
  ['northeurope', 'Europe'],
  ['westeurope', 'Europe'],
  ['sweden', 'Europe'],
  ['italy', 'Europe'],
  ['poland', 'Europe'],
  ['spain', 'Europe'],
  ['usgov', 'usgov'],
];

/**
 * The ACS `data_location` of an Azure region.
 *
 * @example
 * ```ts
 * dataLocationOf('westeurope'); // 'Europe'
 * dataLocationOf('eastus'); // 'United States'
 * ```
 */
export function dataLocationOf(region: string): string {
  const r = region.toLowerCase().replace(/\s+/g, '');
  return BY_PREFIX.find(([prefix]) => r.startsWith(prefix))?.[1] ?? 'United States';
}
