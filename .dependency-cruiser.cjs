// The layer graph of src/ (docs/architecture.md, "Layers"), checked by `npm run lint:deps` (part of `npm test`).
// Type-only imports count (tsPreCompilationDeps): a type import is still a dependency a reader must follow,
// and the folders under src/ must form a one-way graph with them included.
//
//   model ← kit/pure ← resources/*/type.ts ← resources/types.ts ← plan ← backend ← components ← entry, cli, testing
//   kit/cdktf ← resources/*/provision.ts ← resources/provisioners.ts ← apply ← backend (lazy load + types)
//   cdktf, constructs, @cdktf/provider-* ← kit/cdktf only (the engine seam)
//   contract ← model only (the CRUD contract: routes, methods, statuses, problems, schema, query grammar)
//   runtime ← model, contract;  client ← model, contract (fetch only: never cdktf, the planner or the runtime)
// The engine: cdktf, constructs and the provider bindings generated for it (@cdktf/provider-*). Matched on the
// resolved path (node_modules/cdktf/lib/index.js, at any depth), or on the bare name when it does not resolve.
// node_modules is therefore not in `exclude` (an excluded module is dropped as a dependency too, and no rule
// naming a package could fire); doNotFollow keeps it from being cruised.
/**
 * The runtime's rooms, lowest first: each imports only those before it, type imports included (docs/architecture.md,
 * "The runtime's rooms"). The quota code (limits: a plan's day quota, rate limit, storage holds) stands below the
 * pipeline's limits stage and the writes (crud, files) that use it; the pipeline (its context types and stages)
 * stands below every handler folder; relations below crud (crud reaches them through their interfaces); routes
 * wires the handlers, and the files directly under src/runtime/ (start, route registration, health, OpenAPI, the
 * manifest) stand on all of them.
 */
const RUNTIME_ROOMS = [
  'settings',
  'values',
  'telemetry',
  'data',
  'audit',
  'http',
  'email',
  'embed',
  'access',
  'queries',
  'events',
  'usage',
  'billing',
  'tenants',
  'limits',
  'caller',
  'pipeline',
  'in-process',
  'mcp',
  'relations',
  'realtime',
  'members',
  'webhooks',
  'marketplace',
  'crud',
  'files',
  'search',
  'routes',
];
const PURE_CDKTF =
  '(^|/)node_modules/(cdktf|constructs|@cdktf/[^/]+)/|^(cdktf|constructs|@cdktf/.+)$';
/** The CLI's shared rooms: every other folder under src/cli/ is a command's. */
const CLI_SHARED_ROOMS = ['azure', 'shared', 'entry'];
/** An Azure SDK client package, resolved or bare; not the Functions programming model (`@azure/functions*`). */
const AZURE_SDK =
  '(^|/)node_modules/@azure/(?!functions(-core)?/)[^/]+/|^@azure/(?!functions(-core)?$)[^/]+';
const not = (...folders) => `^src/(${folders.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Folders and files depend one way only.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      comment: 'model/ holds plain data types and errors; it imports nothing of ours.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'kit-below-resources',
      severity: 'error',
      comment: 'kit/ is shared helpers: it knows model/ and itself only.',
      from: { path: '^src/kit/' },
      to: { path: '^src/', pathNot: '^src/(model|kit)/' },
    },
    {
      name: 'kit-pure-is-pure',
      severity: 'error',
      comment: 'kit/pure never reaches the cdktf side.',
      from: { path: '^src/kit/pure/' },
      to: { path: ['^src/kit/cdktf/', PURE_CDKTF] },
    },
    {
      name: 'resources-below-plan-and-apply',
      severity: 'error',
      comment:
        'A resource type knows model/ and kit/ only; plan/ and apply/ call it, never the reverse.',
      from: { path: '^src/resources/' },
      to: { path: '^src/', pathNot: '^src/(model|kit|resources)/' },
    },
    {
      name: 'resource-folders-independent',
      severity: 'error',
      comment: 'One resource type never imports another: what they share lives in kit/.',
      from: { path: '^src/resources/([^/]+)/' },
      to: { path: '^src/resources/[^/]+/', pathNot: '^src/resources/$1/' },
    },
    {
      name: 'resource-type-is-pure',
      severity: 'error',
      comment: 'type.ts is the pure half of a resource type: no cdktf, no provisioner.',
      from: {
        path: '^src/resources/[^/]+/(type|facts|limits|account-config|cidr|base-provider)\\.ts$',
      },
      to: { path: ['^src/kit/cdktf/', '/provision\\.ts$', PURE_CDKTF] },
    },
    {
      name: 'pure-registry-is-pure',
      severity: 'error',
      comment: 'resources/types.ts, facts.ts and refs.ts are what the planner loads: no cdktf.',
      from: { path: '^src/resources/(types|facts|refs)\\.ts$' },
      to: {
        path: [
          '^src/kit/cdktf/',
          '/provision\\.ts$',
          '^src/resources/provisioners\\.ts$',
          PURE_CDKTF,
        ],
      },
    },
    {
      name: 'plan-is-pure',
      severity: 'error',
      comment:
        'The planner is pure and reaches resource types only through their registry (types.ts) and their facts (facts.ts).',
      from: { path: '^src/plan/' },
      to: {
        path: [
          not('apply', 'backend', 'components', 'cli', 'entry', 'testing', 'runtime'),
          '^src/kit/cdktf/',
          '^src/resources/(?!(types|facts)\\.ts$)',
          PURE_CDKTF,
        ],
      },
    },
    {
      name: 'apply-through-registry',
      severity: 'error',
      comment:
        'apply/ reaches resource types only through resources/provisioners.ts, and never the layers above it.',
      from: { path: '^src/apply/' },
      to: {
        path: [
          not('backend', 'components', 'cli', 'entry', 'testing', 'runtime'),
          '^src/resources/(?!provisioners\\.ts$)',
        ],
      },
    },
    {
      name: 'backend-below-components',
      severity: 'error',
      comment:
        'backend/ knows plan/, apply/ (types and its lazy load), resources/ and kit/, never components or the entry points.',
      from: { path: '^src/backend/' },
      to: { path: not('components', 'cli', 'entry', 'testing', 'runtime') },
    },
    {
      name: 'components-below-entry',
      severity: 'error',
      comment: 'components/ never imports the entry points, the CLI or the runtime.',
      from: { path: '^src/components/' },
      to: { path: not('cli', 'entry', 'testing', 'runtime') },
    },
    {
      name: 'components-define-is-pure',
      severity: 'error',
      comment: 'components/*/define*.ts are pure (DESIGN §1).',
      from: { path: '^src/components/[^/]+/define[^/]*\\.ts$' },
      to: { path: ['^src/kit/cdktf/', '/provision\\.ts$', '^src/apply/', PURE_CDKTF] },
    },
    {
      name: 'access-is-pure',
      severity: 'error',
      comment:
        'access/ is the reference model of who may do what and the access matrix derived from it: pure, read by the plan renderers, the CLI, testing and the model-based test.',
      from: { path: '^src/access/' },
      to: {
        path: ['^src/', PURE_CDKTF],
        pathNot: '^src/(model|access)/|^src/resources/types\\.ts$',
      },
    },
    {
      name: 'contract-knows-model-only',
      severity: 'error',
      comment:
        'The CRUD contract is pure data and functions read by runtime, planner, dev, OpenAPI and client.',
      from: { path: '^src/contract/' },
      to: { path: ['^src/', PURE_CDKTF], pathNot: '^src/(model|contract)/' },
    },
    {
      name: 'runtime-knows-model-only',
      severity: 'error',
      comment:
        'The Function App code never loads the library around it (nor cdktf): model and the CRUD contract only.',
      from: { path: '^src/runtime/' },
      to: { path: ['^src/', PURE_CDKTF], pathNot: '^src/(model|contract|runtime)/' },
    },
    // Inside the runtime, rooms stand on the ones below them (docs/architecture.md, "The runtime's rooms"), so no two
    // folders of src/runtime import each other, not even by a type (test/architecture/runtime-folders.test.ts holds
    // the same property whatever this list says, and proves it on a fixture); no room imports the files directly
    // under src/runtime/, which wire them together.
    ...RUNTIME_ROOMS.map((room, i) => ({
      name: `runtime-${room}-below`,
      severity: 'error',
      comment: `runtime/${room}/ imports only the rooms below it: ${RUNTIME_ROOMS.slice(0, i).join(', ') || 'none'}.`,
      from: { path: `^src/runtime/${room}/` },
      to: {
        path: [
          `^src/runtime/(${RUNTIME_ROOMS.slice(i + 1).join('|') || '$^'})/`,
          '^src/runtime/[^/]+\\.ts$',
        ],
      },
    })),
    {
      name: 'runtime-rooms-listed',
      severity: 'error',
      comment:
        'Every folder of src/runtime has its place in RUNTIME_ROOMS (.dependency-cruiser.cjs): a new folder says what it stands on.',
      from: { path: `^src/runtime/(?!(${RUNTIME_ROOMS.join('|')})/)[^/]+/` },
      to: { path: '^src/' },
    },
    {
      name: 'client-knows-contract-only',
      severity: 'error',
      comment:
        'The browser/Node client ships to front ends: model and the CRUD contract only, never cdktf, the planner or the runtime.',
      from: { path: '^src/client/' },
      to: {
        path: ['^src/', PURE_CDKTF, '(^|/)node_modules/@azure/|^@azure/'],
        pathNot: '^src/(model|contract|client)/',
      },
    },
    {
      name: 'no-azurerm-root',
      severity: 'error',
      comment:
        'Import azurerm bindings by deep path only: the package root costs seconds and hundreds of MiB.',
      from: {},
      to: {
        path: '(^|/)node_modules/@cdktf/provider-azurerm/lib/index\\.(js|d\\.ts)$|^@cdktf/provider-azurerm$',
      },
    },
    // The engine seam (docs/architecture.md, "The engine seam"): a move to cdktn (cdktf's maintained fork) or
    // another engine changes kit/cdktf only. Its files name the engine's types (engine.ts, azurerm-types.ts,
    // type-only re-exports, free at run time) and load its values (cdk-modules.ts: cdktf and constructs;
    // azurerm(name) and azuread(name): one binding module on first use). The provider bindings count as the
    // engine: they are generated per engine, so no resource folder may import them, not even `import type`.
    {
      name: 'engine-through-kit-cdktf',
      severity: 'error',
      comment:
        'cdktf, constructs and @cdktf/provider-* reach the rest of src/ through src/kit/cdktf only (types: engine.ts, azurerm-types.ts; values: cdk-modules.ts).',
      from: { path: '^src/', pathNot: '^src/kit/cdktf/' },
      to: { path: PURE_CDKTF },
    },
    // The CLI's house (docs/architecture.md, "The CLI's rooms"): a command folder (plan/, deploy/, dev/, secrets/,
    // migrate/, seed/, and any new one) stands on the shared rooms only — azure/ (every call to Azure), shared/
    // (non-Azure helpers several commands need) and entry/ (loading the user's backend) — never on another
    // command's folder; the shared rooms never reach up into a command or the command line; and only azure/
    // loads an Azure SDK client (`@azure/functions`, the Functions programming model dev's worker host runs, is
    // no call to Azure).
    {
      name: 'cli-commands-independent',
      severity: 'error',
      comment:
        'A CLI command folder imports azure/, shared/ and entry/, never another command folder: what two commands share moves to a shared room.',
      // One named exception: verify proves the access matrix against dev's stack, through one file of its own.
      from: {
        path: `^src/cli/(?!${CLI_SHARED_ROOMS.join('/|')}/)([^/]+)/`,
        pathNot: '^src/cli/verify/dev-stack\\.ts$',
      },
      to: { path: '^src/cli/[^/]+/', pathNot: `^src/cli/($1|${CLI_SHARED_ROOMS.join('|')})/` },
    },
    {
      name: 'cli-shared-rooms-below-commands',
      severity: 'error',
      comment:
        "The CLI's shared rooms (azure/, shared/, entry/) never import a command folder nor the command line (main.ts, commands.ts, bin.ts).",
      from: { path: `^src/cli/(${CLI_SHARED_ROOMS.join('|')})/` },
      to: {
        path: ['^src/cli/[^/]+\\.ts$', '^src/cli/[^/]+/'],
        pathNot: `^src/cli/(${CLI_SHARED_ROOMS.join('|')})/`,
      },
    },
    {
      name: 'cli-azure-room-below-shared',
      severity: 'error',
      comment:
        'cli/azure/ talks to Azure and knows nothing of the CLI around it: not shared/, not entry/.',
      from: { path: '^src/cli/azure/' },
      to: { path: '^src/cli/(shared|entry)/' },
    },
    {
      name: 'cli-azure-sdks-in-azure-room',
      severity: 'error',
      comment:
        'Only src/cli/azure/ loads an Azure SDK (types included): every call to Azure from the CLI goes through that room.',
      from: { path: '^src/cli/', pathNot: '^src/cli/azure/' },
      to: { path: AZURE_SDK },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
      // enhanced-resolve's file-system cache for the whole cruise, not its 4 s default: a cruise that outlasts it (every
      // one beside the build and the suite, 90–220 s of wall at load 30) purged and re-read the same package.json
      // files and directories mid-run (docs/performance.md, "round 5, fifth pass").
      cachedInputFileSystem: { cacheDuration: 1800000 },
    },
    exclude: { path: '^dist/' },
    // Only what the rules above read: each module's dependents and orphan flag (no rule asks for them) are not
    // computed; every dependency, its resolution and the cycles are the same (compared as JSON, 1,452 modules).
    skipAnalysisNotInRules: true,
  },
};
