// The CRUD and attribute-filtering checks python-scim/scim2-tester runs per resource type it discovered
// (checkers/resource.py `resource_type_tests`), ported: checkers/resource_post.py `object_creation`,
// checkers/resource_get.py `object_query` and `object_query_without_id`, checkers/resource_query_attributes.py
// `object_query_with_attributes`, `object_list_with_attributes` and `search_with_attributes`,
// checkers/resource_put.py `object_replacement`, checkers/resource_delete.py `object_deletion`.
import { SCIM_SCHEMAS } from '../../../../src/contract/scim/scim.js';
import { CODES, type Json, ScimClientError, validResource } from './client.js';
import {
  type CheckContext,
  type CheckResult,
  checker,
  createAndRegister,
  result,
} from './context.js';
import { FILTERS, fill, type Model, requestBody } from './model.js';

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** `client.query(model, id, query_parameters)`: the resource, validated as a `model`. */
const getOne = async (context: CheckContext, model: Model, id: string, query?: Json) =>
  validResource(
    await context.client.call(
      'GET',
      `${model.endpoint}/${id}`,
      { codes: [200], schema: model.schema },
      undefined,
      query,
    ),
    model.schema,
  );

/** A ListResponse's resources, each validated as one of `models` (`ListResponse[Union[models]]`). */
function listed(body: Json | undefined, models: readonly Model[]): Json[] {
  const resources = (body?.Resources ?? []) as Json[];
  for (const r of resources) {
    const model = models.find((m) => Array.isArray(r.schemas) && r.schemas.includes(m.schema));
    if (!model) throw new ScimClientError(`Unknown resource with schemas ${String(r.schemas)}`);
    validResource(r, model.schema);
  }
  return resources;
}

/**
 * `_pick_attribute_names`: the first two fields `returned: default`, not readOnly, not required (nor schemas, meta,
 * id), by their serialization alias — the extension field's alias is its URN.
 */
export function pickAttributeNames(model: Model): [string | undefined, string | undefined] {
  const candidates = [
    ...model.fields
      .filter((a) => a.returned === 'default' && a.mutability !== 'readOnly' && !a.required)
      .map((a) => a.name),
    ...model.extensions.map((e) => e.schema),
  ];
  return [candidates[0], candidates[1]];
}

const has = (o: Json, key: string) =>
  Object.keys(o).some((k) => k.toLowerCase() === key.toLowerCase() && o[k] !== null);

/** `_run_attribute_checks`: one inclusion and one exclusion check through `query`, as `endpoint` names it. */
async function attributeChecks(
  context: CheckContext,
  model: Model,
  endpoint: string,
  query: (parameters: Json, id: string) => Promise<Json | undefined>,
): Promise<CheckResult[]> {
  const [included, excluded] = pickAttributeNames(model);
  if (included === undefined) return [result('SKIPPED', 'No suitable attributes')];
  const created = await createAndRegister(context, model, true);
  const out: CheckResult[] = [];
  for (const [key, name] of [
    ['attributes', included],
    ['excludedAttributes', excluded],
  ] as const) {
    if (name === undefined) continue;
    const answer = await query({ [key]: name }, created.id);
    const data =
      answer?.Resources === undefined
        ? answer
        : listed(answer, context.models).find((r) => r.id === created.id);
    if (!data) {
      out.push(result('ERROR', `${endpoint}: could not find ${created.id} in filtered results`));
      continue;
    }
    const bad = key === 'attributes' ? !has(data, name) : has(data, name);
    out.push(
      bad
        ? result('ERROR', `${endpoint}: ${key}=${name} not honoured: ${JSON.stringify(data)}`)
        : result('SUCCESS', `${endpoint}: attribute filtering honoured`),
    );
  }
  return out;
}

/** `resource_type_tests` up to the PATCH checks: creation, reads, attribute filtering, replacement, deletion. */
export async function resourceChecks(context: CheckContext, model: Model): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const run = async (title: string, body: () => Promise<CheckResult[]>) =>
    out.push(...(await checker(title, context, body)));
  await run('object_creation', async () => {
    const created = await createAndRegister(context, model);
    return [result('SUCCESS', `created ${model.name} ${created.id}`)];
  });
  await run('object_query', async () => {
    const created = await createAndRegister(context, model);
    await getOne(context, model, created.id);
    return [result('SUCCESS', `queried ${created.id}`)];
  });
  await run('object_query_without_id', async () => {
    const created = await createAndRegister(context, model);
    const body = await context.client.call('GET', model.endpoint, {
      codes: [200],
      schema: SCIM_SCHEMAS.listResponse,
    });
    return listed(body, [model]).some((r) => r.id === created.id)
      ? [result('SUCCESS', `found ${created.id} in the list`)]
      : [result('ERROR', `Could not find ${created.id} in list response`)];
  });
  // The three read the created resource again with `attributes`, then `excludedAttributes` (RFC 7644 §3.4.1–§3.4.3).
  await run('object_query_with_attributes', () =>
    attributeChecks(context, model, 'GET /Resource/{id}', (q, id) => getOne(context, model, id, q)),
  );
  await run('object_list_with_attributes', () =>
    attributeChecks(context, model, 'GET /Resource', (q) =>
      context.client.call(
        'GET',
        model.endpoint,
        { codes: [200], schema: SCIM_SCHEMAS.listResponse },
        undefined,
        q,
      ),
    ),
  );
  await run('search_with_attributes', () =>
    attributeChecks(context, model, 'POST /.search', (q) =>
      context.client.call(
        'POST',
        '/.search',
        { codes: CODES.search, schema: SCIM_SCHEMAS.listResponse },
        {
          schemas: [SEARCH_REQUEST],
          ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, [v]])),
        },
      ),
    ),
  );
  await run('object_replacement', async () => {
    const created = await createAndRegister(context, model);
    // Every writable attribute refilled over the server's answer (immutable ones restored: none at the top level).
    const modified = fill(context.rnd, model, FILTERS.all, created);
    validResource(
      await context.client.call(
        'PUT',
        `${model.endpoint}/${created.id}`,
        { codes: [200], schema: model.schema },
        requestBody(model, modified),
      ),
      model.schema,
    );
    return [result('SUCCESS', `replaced ${created.id}`)];
  });
  await run('object_deletion', async () => {
    const created = await createAndRegister(context, model);
    await context.client.call('DELETE', `${model.endpoint}/${created.id}`, { codes: [204] });
    try {
      await context.client.call('GET', `${model.endpoint}/${created.id}`, {
        codes: CODES.query,
        schema: model.schema,
      });
      return [result('ERROR', `${created.id} still exists after deletion`)];
    } catch (e) {
      if (!(e instanceof ScimClientError)) throw e;
      return [result('SUCCESS', `deleted ${created.id}`)];
    }
  });
  return out;
}
