import { AtakoraError } from '../model/errors.js';
import { settingPrefix } from '../kit/pure/names/terraform-names.js';

/**
 * What two component ids must not share in one backend: their letters and digits, case aside. An id names
 * the component's app settings (`UserApi` → `USER_API_COSMOS_ENDPOINT`) and its identity
 * (`id-backend-dev-user-api`), and both drop punctuation and case: `UserApi`, `user-api` and `USER_API`
 * would write each other's settings and one identity name.
 *
 * @example
 * ```ts
 * componentIdFold('user-api') === componentIdFold('UserApi'); // true: 'USERAPI'
 * ```
 */
export function componentIdFold(componentId: string): string {
  return componentId.replace(/[^A-Za-z0-9]+/g, '').toUpperCase();
}

/** The component already holding an id's fold. */
export interface IdHolder {
  readonly key: string;
  readonly componentId: string;
}

/**
 * `DUPLICATE_COMPONENT_ID` for a component whose id's fold another one holds: the same id, or one that differs
 * only in case or punctuation.
 *
 * @example
 * ```ts
 * throw duplicateComponentId({ key: 'users', componentId: 'UserApi' }, 'people', 'user-api');
 * ```
 */
export function duplicateComponentId(
  holder: IdHolder,
  key: string,
  componentId: string,
): AtakoraError {
  if (holder.componentId === componentId) {
    return new AtakoraError(
      'DUPLICATE_COMPONENT_ID',
      `Component id "${componentId}" is used by "${holder.key}" and "${key}".`,
      { path: ['components', key] },
    );
  }
  return new AtakoraError(
    'DUPLICATE_COMPONENT_ID',
    `Component ids "${holder.componentId}" (${holder.key}) and "${componentId}" (${key}) differ only in case ` +
      `or punctuation, which app setting names (${settingPrefix(holder.componentId)}_…) and identity names ` +
      `drop: one component would read the other's settings.`,
    { path: ['components', key] },
  );
}
