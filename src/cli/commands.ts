/** Help text per command. */
export const HELP: Record<string, string> = {
  main: `atakora — plan and synthesize Atakora backends

Usage:
  atakora plan <entry> [--json | --format text|markdown|mermaid|json]
  atakora synth <entry> [--out cdktf.out] [--resource-group <name>]
  atakora diff <before> <after> [--json | --format text|markdown|json]
  atakora dev <entry> [--port 7071]
  atakora <command> --help

<entry> is a .ts/.mts/.cts/.js/.mjs/.cjs module, ESM or CommonJS, exporting a backend, a builder, or a
function returning one (or an array): \`export default\`, \`module.exports\` or named exports.
Exit codes: 0 clean, 1 plan errors or limit violations (or an AtakoraError), 2 usage errors.`,
  plan: `atakora plan <entry> [--json] [--format text|markdown|mermaid|json]

Print each backend's plan: resources with their consumers, warnings, limit violations and the cost
summary. --json prints the ResourcePlan (an array when the entry has several backends).
Exits 0 when clean, 1 when a plan has errors or limit violations, 2 on usage errors.`,
  synth: `atakora synth <entry> [--out cdktf.out] [--resource-group <name>]

Write the Terraform JSON the way \`cdktf synth\` does: one stack per backend, named
<backendId>-<environment> (then -<location> when two share that), in <out>/stacks/<stack>/cdk.tf.json. Then:
  terraform -chdir=<out>/stacks/<stack> init && terraform -chdir=<out>/stacks/<stack> plan
The resource group defaults to rg-<stack>.`,
  diff: `atakora diff <before> <after> [--json] [--format text|markdown|json]

Compare two saved plans (JSON files written by \`atakora plan --json\`) or a saved plan with an entry.
Lists adds, removes, in-place changes and replacements; a replacement or removal of a stateful resource
(Cosmos DB, Storage, Key Vault, Service Bus) is data loss and makes the exit code 1.`,
  dev: `atakora dev <entry> [--port 7071]

Serve the backend locally as deployed: each Node Function App's package (the CRUD runtime and your
handlers) is built as apply builds it and loaded by a local worker; HTTP functions and CRUD routes answer
on http://127.0.0.1:<port>/api/..., against a local Cosmos DB protocol server (needs the optional peer
@vercel/cosmosdb-server). Timers fire on their schedule (UTC); invoke a queue (or timer) function with
  curl -X POST http://127.0.0.1:<port>/admin/functions/<name> -d '{"input": {...}}'
Start-up steps are reported on stderr; the banner lists what each route serves (a read-only CrudApi: GET).
Saving the entry or a handler file restarts the apps on the same ports (the local data stays); handler
stack traces point at your files (source maps). Ctrl+C stops everything. The first backend is served.
Not emulated locally: Cosmos DB TTL (items never expire), token validation (the principal header is
trusted), queue triggers (invoke them through /admin/functions), settings known only at deploy.`,
};
