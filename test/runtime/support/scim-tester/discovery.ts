// The discovery checks of python-scim/scim2-tester, ported: scim2_tester/checker.py `check_server` runs, in this
// order, checkers/service_provider_config.py `service_provider_config_endpoint`; checkers/resource_types.py
// `_resource_types_endpoint` (`query_all_resource_types`, `query_resource_type_by_id` per type,
// `resource_types_schema_validation`, `access_invalid_resource_type`); checkers/schemas.py `_schemas_endpoint`
// (`query_all_schemas`, `access_schema_by_id`, `access_invalid_schema`); then, once discovery gave the
// configuration, the resource types and the models, checkers/misc.py `random_url`.
// (`*_endpoint_methods` and `core_schemas_validation` exist in the package but `check_server` calls none of them.)
import { randomUUID } from 'node:crypto';
import { SCIM_SCHEMAS } from '../../../../src/contract/scim/scim.js';
import { CODES, type Json, ScimClientError } from './client.js';
import { type CheckContext, type CheckResult, checker, result } from './context.js';

/** `client.query(ListResponse of schema)`: the list's resources, each of `schema`. */
async function list(context: CheckContext, path: string, schema: string): Promise<Json[]> {
  const body = await context.client.call('GET', path, {
    codes: [200],
    schema: SCIM_SCHEMAS.listResponse,
  });
  const resources = (body?.Resources ?? []) as Json[];
  for (const r of resources)
    if (!Array.isArray(r.schemas) || !r.schemas.includes(schema))
      throw new ScimClientError(`A resource of ${path} is not a ${schema}`);
  return resources;
}

/** `access_invalid_*` and `random_url`: a made-up id or path answers a SCIM Error whose status is 404. */
async function invalid(context: CheckContext, path: string, codes?: readonly number[]) {
  const r = await context.client.call('GET', path, {
    ...(codes ? { codes } : {}),
    raiseScimErrors: false,
  });
  if (!Array.isArray(r?.schemas) || r.schemas[0] !== SCIM_SCHEMAS.error)
    return [result('ERROR', `${path} did not return an Error object`)];
  if (Number(r.status) !== 404)
    return [result('ERROR', `${path} did return an object, but the status code is ${r.status}`)];
  return [result('SUCCESS', `${path} correctly returned a 404 error`)];
}

/** One result per item: SUCCESS, or the item's ERROR (`resource_types_schema_validation`, `access_schema_by_id`). */
async function each(items: readonly Json[], get: (item: Json) => Promise<unknown>) {
  const out: CheckResult[] = [];
  for (const item of items)
    try {
      await get(item);
      out.push(result('SUCCESS', `accessed ${item.id}`));
    } catch (e) {
      out.push(result('ERROR', `${item.id}: ${(e as Error).message}`));
    }
  return out;
}

/** The discovery checks and `random_url`, as `check_server` runs them: the results, and what they discovered. */
export async function discoveryChecks(context: CheckContext) {
  const results: CheckResult[] = [];
  let spc: Json | undefined;
  results.push(
    ...(await checker('service_provider_config_endpoint', context, async () => {
      spc = await context.client.call('GET', '/ServiceProviderConfig', {
        codes: [200],
        schema: SCIM_SCHEMAS.serviceProviderConfig,
      });
      return [result('SUCCESS', 'ServiceProviderConfig')];
    })),
  );
  let types: Json[] = [];
  const all = await checker('query_all_resource_types', context, async () => {
    types = await list(context, '/ResourceTypes', SCIM_SCHEMAS.resourceType);
    return [result('SUCCESS', `Resource types: ${types.map((t) => t.name).join(', ')}`)];
  });
  results.push(...all);
  if (all[0]?.status === 'SUCCESS') {
    for (const t of types)
      results.push(
        ...(await checker('query_resource_type_by_id', context, async () => {
          await context.client.call('GET', `/ResourceTypes/${t.id}`, {
            codes: [200],
            schema: SCIM_SCHEMAS.resourceType,
          });
          return [result('SUCCESS', `/ResourceTypes/${t.id}`)];
        })),
      );
    results.push(
      ...(await checker('resource_types_schema_validation', context, async () => {
        const again = await list(context, '/ResourceTypes', SCIM_SCHEMAS.resourceType);
        return each(
          again.map((t) => ({ id: t.schema })),
          (s) =>
            context.client.call('GET', `/Schemas/${s.id}`, {
              codes: [200],
              schema: SCIM_SCHEMAS.schema,
            }),
        );
      })),
    );
  }
  results.push(
    ...(await checker('access_invalid_resource_type', context, () =>
      invalid(context, `/ResourceTypes/${randomUUID()}`, [404]),
    )),
  );
  let schemas: Json[] = [];
  const allSchemas = await checker('query_all_schemas', context, async () => {
    schemas = await list(context, '/Schemas', SCIM_SCHEMAS.schema);
    return [result('SUCCESS', `Schemas: ${schemas.map((s) => s.name).join(', ')}`)];
  });
  results.push(...allSchemas);
  if (allSchemas[0]?.status === 'SUCCESS')
    results.push(
      ...(await checker('access_schema_by_id', context, async () =>
        each(await list(context, '/Schemas', SCIM_SCHEMAS.schema), (s) =>
          context.client.call('GET', `/Schemas/${s.id}`, {
            codes: [200],
            schema: SCIM_SCHEMAS.schema,
          }),
        ),
      )),
    );
  results.push(
    ...(await checker('access_invalid_schema', context, () =>
      invalid(context, `/Schemas/${randomUUID()}`, [404]),
    )),
  );
  return { results, spc, types, schemas };
}

/** checkers/misc.py `random_url`: `GET /{uuid4}` answers a SCIM Error whose status is 404 (RFC 7644 §3.12). */
export const randomUrl = (context: CheckContext) =>
  checker('random_url', context, () => invalid(context, `/${randomUUID()}`, CODES.query));
