import { outboxDirOf } from '../host/outbox-route.js';
import { REALTIME_EVENTS_FUNCTION, REALTIME_EVENTS_ROUTE } from '../../../contract/routes.js';
import { withServedMethods } from './banner.js';
import { openApiFromManifest, type OpenApiDocument } from '../../../contract/openapi.js';
import {
  MANIFEST_SETTING,
  type RuntimeEntity,
  type RuntimeManifest,
} from '../../../model/runtime-manifest.js';
import { startWorker, stopWorker, workerEnv } from '../host/hosts.js';
import type { PreparedLoad } from './prepare.js';
import type { DevApp, DevRun } from './run.js';
import type { StandIns } from './stand-ins.js';

/**
 * Start a worker for each prepared app and make the load the session's: its apps, secrets, watched files and
 * origins. Each app keeps its port across reloads (a browser tab or curl loop keeps working); `--port` numbers
 * them from there.
 *
 * @example
 * ```ts
 * await launch(run, standIns, await prepareLoad(run, standIns));
 * ```
 */
export async function launch(
  run: DevRun,
  standIns: StandIns,
  prepared: PreparedLoad,
): Promise<void> {
  const served: DevApp[] = [];
  for (const [i, { app, entities, settings, wwwroot }] of prepared.ready.entries()) {
    const env = workerEnv(app, settings, {
      env: run.env,
      nodePath: standIns.nodePath,
      identity: standIns.identity,
      certFile: standIns.trustFile,
      user: run.user,
      adminKey: run.adminKey,
      origins: prepared.origins,
      tenantClaim: prepared.tenantClaim,
      auth: prepared.auth,
      emailUsers: prepared.emailUsers,
      seed: run.seeder?.endpoint,
      outboxDir: outboxDirOf(run.stateDir),
      acceptUrl: prepared.acceptUrl,
    });
    const previous = run.apps[i];
    const port =
      run.port === undefined ? (previous ? Number(new URL(previous.url).port) : 0) : run.port + i;
    run.progress(`Starting the worker of ${app.name}`);
    const { child, ready } = await startWorker(wwwroot, port, env, run.log, run.quietWorkers);
    run.workers.push(child);
    const url = `http://127.0.0.1:${String(ready.port)}`;
    served.push({
      name: app.name,
      url,
      functions: withServedMethods(ready.functions, appDocument(settings, entities, url)),
    });
  }
  run.apps = served;
  run.emailUsers = prepared.emailUsers;
  // The hub's event handler, as in Azure: the first app serving the runtime's events route (any of them writes
  // the same usage container), so connections are counted by live sockets (runtime/realtime/service-events.ts).
  const events = served.find((a) => a.functions.some((f) => f.name === REALTIME_EVENTS_FUNCTION));
  if (run.hub.running)
    run.hub.running.eventHandler = events
      ? `${events.url}/api/${REALTIME_EVENTS_ROUTE}`
      : undefined;
  run.secrets = prepared.secrets;
  run.watched = prepared.watched;
  run.origins = prepared.origins;
  run.siteHost.exportConfigs();
}

/**
 * Load the entry again and restart the workers on the same ports; when loading or building fails, the running
 * workers keep serving and it throws.
 *
 * @example
 * ```ts
 * await reload(run, standIns);
 * ```
 */
export async function reload(
  run: DevRun,
  standIns: StandIns,
  prepare: () => Promise<PreparedLoad>,
): Promise<void> {
  const prepared = await prepare();
  const old = run.workers;
  run.workers = [];
  for (const w of old) await stopWorker(w);
  await launch(run, standIns, prepared);
}

/**
 * The OpenAPI document the app serves (its manifest's, as the runtime builds it at `api/openapi.json`): what the
 * banner reads each route's methods from. An app without a manifest setting has its entities alone.
 */
function appDocument(
  settings: Readonly<Record<string, string>>,
  entities: RuntimeEntity[],
  url: string,
): OpenApiDocument {
  const text = settings[MANIFEST_SETTING];
  const manifest: RuntimeManifest = text
    ? (JSON.parse(text) as RuntimeManifest)
    : { version: 1, backendId: 'dev', entities };
  return openApiFromManifest(manifest, url);
}
