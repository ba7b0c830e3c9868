import { stripRoutePrefix } from '../../kit/pure/http-route.js';
import { settingPrefix } from '../../kit/pure/names/terraform-names.js';
import { AtakoraError } from '../../model/errors.js';
import type { FunctionRuntime } from '../../model/requirements.js';
import { APP_ROLE_VALUE, type FunctionAccessRule } from '../../model/runtime-manifest.js';
import { DEFAULT_NODE_VERSION, SKU_ORDER } from '../../resources/functions/type.js';
import { checkKnownKeys, isNonEmptyListOf, keysOf } from '../check-keys.js';
import { functionReach, noCallerData } from './function-reach.js';
import type { FunctionDefinition, FunctionsAppConfig, HttpMethod } from './config.js';
import { DEFAULT_FUNCTION_METHODS } from '../../kit/pure/http-functions.js';
import { isSecretName, SECRET_NAME_MAX } from '../../kit/pure/names/secret-names.js';
import { at } from '../../model/at.js';
import type { TenantEventType } from '../../contract/tenant-events.js';
import { tenantEventsFunction } from './tenant-events-function.js';

export const RUNTIMES: readonly FunctionRuntime[] = [
  'node',
  'python',
  'dotnet-isolated',
  'java',
  'powershell',
];
export const HTTP_METHODS: readonly HttpMethod[] = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
];
/** Versions used when a FunctionsApp names none (node's is the functions kind's default). */
export const DEFAULT_RUNTIME_VERSION: Readonly<Record<FunctionRuntime, string>> = {
  node: DEFAULT_NODE_VERSION,
  python: '3.12',
  'dotnet-isolated': '8.0',
  java: '21',
  powershell: '7.4',
};

/** The keys of {@link FunctionsAppConfig} and of each {@link FunctionDefinition}; others are CONFIG_UNKNOWN_KEY. */
const APP_KEYS = keysOf<FunctionsAppConfig>()([
  'runtime',
  'version',
  'functions',
  'environmentVariables',
  'sku',
  'alwaysOn',
  'priority',
  'codePath',
  'secrets',
  'queues',
]);
const FUNCTION_KEYS = keysOf<FunctionDefinition>()([
  'trigger',
  'route',
  'methods',
  'queueName',
  'schedule',
  'events',
  'handler',
  'requestSchema',
  'responseSchema',
  'access',
  'data',
  'mcp',
]);

/** One function after checking. */
export interface NormalizedFunction {
  readonly name: string;
  readonly trigger: 'http' | 'queue' | 'timer' | 'tenant-events';
  readonly route?: string;
  readonly methods?: readonly HttpMethod[];
  readonly queueName?: string;
  readonly schedule?: string;
  /** `tenant-events` only: the events taken, in the contract's order (all when none were named). */
  readonly events?: readonly TenantEventType[];
  readonly handler?: string;
  readonly requestSchema?: JsonSchemaObject;
  readonly responseSchema?: JsonSchemaObject;
  readonly access?: readonly FunctionAccessRule[];
  readonly data?: readonly string[];
  readonly mcp?: { readonly description: string };
}

/** A FunctionsApp config checked and with defaults filled in. */
export interface NormalizedFunctionsConfig {
  readonly runtime: FunctionRuntime;
  readonly version: string;
  /** Sorted by name. */
  readonly functions: readonly NormalizedFunction[];
  /** Every queue the app declares (its triggers' and `queues`), sorted, without repeats. */
  readonly queues: readonly string[];
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly codePath?: string;
  /** Declared secret names, sorted, without repeats. */
  readonly secrets: readonly string[];
}

// NCRONTAB fields: second, minute, hour, day, month, day-of-week (names allowed for the last two).
const CRON_FIELDS: readonly {
  what: string;
  min: number;
  max: number;
  names?: readonly string[];
}[] = [
  { what: 'second', min: 0, max: 59 },
  { what: 'minute', min: 0, max: 59 },
  { what: 'hour', min: 0, max: 23 },
  { what: 'day', min: 1, max: 31 },
  {
    what: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { what: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/**
 * Why a 6-field NCRONTAB expression is invalid, or undefined when it is valid.
 *
 * @example
 * ```ts
 * ncrontabProblem('0 0 * * * *'); // undefined (hourly)
 * ncrontabProblem('0 * * * *');   // 'has 5 fields; NCRONTAB needs 6 ...'
 * ```
 */
export function ncrontabProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6)
    return `has ${fields.length} field(s); NCRONTAB needs 6 (second minute hour day month day-of-week)`;
  for (const [i, field] of fields.entries()) {
    const spec = at(CRON_FIELDS, i);
    const value = (v: string): number | undefined => {
      const named = spec.names?.indexOf(v.toUpperCase()) ?? -1;
      if (named >= 0) return spec.min + named;
      return /^\d+$/.test(v) ? Number(v) : undefined;
    };
    for (const part of field.split(',')) {
      const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `has an invalid ${spec.what} field "${field}"`;
      if (m[2] !== undefined && Number(m[2]) < 1)
        return `has a zero step in the ${spec.what} field`;
      if (m[1] === '*') continue;
      const [lo, hi] = at(m, 1).split('-');
      const a = lo === undefined ? undefined : value(lo);
      const b = hi === undefined ? a : value(hi);
      if (a === undefined || b === undefined || a < spec.min || b > spec.max || a > b) {
        return `has ${spec.what} "${part}" outside ${spec.min}-${spec.max}`;
      }
    }
  }
  return undefined;
}

/** Azure storage queue names: 3-63 lowercase letters, digits and single hyphens, alphanumeric at both ends. */
export function isValidQueueName(name: string): boolean {
  return /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(name);
}

/**
 * Check a FunctionsApp config at `define` time, so a mistake points at the definition, not at apply.
 * Throws an {@link AtakoraError} with the code and path of the bad field.
 */
export function normalizeFunctionsConfig(
  id: string,
  config: FunctionsAppConfig,
): NormalizedFunctionsConfig {
  const at = (...p: (string | number)[]) => ['components', id, 'config', ...p];
  const { runtime, version } = checkAppSettings(id, config, at);
  const env = checkEnvironmentVariables(id, config.environmentVariables ?? {}, at);
  const fns = config.functions;
  if (!fns || typeof fns !== 'object' || Array.isArray(fns) || Object.keys(fns).length === 0) {
    throw new AtakoraError('FUNCTIONS_EMPTY', `FunctionsApp ${id} declares no functions.`, {
      path: at('functions'),
    });
  }
  const codePath = config.codePath;
  if (codePath !== undefined && (typeof codePath !== 'string' || codePath.trim() === '')) {
    throw new AtakoraError(
      'FUNCTIONS_CODE_PATH_INVALID',
      `FunctionsApp ${id}: codePath must be a folder path (got ${JSON.stringify(codePath)}).`,
      { path: at('codePath') },
    );
  }
  const functions: NormalizedFunction[] = [];
  // A function's settings (QUEUE_<NAME>, SCHEDULE_<NAME>) drop case and punctuation, as setting names do:
  // names that differ only there would write one setting, and one function would bind to the other's queue.
  const settingOwners = new Map<string, string>();
  for (const name of Object.keys(fns).sort()) {
    const p = (...rest: string[]) => at('functions', name, ...rest);
    checkFunctionName(id, name, settingOwners, p());
    functions.push(normalizeFunction(fns[name], { id, name, runtime, codePath, p }));
  }
  // A trigger's queue is declared by its queueName; `queues` declares those the code only sends to.
  const queues = [
    ...new Set([
      ...functions.map((f) => f.queueName).filter((q): q is string => !!q),
      ...checkQueues(config.queues, id, at('queues')),
    ]),
  ].sort();
  const secrets = checkSecrets(config.secrets, id, at('secrets'));
  return {
    runtime,
    version,
    functions,
    queues,
    environmentVariables: env,
    secrets,
    ...(codePath === undefined ? {} : { codePath }),
  };
}

type PathOf = (...p: (string | number)[]) => (string | number)[];

/** The app's own settings checked: shape, known keys, runtime and version, sku, alwaysOn, priority. */
function checkAppSettings(
  id: string,
  config: FunctionsAppConfig,
  at: PathOf,
): { runtime: FunctionRuntime; version: string } {
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new AtakoraError(
      'CONFIG_NOT_OBJECT',
      `FunctionsApp ${id}: the config must be an object.`,
      { path: at() },
    );
  }
  checkKnownKeys(config, APP_KEYS, at(), `FunctionsApp ${id}`);
  const runtime = config.runtime;
  if (!RUNTIMES.includes(runtime)) {
    throw new AtakoraError(
      'FUNCTIONS_RUNTIME_INVALID',
      `FunctionsApp ${id}: runtime ${JSON.stringify(runtime)} is not one of ${RUNTIMES.join(', ')}.`,
      { path: at('runtime') },
    );
  }
  const version = config.version ?? DEFAULT_RUNTIME_VERSION[runtime];
  if (typeof version !== 'string' || !/^\d+(\.\d+){0,2}$/.test(version)) {
    throw new AtakoraError(
      'FUNCTIONS_RUNTIME_INVALID',
      `FunctionsApp ${id}: version ${JSON.stringify(version)} must look like "22" or "3.12".`,
      { path: at('version') },
    );
  }
  if (config.sku !== undefined && !SKU_ORDER.includes(config.sku as never)) {
    throw new AtakoraError(
      'FUNCTIONS_RUNTIME_INVALID',
      `FunctionsApp ${id}: sku ${JSON.stringify(config.sku)} is not one of ${SKU_ORDER.join(', ')}.`,
      { path: at('sku') },
    );
  }
  if (config.alwaysOn !== undefined && typeof config.alwaysOn !== 'boolean') {
    throw new AtakoraError('CONFIG_INVALID', `FunctionsApp ${id}: alwaysOn must be a boolean.`, {
      path: at('alwaysOn'),
    });
  }
  if (
    config.priority !== undefined &&
    (typeof config.priority !== 'number' || !Number.isFinite(config.priority))
  ) {
    throw new AtakoraError('CONFIG_INVALID', `FunctionsApp ${id}: priority must be a number.`, {
      path: at('priority'),
    });
  }
  return { runtime, version };
}

function checkEnvironmentVariables(
  id: string,
  env: Readonly<Record<string, string>>,
  at: PathOf,
): Readonly<Record<string, string>> {
  if (!env || typeof env !== 'object' || Array.isArray(env)) {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `FunctionsApp ${id}: environmentVariables must be an object of strings.`,
      { path: at('environmentVariables') },
    );
  }
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string') {
      throw new AtakoraError(
        'CONFIG_INVALID',
        `FunctionsApp ${id}: environment variable ${JSON.stringify(k)} needs a name of letters, digits and ` +
          `"_" and a string value.`,
        { path: at('environmentVariables', k) },
      );
    }
  }
  return env;
}

/** A function's name checked, and kept apart from the others' once case and punctuation are dropped. */
function checkFunctionName(
  id: string,
  name: string,
  settingOwners: Map<string, string>,
  path: (string | number)[],
): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,127}$/.test(name)) {
    throw new AtakoraError(
      'FUNCTIONS_NAME_INVALID',
      `FunctionsApp ${id}: function name ${JSON.stringify(name)} must start with a letter and hold ` +
        `letters, digits, "-" or "_".`,
      { path },
    );
  }
  const other = settingOwners.get(settingPrefix(name));
  if (other !== undefined) {
    throw new AtakoraError(
      'FUNCTIONS_NAME_INVALID',
      `FunctionsApp ${id}: functions "${other}" and "${name}" differ only in case or punctuation, which ` +
        `their settings (QUEUE_${settingPrefix(name)}, SCHEDULE_${settingPrefix(name)}) and the Functions ` +
        `host's names do not keep apart.`,
      {
        path,
        resolution: `Rename "${name}" (or "${other}") so that the two differ in a letter or digit.`,
      },
    );
  }
  settingOwners.set(settingPrefix(name), name);
}

/** Where one function is checked: its app, its name, the app's runtime and code folder, its config path. */
interface FunctionAt {
  readonly id: string;
  readonly name: string;
  readonly runtime: FunctionRuntime;
  readonly codePath: string | undefined;
  readonly p: (...rest: string[]) => (string | number)[];
}

/** The options each trigger alone takes: any of them on another trigger is a FUNCTIONS_TRIGGER_INVALID. */
const TRIGGER_OPTIONS = [
  ['route', 'http'],
  ['methods', 'http'],
  ['requestSchema', 'http'],
  ['responseSchema', 'http'],
  ['access', 'http'],
  ['data', 'http'],
  ['mcp', 'http'],
  ['queueName', 'queue'],
  ['schedule', 'timer'],
  ['events', 'tenant-events'],
] as const;

function normalizeFunction(
  fn: FunctionDefinition | undefined,
  where: FunctionAt,
): NormalizedFunction {
  const { id, name, runtime, codePath, p } = where;
  if (!fn || typeof fn !== 'object') {
    throw new AtakoraError(
      'FUNCTIONS_TRIGGER_INVALID',
      `FunctionsApp ${id}: function "${name}" must be an object with a trigger.`,
      { path: p() },
    );
  }
  checkKnownKeys(fn, FUNCTION_KEYS, p(), `FunctionsApp ${id}: function "${name}"`);
  const { trigger } = fn;
  if (
    trigger !== 'http' &&
    trigger !== 'queue' &&
    trigger !== 'timer' &&
    trigger !== 'tenant-events'
  ) {
    throw new AtakoraError(
      'FUNCTIONS_TRIGGER_INVALID',
      `FunctionsApp ${id}: function "${name}" has unknown trigger ${JSON.stringify(trigger)} (use http, ` +
        `queue, timer or tenant-events).`,
      { path: p('trigger') },
    );
  }
  const handler = checkHandler(fn.handler, { id, name, runtime, codePath, path: p('handler') });
  const withHandler = handler === undefined ? {} : { handler };
  const misplaced = TRIGGER_OPTIONS.find(([k, t]) => fn[k] !== undefined && trigger !== t);
  if (misplaced) {
    if (misplaced[0] === 'data') noCallerData(id, name, trigger, p('data'));
    throw new AtakoraError(
      'FUNCTIONS_TRIGGER_INVALID',
      `FunctionsApp ${id}: function "${name}" is a ${trigger} trigger; ${misplaced[0]} belongs to ` +
        `${misplaced[1]} triggers.`,
      { path: p(misplaced[0]) },
    );
  }
  if (trigger === 'queue') return { ...queueFunction(fn, where), ...withHandler };
  if (trigger === 'timer') return { ...timerFunction(fn, where), ...withHandler };
  if (trigger === 'tenant-events')
    return { ...tenantEventsFunction(fn, { ...where, path: p('events') }), ...withHandler };
  return httpFunction(fn, where, withHandler);
}

function queueFunction(fn: FunctionDefinition, { id, name, p }: FunctionAt): NormalizedFunction {
  if (typeof fn.queueName !== 'string' || !isValidQueueName(fn.queueName)) {
    throw new AtakoraError(
      'FUNCTIONS_QUEUE_INVALID',
      fn.queueName === undefined
        ? `FunctionsApp ${id}: queue-triggered function "${name}" needs a queueName.`
        : `FunctionsApp ${id}: queue name ${JSON.stringify(fn.queueName)} of "${name}" must be 3-63 ` +
            `lowercase letters, digits and single hyphens.`,
      { path: p('queueName') },
    );
  }
  return { name, trigger: 'queue', queueName: fn.queueName };
}

function timerFunction(fn: FunctionDefinition, { id, name, p }: FunctionAt): NormalizedFunction {
  const schedule = typeof fn.schedule === 'string' ? fn.schedule : undefined;
  const problem = schedule === undefined ? 'is missing' : ncrontabProblem(schedule);
  if (problem || schedule === undefined) {
    throw new AtakoraError(
      'FUNCTIONS_SCHEDULE_INVALID',
      `FunctionsApp ${id}: the schedule of timer function "${name}" ${problem}.`,
      { path: p('schedule') },
    );
  }
  return { name, trigger: 'timer', schedule: schedule.trim().split(/\s+/).join(' ') };
}

function httpFunction(
  fn: FunctionDefinition,
  where: FunctionAt,
  withHandler: { handler?: string },
): NormalizedFunction {
  const { id, name, runtime, codePath, p } = where;
  // The host adds `api/`: a route written with it is served once under it, never at /api/api/….
  const route = typeof fn.route === 'string' ? stripRoutePrefix(fn.route) : (fn.route ?? name);
  if (
    typeof route !== 'string' ||
    !/^[A-Za-z0-9_{}\-./:?*(),=]+$/.test(route) ||
    route.startsWith('/')
  ) {
    throw new AtakoraError(
      'FUNCTIONS_TRIGGER_INVALID',
      `FunctionsApp ${id}: route ${JSON.stringify(route)} of "${name}" must be a path under api/ without ` +
        `a leading "/".`,
      { path: p('route') },
    );
  }
  const methods = fn.methods ?? DEFAULT_FUNCTION_METHODS;
  if (!isNonEmptyListOf(methods, HTTP_METHODS)) {
    throw new AtakoraError(
      'FUNCTIONS_TRIGGER_INVALID',
      `FunctionsApp ${id}: methods ${JSON.stringify(methods)} of "${name}" must be a non-empty list of ` +
        `${HTTP_METHODS.join(', ')}.`,
      { path: p('methods') },
    );
  }
  const schemas = openApiSchemas(fn, (k) => p(k), `FunctionsApp ${id}: function "${name}"`);
  const access = accessRules(fn.access, { id, name, route, runtime, codePath, path: p('access') });
  return {
    name,
    trigger: 'http',
    route,
    methods: HTTP_METHODS.filter((m) => methods.includes(m)),
    ...withHandler,
    ...schemas,
    ...(access ? { access } : {}),
    ...functionReach(fn, { id, name, runtime, codePath, p }),
  };
}

/** The queues the app sends to (`queues`), each a valid queue name (FUNCTIONS_QUEUE_INVALID otherwise). */
function checkQueues(queues: unknown, id: string, path: (string | number)[]): string[] {
  if (queues === undefined) return [];
  if (!Array.isArray(queues)) {
    throw new AtakoraError(
      'FUNCTIONS_QUEUE_INVALID',
      `FunctionsApp ${id}: queues must be a list of queue names such as ['emails'].`,
      { path },
    );
  }
  queues.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || !isValidQueueName(name)) {
      throw new AtakoraError(
        'FUNCTIONS_QUEUE_INVALID',
        `FunctionsApp ${id}: queue name ${JSON.stringify(name)} in queues must be 3-63 lowercase letters, ` +
          `digits and single hyphens.`,
        { path: [...path, i] },
      );
    }
  });
  return queues as string[];
}

/** The declared secret names (SECRET_NAME_INVALID otherwise), sorted and without repeats. */
function checkSecrets(secrets: unknown, id: string, path: (string | number)[]): string[] {
  if (secrets === undefined) return [];
  if (!Array.isArray(secrets)) {
    throw new AtakoraError(
      'SECRET_NAME_INVALID',
      `FunctionsApp ${id}: secrets must be a list of names such as ['STRIPE_KEY'].`,
      { path },
    );
  }
  secrets.forEach((name: unknown, i) => {
    if (!isSecretName(name)) {
      throw new AtakoraError(
        'SECRET_NAME_INVALID',
        `FunctionsApp ${id}: secret name ${JSON.stringify(name)} must be upper case letters, digits and "_", ` +
          `starting with a letter (at most ${SECRET_NAME_MAX} characters), as an environment variable: ` +
          `'STRIPE_KEY'.`,
        { path: [...path, i] },
      );
    }
  });
  return [...new Set(secrets as string[])].sort();
}

/**
 * An HTTP function's `access` rules, checked and copied: `authenticated`, `role` (an app role value) or
 * `anonymous` — the CrudApi kinds that mean something without items. Enforced by the gate the package's entry
 * wraps each Node handler in, so a prebuilt app (codePath, another runtime) cannot take them; an anonymous
 * function needs a literal route, the only kind App Service authentication can exempt (`excludedPaths`).
 */
function accessRules(
  value: unknown,
  where: {
    id: string;
    name: string;
    route: string;
    runtime: FunctionRuntime;
    codePath: string | undefined;
    path: (string | number)[];
  },
): FunctionAccessRule[] | undefined {
  if (value === undefined) return undefined;
  const fail = (why: string) =>
    new AtakoraError(
      'FUNCTION_ACCESS_INVALID',
      `FunctionsApp ${where.id}: the access rules of "${where.name}" ${why}.`,
      { path: where.path },
    );
  if (where.codePath !== undefined || where.runtime !== 'node')
    throw fail(
      'need a Node handler: the runtime enforces them in the package it builds, and a prebuilt app ' +
        '(codePath) is deployed as is',
    );
  if (!Array.isArray(value) || value.length === 0)
    throw fail("must be a non-empty list, e.g. [{ allow: 'role', role: 'OrderAdmin' }]");
  const rules: FunctionAccessRule[] = [];
  for (const [i, raw] of (value as unknown[]).entries()) {
    const r = raw as { allow?: unknown; role?: unknown } | null;
    const keys = r && typeof r === 'object' ? Object.keys(r) : [];
    if (r?.allow === 'authenticated' || r?.allow === 'anonymous') {
      if (keys.some((k) => k !== 'allow'))
        throw fail(`hold a rule with keys other than allow at ${String(i)} (${keys.join(', ')})`);
      rules.push({ allow: r.allow });
    } else if (
      r?.allow === 'role' &&
      typeof r.role === 'string' &&
      APP_ROLE_VALUE.test(r.role) &&
      keys.every((k) => k === 'allow' || k === 'role')
    ) {
      rules.push({ allow: 'role', role: r.role });
    } else {
      throw fail(
        `hold ${JSON.stringify(raw)} at ${String(i)}, which is no rule of an HTTP function`,
      );
    }
  }
  if (rules.some((r) => r.allow === 'anonymous') && /[{}*?]/.test(where.route)) {
    throw fail(
      `make route ${JSON.stringify(where.route)} anonymous, but App Service authentication exempts only ` +
        `literal paths: give the anonymous function a route without parameters`,
    );
  }
  return rules;
}

/** `./file.ts` or `./file.ts#exportName`: a script module path, optionally with a JavaScript identifier. */
export const HANDLER_PATTERN = /^[^#]+\.(?:ts|mts|cts|tsx|js|mjs|cjs|jsx)(?:#[A-Za-z_$][\w$]*)?$/;

/**
 * The handler's shape only: whether its file exists and exports the function is checked when the package
 * is built (apply, `atakora dev`), so that defining and planning stay pure and never touch the disk.
 */
function checkHandler(
  handler: unknown,
  where: {
    id: string;
    name: string;
    runtime: FunctionRuntime;
    codePath: string | undefined;
    path: (string | number)[];
  },
): string | undefined {
  if (handler === undefined) return undefined;
  const fail = (why: string) =>
    new AtakoraError(
      'FUNCTIONS_HANDLER_INVALID',
      `FunctionsApp ${where.id}: the handler of "${where.name}" ${why}.`,
      { path: where.path },
    );
  if (where.codePath !== undefined)
    throw fail('cannot be given with codePath (the prebuilt folder holds the code)');
  if (where.runtime !== 'node')
    throw fail(
      `is a Node module, but the app's runtime is ${where.runtime}: give the app a codePath instead`,
    );
  if (typeof handler !== 'string' || !HANDLER_PATTERN.test(handler.trim())) {
    throw fail(
      `must look like './src/functions/x.ts' or './src/functions/x.ts#name' (got ${JSON.stringify(handler)})`,
    );
  }
  return handler.trim();
}

/** A JSON Schema object (plain JSON data) for the OpenAPI document. */
type JsonSchemaObject = { readonly [keyword: string]: unknown };

/**
 * An HTTP function's `requestSchema` / `responseSchema` (JSON Schemas the OpenAPI document shows for its
 * bodies): each a plain JSON object, copied, or FUNCTIONS_SCHEMA_INVALID.
 */
function openApiSchemas(
  fn: FunctionDefinition,
  path: (key: string) => (string | number)[],
  what: string,
): { requestSchema?: JsonSchemaObject; responseSchema?: JsonSchemaObject } {
  const out: { requestSchema?: JsonSchemaObject; responseSchema?: JsonSchemaObject } = {};
  for (const key of ['requestSchema', 'responseSchema'] as const) {
    const value: unknown = fn[key];
    if (value === undefined) continue;
    let copy: unknown;
    try {
      copy = JSON.parse(JSON.stringify(value));
    } catch {
      copy = undefined;
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      typeof copy !== 'object' ||
      copy === null
    ) {
      throw new AtakoraError(
        'FUNCTIONS_SCHEMA_INVALID',
        `${what}: ${key} must be a JSON Schema object (plain JSON data).`,
        {
          path: path(key),
          resolution:
            `Give ${key} as a JSON Schema object, e.g. { type: 'object', properties: { id: { type: 'string' } ` +
            `}, required: ['id'] }, or leave it out.`,
        },
      );
    }
    out[key] = copy as JsonSchemaObject;
  }
  return out;
}
