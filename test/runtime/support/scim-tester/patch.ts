// The PATCH checks python-scim/scim2-tester runs per resource type, ported: checkers/patch_add.py
// `check_add_attribute`, checkers/patch_remove.py `check_remove_attribute`, checkers/patch_replace.py
// `check_replace_attribute` — one result per attribute path of the model (`Path[model].iter_paths(
// include_subattributes=False)`: each core attribute, the extension by its URN, each extension attribute as
// `URN:name`), the value the tester sent compared with the PATCH answer and with the next GET (`fields_equality`).
import { SCIM_SCHEMAS } from '../../../../src/contract/scim/scim.js';
import { CODES, type Json, validResource } from './client.js';
import {
  type CheckContext,
  type CheckResult,
  checker,
  createAndRegister,
  result,
} from './context.js';
import {
  type AttrPath,
  fieldsEquality,
  getPath,
  iterPaths,
  type Model,
  randomPathValue,
} from './model.js';

type Op = 'add' | 'remove' | 'replace';

/** `client.modify`: the PATCH's answer validated as the model, or undefined on 204. */
async function modify(
  context: CheckContext,
  model: Model,
  id: string,
  op: Op,
  path: string,
  value?: unknown,
) {
  const body = await context.client.call(
    'PATCH',
    `${model.endpoint}/${id}`,
    { codes: CODES.patch, schema: model.schema },
    {
      schemas: [SCIM_SCHEMAS.patchOp],
      Operations: [{ op, path, ...(value === undefined ? {} : { value }) }],
    },
  );
  return body === undefined ? undefined : validResource(body, model.schema);
}

const get = async (context: CheckContext, model: Model, id: string) =>
  validResource(
    await context.client.call('GET', `${model.endpoint}/${id}`, {
      codes: CODES.query,
      schema: model.schema,
    }),
    model.schema,
  );

/** The paths each operation tries (the filters of patch_add.py, patch_remove.py, patch_replace.py). */
const PATHS: Record<Op, Parameters<typeof iterPaths>[1]> = {
  add: { required: [false], mutability: ['readWrite', 'writeOnly', 'immutable'] },
  remove: { required: [false], mutability: ['readWrite', 'writeOnly'] },
  replace: { mutability: ['readWrite', 'writeOnly'] },
};

/** One path's add or replace: the answer and the next GET show the sent value (a writeOnly attribute exempt). */
async function setOne(
  context: CheckContext,
  model: Model,
  id: string,
  op: 'add' | 'replace',
  path: AttrPath,
): Promise<CheckResult> {
  const value = randomPathValue(context.rnd, model, path);
  const writeOnly = path.attr?.mutability === 'writeOnly';
  let answer: Json | undefined;
  try {
    answer = await modify(context, model, id, op, path.urn, value);
  } catch (e) {
    return result('ERROR', `Failed to ${op} attribute '${path.urn}': ${(e as Error).message}`);
  }
  const same = (r: Json) => fieldsEquality(value, getPath(r, path), path.attr);
  if (answer && !writeOnly && !same(answer))
    return result(
      'ERROR',
      `PATCH ${op} answered an unexpected value for '${path.urn}': sent ${JSON.stringify(value)}, ` +
        `answered ${JSON.stringify(getPath(answer, path))}`,
    );
  let after: Json;
  try {
    after = await get(context, model, id);
  } catch (e) {
    return result('ERROR', `Failed to query after ${op} on '${path.urn}': ${(e as Error).message}`);
  }
  return writeOnly || same(after)
    ? result('SUCCESS', `${op} '${path.urn}'`)
    : result(
        'ERROR',
        `'${path.urn}' was not ${op}ed: sent ${JSON.stringify(value)}, ` +
          `then read ${JSON.stringify(getPath(after, path))}`,
      );
}

/** One path's remove: the answer and the next GET show no value (a writeOnly attribute exempt). */
async function removeOne(
  context: CheckContext,
  model: Model,
  full: Json,
  path: AttrPath,
): Promise<CheckResult | undefined> {
  if (getPath(full, path) === undefined) return undefined;
  const writeOnly = path.attr?.mutability === 'writeOnly';
  let answer: Json | undefined;
  try {
    answer = await modify(context, model, full.id, 'remove', path.urn);
  } catch (e) {
    return result('ERROR', `Failed to remove attribute '${path.urn}': ${(e as Error).message}`);
  }
  // patch_remove.py tests the answer's value for truth (`if modify_actual_value := path.get(...)`).
  const left = answer ? getPath(answer, path) : undefined;
  if (left !== undefined && left !== false && left !== '' && !writeOnly)
    return result('ERROR', `PATCH remove did not remove '${path.urn}': ${JSON.stringify(left)}`);
  let after: Json;
  try {
    after = await get(context, model, full.id);
  } catch (e) {
    return result(
      'ERROR',
      `Failed to query after remove on '${path.urn}': ${(e as Error).message}`,
    );
  }
  return writeOnly || getPath(after, path) === undefined
    ? result('SUCCESS', `removed '${path.urn}'`)
    : result('ERROR', `'${path.urn}' was not removed: ${JSON.stringify(getPath(after, path))}`);
}

/** The three PATCH checkers of `resource_type_tests`, skipped when ServiceProviderConfig says no PATCH. */
export async function patchChecks(context: CheckContext, model: Model): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const op of ['add', 'remove', 'replace'] as const)
    out.push(
      ...(await checker(`check_${op}_attribute`, context, async () => {
        if (!context.patchSupported) return [result('SKIPPED', 'PATCH not supported')];
        const paths = iterPaths(model, PATHS[op]);
        if (paths.length === 0) return [result('SKIPPED', `No ${op} attributes`)];
        // add and replace start from a resource of its required attributes; remove from one filled whole.
        const base = await createAndRegister(context, model, op === 'remove');
        const results: CheckResult[] = [];
        for (const path of paths) {
          const r =
            op === 'remove'
              ? await removeOne(context, model, base, path)
              : await setOne(context, model, base.id, op, path);
          if (r) results.push(r);
        }
        return results;
      })),
    );
  return out;
}
