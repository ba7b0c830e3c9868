import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import type { JsonValue, PlannedComponent } from '../../model/plan.js';
import type { AtakoraSiteConfig } from '../../model/site-config.js';
import {
  isSiteComponent,
  siteConfigFileName,
  siteConfigOutputName,
  siteDeployOutputs,
  siteFileOrigins,
} from '../../kit/pure/site-config.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { apiOriginsOf, siteWebAppConfig } from '../../kit/pure/site-headers.js';
import type { TerraformOutputs } from './after-apply.js';
import { pollUntil } from '../shared/poll.js';
import { findExecutable } from '../shared/executable-lookup.js';
import { runSiteBuild } from '../shared/site-build.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import { armEndpoint } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { azureToken } from '../azure/credentials.js';
import { AzureRequestError } from '../azure/errors.js';
import { fetchPage } from '../azure/probe.js';
import { staticSiteDeploymentToken } from '../azure/static-sites.js';
import {
  SITE_DEPLOY_MARKER,
  uploadStaged,
  writeDeployMarker,
  type SiteDeployMarker,
} from './site-upload.js';

// How a site's content reaches Azure, with Entra credentials only (no deployment token pasted by hand):
// 1. the deployer's identity (the ARM_* / OIDC / DefaultAzureCredential chain Terraform and the trigger sync
//    use, azure/credentials.ts) reads the Static Web App's deployment token through Resource Manager:
//    POST {resource id}/listSecrets → properties.apiKey (operation StaticSites_ListStaticSiteSecrets,
//    learn.microsoft.com/rest/api/appservice/static-sites/list-static-site-secrets; the same call as
//    `az staticwebapp secrets list`, learn.microsoft.com/cli/azure/staticwebapp/secrets);
// 2. the Static Web Apps CLI uploads the prepared folder: `swa deploy <folder> --env production`, the token in
//    SWA_CLI_DEPLOYMENT_TOKEN (never on the command line), as Learn's "Deploy a static web app with Azure Static
//    Web Apps CLI" documents for CI/CD (learn.microsoft.com/azure/static-web-apps/static-web-apps-cli-deploy),
//    run inside the staged folder and judged by its output (deploy/site-upload.ts says why);
// 3. the site must then serve the marker file this deploy wrote (a fresh id), and its index.html.
// The token lives only in this process's memory and the child's environment.

/** A site to upload: its component and where its content is. */
export interface SiteDeploy {
  readonly stack: SynthesizedStack;
  readonly component: PlannedComponent;
}

/**
 * The sites of the synthesized stacks that have content to upload (a `sourceDirectory`).
 *
 * @example
 * ```ts
 * if (sitesToDeploy(stacks).length) findSwa(flags.swa);
 * ```
 */
export function sitesToDeploy(stacks: readonly SynthesizedStack[]): SiteDeploy[] {
  return stacks.flatMap((stack) =>
    stack.plan.components
      .filter((c) => isSiteComponent(c) && typeof c.outputs['sourceDirectory'] === 'string')
      .map((component) => ({ stack, component })),
  );
}

/**
 * The Static Web Apps CLI: `--swa`, else `ATAKORA_SWA`, else `node_modules/.bin/swa` of the working directory,
 * else `swa` on PATH. Missing → `SITE_DEPLOY_TOOL_MISSING` naming how to install it.
 *
 * @example
 * ```ts
 * findSwa(undefined); // '/repo/node_modules/.bin/swa'
 * ```
 */
export function findSwa(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const chosen = flag ?? (env['ATAKORA_SWA'] || undefined);
  const candidates = chosen ? [chosen] : [join(cwd, 'node_modules', '.bin', 'swa'), 'swa'];
  for (const c of candidates) {
    const found = findExecutable(c, env, cwd);
    if (found) return found;
  }
  throw new AtakoraError(
    'SITE_DEPLOY_TOOL_MISSING',
    `Cannot find ${chosen ? `"${chosen}" (${flag ? '--swa' : 'ATAKORA_SWA'})` : 'the Static Web Apps CLI (swa) in node_modules/.bin or on PATH'}: atakora deploy uploads each site's content with it.`,
    { path: ['deploy', '--swa'] },
  );
}

/** Options of {@link deploySite}. */
export interface SiteDeployOptions {
  readonly swa: string;
  readonly log: (line: string) => void;
  /** Poll the site until it serves the uploaded index.html, this long; 0 skips the check (`--no-verify`). */
  readonly verifyMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Resource Manager's base URL; default `ATAKORA_ARM_ENDPOINT`, else the public cloud's. */
  readonly armEndpoint?: string;
}

/**
 * Upload one site after apply: run its `buildCommand`, stage its content with `atakora.config.json` (from the
 * stack's outputs) and the merged `staticwebapp.config.json` (security headers), export the configuration to
 * `configExportPath`, read the deployment token with the deployer's identity, run `swa deploy`, then poll the
 * site's own URL until it serves that index.html. Failures name the site (`SITE_*` codes).
 *
 * @example
 * ```ts
 * for (const site of sitesToDeploy(stacks))
 *   await deploySite(site, outputsOf(site.stack), { swa, log, verifyMs: 300_000 });
 * ```
 */
export async function deploySite(
  site: SiteDeploy,
  outputs: TerraformOutputs,
  options: SiteDeployOptions,
): Promise<{ readonly url: string }> {
  const { component: c, stack } = site;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const at = ['components', c.id];
  const source = c.outputs['sourceDirectory'] as string;
  const out =
    typeof c.outputs['outputDirectory'] === 'string' ? c.outputs['outputDirectory'] : undefined;
  const names = siteDeployOutputs(stack.plan.backendId, c);
  const config = parseConfig(
    outputs[siteConfigOutputName(stack.plan.backendId, c.key)]?.value,
    c.id,
  );
  const resourceId = (outputs[names.resource.name]?.value as { id?: unknown } | undefined)?.id;
  const url = outputs[names.url.name]?.value;
  if (typeof resourceId !== 'string' || typeof url !== 'string') {
    throw new AtakoraError(
      'SITE_UPLOAD_FAILED',
      `Site ${c.id}: the stack ${stack.name} has no ${names.resource.name}/${names.url.name} outputs ` +
        `(synthesized with an older @atakora/component?).`,
      {
        path: at,
        resolution: 'Run atakora deploy again with this version: it writes the outputs on apply.',
      },
    );
  }

  // The export first: a bundler's build imports it.
  if (typeof c.outputs['configExportPath'] === 'string') {
    const file = resolve(cwd, c.outputs['configExportPath']);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  }
  if (typeof c.outputs['buildCommand'] === 'string') {
    await runSiteBuild(
      {
        componentId: c.id,
        buildCommand: c.outputs['buildCommand'],
        sourceDirectory: source,
        ...(out ? { outputDirectory: out } : {}),
      },
      options.log,
      cwd,
    );
  }
  const content = out ? resolve(cwd, source, out) : resolve(cwd, source);
  const indexFile = join(content, indexOf(c));
  if (!existsSync(indexFile)) {
    throw new AtakoraError(
      'SITE_SOURCE_INVALID',
      `Site ${c.id}: ${content} has no ${indexOf(c)} to upload.`,
      { path: [...at, 'config', out ? 'outputDirectory' : 'sourceDirectory'] },
    );
  }
  const staged = mkdtempSync(join(tmpdir(), `atakora-site-${c.key}-`));
  try {
    cpSync(content, staged, { recursive: true });
    writeFileSync(join(staged, siteConfigFileName(c)), JSON.stringify(config, null, 2) + '\n');
    const own = readJson(join(content, 'staticwebapp.config.json'));
    // The FileStores' blob endpoints, as Terraform resolved them (apply writes every `*Endpoint` output).
    const fileOrigins = siteFileOrigins(
      stack.plan,
      (f) => outputs[tfName(stack.plan.backendId, f.key, 'blobEndpoint')]?.value,
    );
    writeFileSync(
      join(staged, 'staticwebapp.config.json'),
      JSON.stringify(
        siteWebAppConfig(
          c.outputs['staticWebAppConfig'] as { [k: string]: JsonValue },
          apiOriginsOf(config.apis),
          own,
          fileOrigins,
        ),
        null,
        2,
      ) + '\n',
    );
    const marker = writeDeployMarker(staged);
    const token = await deploymentToken(resourceId, c.id, env, options.armEndpoint);
    options.log(`Uploading site ${c.id} (${content}) with ${options.swa}`);
    await uploadStaged(options.swa, staged, token, c.id, env, options.log);
    if (options.verifyMs > 0)
      await verifySite(
        c.id,
        url,
        marker,
        readFileSync(indexFile, 'utf8'),
        options.verifyMs,
        options.log,
      );
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  return { url };
}

function indexOf(c: PlannedComponent): string {
  const routes = (
    c.outputs['staticWebAppConfig'] as
      | { routes?: { route?: string; rewrite?: string }[] }
      | undefined
  )?.routes;
  return routes?.find((r) => r.route === '/')?.rewrite?.replace(/^\//, '') ?? 'index.html';
}

function parseConfig(value: unknown, id: string): AtakoraSiteConfig {
  try {
    if (typeof value !== 'string') throw new Error('missing');
    return JSON.parse(value) as AtakoraSiteConfig;
  } catch {
    throw new AtakoraError(
      'SITE_UPLOAD_FAILED',
      `Site ${id}: the stack has no readable site configuration output.`,
      {
        path: ['components', id],
        resolution: 'Run atakora deploy again with this version: it writes the output on apply.',
      },
    );
  }
}

function readJson(file: string): { [k: string]: JsonValue } {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as { [k: string]: JsonValue }) : {};
  } catch {
    return {};
  }
}

async function deploymentToken(
  resourceId: string,
  id: string,
  env: NodeJS.ProcessEnv,
  endpointArg: string | undefined,
): Promise<string> {
  const endpoint = armEndpoint(endpointArg, env);
  const fail = (why: string) =>
    new AtakoraError(
      'SITE_DEPLOY_TOKEN_MISSING',
      `Site ${id}: cannot read the deployment token of ${resourceId.split('/').pop() ?? resourceId} through ` +
        `Resource Manager: ${why}.`,
      { path: ['components', id] },
    );
  let bearer: string;
  try {
    bearer = await azureToken(endpoint, env);
  } catch (e) {
    throw fail(`no Azure credential (${firstLine(e)})`);
  }
  let key: string | undefined;
  try {
    key = await staticSiteDeploymentToken(endpoint, resourceId, bearer);
  } catch (e) {
    throw fail(e instanceof AzureRequestError && e.status !== undefined ? e.message : firstLine(e));
  }
  if (key === undefined) throw fail('the answer holds no properties.apiKey');
  return key;
}

/**
 * Poll the site's URL (1 s, 2 s … at most 10 s apart) until it serves the marker file of this deploy (its
 * deployId: an unchanged index.html cannot tell this upload from the last one) and the uploaded index.html.
 */
async function verifySite(
  id: string,
  url: string,
  marker: SiteDeployMarker,
  index: string,
  timeoutMs: number,
  log: (l: string) => void,
): Promise<void> {
  const base = url.replace(/\/+$/, '');
  const outcome = await pollUntil(
    async (signal) => {
      // The query keeps any cache between us and the site from answering with an earlier deploy's marker.
      const stamp = await fetchPage(`${base}/${SITE_DEPLOY_MARKER}?deployId=${marker.deployId}`, {
        signal,
      });
      const served = stamp.status === 200 ? deployIdOf(stamp.text) : undefined;
      if (served !== marker.deployId)
        return stamp.status !== 200
          ? `HTTP ${String(stamp.status)} for /${SITE_DEPLOY_MARKER}`
          : `/${SITE_DEPLOY_MARKER} of another deploy (${served ?? 'unreadable'})`;
      const res = await fetchPage(`${base}/`, { signal });
      const body = res.text;
      if (res.status === 200 && body.trim() === index.trim())
        return { ok: true, said: 'HTTP 200 with this deploy' };
      return res.status === 200 ? 'HTTP 200 with another page' : `HTTP ${String(res.status)}`;
    },
    { timeoutMs, maxDelayMs: 10_000 },
  );
  if (outcome.ok) {
    log(
      `site ${id}: serving this deploy (${marker.deployId}) and the uploaded index.html at ${url} (attempt ` +
        `${String(outcome.attempts)})`,
    );
    return;
  }
  throw new AtakoraError(
    'SITE_UNREACHABLE',
    `Site ${id} was uploaded, but ${url}/ did not serve this deploy (${SITE_DEPLOY_MARKER} with deployId ` +
      `${marker.deployId}) and the uploaded index.html within ${String(timeoutMs / 1000)}s (last: ` +
      `${outcome.last}).`,
    { path: ['components', id] },
  );
}

function deployIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { deployId?: unknown } | null)?.deployId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
