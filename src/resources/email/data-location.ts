/**
 * Where ACS keeps e-mail data at rest: the `data_location` of both services, one of the geographies ACS offers (Learn,
 * "Region availability and data residency for Azure Communication Services": Africa, Asia Pacific, Australia, Brazil,
 * Canada, Europe, France, Germany, India, Japan, Korea, Norway, Switzerland, United Arab Emirates, United Kingdom,
 * United States — https://learn.microsoft.com/azure/communication-services/concepts/privacy), spelt as azurerm
 * v4.55.0 accepts them (`data_location`'s StringInSlice in internal/services/communication/
 * email_communication_service_resource.go and communication_service_resource.go: `UAE`, `UK`, and `usgov` for Azure
 * Government). A region maps to the geography Azure places it in (Learn, "Azure geographies"); a region of a
 * geography ACS does not list maps to the listed one that contains its country (the EU countries' own geographies —
 * Sweden, Italy, Poland, Spain, Austria, Belgium, Denmark — to Europe; Indonesia, Malaysia and Taiwan to Asia
 * Pacific; Jio's India regions to India), else the nearest, which the plan says (`nearest`: data at rest leaves the
 * region's country).
 */
const BY_REGION: readonly (readonly [RegExp, string, 'own' | 'nearest'])[] = [
  [/^usgov|^usdod/, 'usgov', 'own'],
  [/^southafrica/, 'Africa', 'own'],
  [/^(eastasia|southeastasia|indonesia|malaysia|taiwan)/, 'Asia Pacific', 'own'],
  [/^australia/, 'Australia', 'own'],
  [/^newzealand/, 'Australia', 'nearest'],
  [/^brazil/, 'Brazil', 'own'],
  [/^chile/, 'Brazil', 'nearest'],
  [/^canada/, 'Canada', 'own'],
  [/^(northeurope|westeurope|sweden|italy|poland|spain|austria|belgium|denmark)/, 'Europe', 'own'],
  [/^israel/, 'Europe', 'nearest'],
  [/^france/, 'France', 'own'],
  [/^germany/, 'Germany', 'own'],
  [/^(centralindia|southindia|westindia|jioindia)/, 'India', 'own'],
  [/^japan/, 'Japan', 'own'],
  [/^korea/, 'Korea', 'own'],
  [/^norway/, 'Norway', 'own'],
  [/^switzerland/, 'Switzerland', 'own'],
  [/^uae/, 'UAE', 'own'],
  [/^qatar/, 'UAE', 'nearest'],
  [/^uk/, 'UK', 'own'],
  [
    /^(eastus|westus|centralus|northcentralus|southcentralus|westcentralus)/,
    'United States',
    'own',
  ],
  [/^mexico/, 'United States', 'nearest'],
];

/** A backend region's ACS data location, and whether it is its own geography's or the nearest one ACS offers. */
export interface EmailDataLocation {
  readonly location: string;
  /** True when the region's own geography has no ACS data location: the data rests in `location` instead. */
  readonly nearest: boolean;
}

/**
 * The ACS `data_location` of an Azure region (`westeurope`, `West Europe`, `austriaeast` …). A region this table does
 * not know is `United States` (azurerm's default for the Communication Service) and `nearest`, so the plan says so.
 *
 * @example
 * ```ts
 * dataLocationFor('austriaeast'); // { location: 'Europe', nearest: false }
 * dataLocationFor('mexicocentral'); // { location: 'United States', nearest: true }
 * ```
 */
export function dataLocationFor(region: string): EmailDataLocation {
  const r = region.toLowerCase().replace(/\s+/g, '');
  const hit = BY_REGION.find(([pattern]) => pattern.test(r));
  return hit
    ? { location: hit[1], nearest: hit[2] === 'nearest' }
    : { location: 'United States', nearest: true };
}

/**
 * The ACS `data_location` of an Azure region ({@link dataLocationFor}'s location).
 *
 * @example
 * ```ts
 * dataLocationOf('westeurope'); // 'Europe'
 * dataLocationOf('eastus'); // 'United States'
 * ```
 */
export function dataLocationOf(region: string): string {
  return dataLocationFor(region).location;
}
