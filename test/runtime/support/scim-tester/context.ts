// scim2-tester's check machinery, ported: scim2_tester/utils.py `CheckResult`, `Status`, the `checker` decorator
// (a SCIMClientError or any exception in a checker becomes one ERROR result; the resources it created deleted after
// it, in reverse order, failures ignored: `ResourceManager.cleanup`) and `ResourceManager.create_and_register`.
import { CODES, type Json, type TesterClient, validResource } from './client.js';
import { FILTERS, fill, type Model, type Random, requestBody } from './model.js';

/** scim2_tester.utils.Status, the three a run against us can give. */
export type Status = 'SUCCESS' | 'ERROR' | 'SKIPPED';

/** scim2_tester.utils.CheckResult. */
export interface CheckResult {
  title: string;
  status: Status;
  reason: string;
  resourceType?: string;
}

/** The tester's CheckContext: the client, the discovered models and configuration, the random source. */
export interface CheckContext {
  readonly client: TesterClient;
  readonly rnd: Random;
  models: Model[];
  patchSupported: boolean;
  readonly created: { endpoint: string; id: string }[];
}

export const result = (status: Status, reason: string): CheckResult => ({
  title: '',
  status,
  reason,
});

/** `@checker`: runs `run`, an exception one ERROR result, the created resources deleted after, titles set. */
export async function checker(
  title: string,
  context: CheckContext,
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  let results: CheckResult[];
  try {
    results = await run();
  } catch (e) {
    results = [result('ERROR', e instanceof Error ? e.message : String(e))];
  } finally {
    for (const r of context.created.splice(0).reverse())
      await context.client.raw('DELETE', `${r.endpoint}/${r.id}`).catch(() => undefined);
  }
  for (const r of results) r.title = title;
  return results;
}

/**
 * `ResourceManager.create_and_register`: a resource of `model` filled with its required attributes (or, `all`,
 * every writable one), POSTed to its endpoint, the server's answer kept for cleanup and returned.
 */
export async function createAndRegister(
  context: CheckContext,
  model: Model,
  all = false,
): Promise<Json> {
  const values = fill(context.rnd, model, all ? FILTERS.all : FILTERS.requiredOnly);
  const created = validResource(
    await context.client.call(
      'POST',
      model.endpoint,
      { codes: CODES.create, schema: model.schema },
      requestBody(model, values),
    ),
    model.schema,
  );
  context.created.push({ endpoint: model.endpoint, id: created.id });
  return created;
}
