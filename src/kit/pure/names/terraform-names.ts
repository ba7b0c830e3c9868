import { at } from '../../../model/at.js';
/**
 * Logical names of Terraform resources (`resource.<type>.<name>` in cdk.tf.json). The plan's `deploys`
 * and apply's `overrideLogicalId` both come from here, so the plan and the synthesized JSON cannot drift.
 * Names derive from the backend id and the resource key, never from a position, so they are stable.
 *
 * @example
 * ```ts
 * tfName('backend', 'cosmos:shared', 'db', 'user-db'); // 'backend_cosmos_shared_db_user-db'
 * ```
 */
export function tfName(...parts: readonly string[]): string {
  // A plan asks for tens of thousands of these (every container, grant and identity at 10,000 CrudApis) and
  // almost every part is already valid: it is checked by character, and only a part that needs it is rewritten.
  // One join, one flat string (a chain of concatenations left a string per step behind).
  let valid = true;
  for (let i = 0; i < parts.length && valid; i++) valid = isValidPart(at(parts, i));
  const joined = (
    valid ? parts : parts.map((p) => (isValidPart(p) ? p : p.replace(/[^A-Za-z0-9_-]+/g, '_')))
  ).join('_');
  // Terraform identifiers start with a letter or underscore.
  return isLetterOrUnderscore(joined.charCodeAt(0)) ? joined : `_${joined}`;
}

/** Letters, digits, `_` and `-` only: what tfName keeps of a part. */
function isValidPart(part: string): boolean {
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (!isLetterOrUnderscore(c) && !(c >= 48 && c <= 57) && c !== 45) return false;
  }
  return true;
}

/** A-Z, a-z or `_` (NaN, the code of an empty string's first character, is none). */
function isLetterOrUnderscore(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `UserApi` → `USER_API`: the namespace of a component's app settings. */
export function settingPrefix(componentId: string): string {
  let prefix = prefixes.get(componentId);
  if (prefix === undefined) {
    prefix = componentId
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
    // Asked at define, at every plan (the Function App's settings) and at apply, for the same ids: four
    // regular expressions each time showed in the planner's profile. Bounded, so a long process cannot grow it.
    if (prefixes.size >= 100_000) prefixes.clear();
    prefixes.set(componentId, prefix);
  }
  return prefix;
}

const prefixes = new Map<string, string>();

/**
 * `UserApi` + `COSMOS_ENDPOINT` → `USER_API_COSMOS_ENDPOINT`: one of a component's app settings in the
 * Function App it shares. Memoised like the prefix: the Function App's merge names every consumer's settings
 * on every plan (30,000 at 10,000 CrudApis), and a name it has already used as a property key is cheap to
 * use again, while a new string costs an internalisation each time.
 *
 * @example
 * ```ts
 * settingName('UserApi', 'COSMOS_ENDPOINT'); // 'USER_API_COSMOS_ENDPOINT'
 * ```
 */
export function settingName(componentId: string, name: string): string {
  let names = settingNames.get(componentId);
  if (names !== undefined) {
    // A component has a few settings: a scan of its pairs, not a Map each (10,000 Maps at 10,000 CrudApis).
    for (let i = 0; i < names.length; i += 2) if (names[i] === name) return at(names, i + 1);
  }
  const full = `${settingPrefix(componentId)}_${name}`;
  // Bounded by the names it holds, so a long process cannot grow it.
  if (settingNameCount >= 200_000) {
    settingNames.clear();
    settingNameCount = 0;
    names = undefined;
  }
  if (names === undefined) settingNames.set(componentId, (names = []));
  names.push(name, full);
  settingNameCount++;
  return full;
}

/** Component id → its names and full names, alternating. */
const settingNames = new Map<string, string[]>();
let settingNameCount = 0;
