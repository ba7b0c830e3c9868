/**
 * A stand-in `terraform` executable for the deploy tests (no Terraform provider can be downloaded here).
 * `installFakeTerraform()` writes a small Node script into a fresh temp dir, and beside it `terraform`, a bash
 * front that has this worker's server run the script (node-stand-in.ts: no Node start per call); put that dir
 * first on PATH (or pass it with --terraform). What it does, by command (run in the stack's directory):
 *
 * - every call: appends `{ cwd, args }` as one JSON line to `$FAKE_TF_LOG`.
 * - `init`: prints Terraform's success line.
 * - `plan … -out=<file>`: writes the plan JSON into <file>: the scenario file `$FAKE_TF_PLAN` if set, else one
 *   `create` (with `-destroy`: one `delete`) per resource of ./cdk.tf.json; prints `# <address> will be …` lines.
 *   A destroyed `azuread_application` / `azuread_service_principal` has `change.before.object_id`
 *   ({@link fakeObjectId} of its address).
 * - `show -json <file>`: prints <file> (so show reads exactly what plan wrote; a missing file fails).
 * - `apply <file>`: for each change of <file>, Terraform's "Creating…" / "Creation complete" lines (Destruction
 *   / Modifications likewise), then "Apply complete! Resources: …" (or "Destroy complete!"). With
 *   `$FAKE_TF_FAIL=apply` it prints an azurerm-style error to stderr and exits 1 after the first resource; with
 *   `$FAKE_TF_HANG=apply` it waits until interrupted, logs `(SIGINT)` and exits 1 as Terraform stops gracefully.
 * - `output -json`: one output per `output` of ./cdk.tf.json. A string output is its synthesized value, with the
 *   `https://<host>` of a URL replaced by `$FAKE_TF_OUTPUT_BASE` when set (to point the health check at a
 *   local server). An object output (`atakora_sync_triggers_<app>` = `{ resource_id, package_md5 }`) gets
 *   its members resolved as after apply: a Function App's `id` becomes its ARM id
 *   (`/subscriptions/<provider's subscription_id, else $FAKE_TF_SUBSCRIPTION, else a fixed one>/resourceGroups/
 *   <its resource_group_name>/providers/Microsoft.Web/sites/<its name>`), another expression (`filemd5(…)`)
 *   a stable hex digest.
 * - anything else, or `$FAKE_TF_FAIL=<command>`: exit 1 with a message on stderr.
 *
 * With `$FAKE_TF_STATE=1` it keeps a state (`./fake.tfstate.json`: address → the applied block) and plans against
 * it: `create` for a block not in state, `update` for one that differs, `delete` for one gone, nothing for the
 * rest; the plan's `prior_state.values.root_module.resources` lists the state's blocks as their `values` (as
 * Terraform's JSON plan does; absent before the first apply). `-target=<address>` limits the plan to exactly those addresses (real Terraform adds their dependencies;
 * for the narrow admission steps, which change existing accounts only, that makes no difference). Then:
 * - `$FAKE_TF_CALLER_IP`: a plan that refreshes an `azurerm_storage_blob` (in state, and targeted or no target)
 *   whose account (in state) denies by default without that address in its `ip_rules` fails with the storage
 *   firewall's 403, as on Azure.
 * - `$FAKE_TF_FAIL=apply-at-end-once:<marker>`: the first apply with changes applies all but its last change, then
 *   fails (writing <marker>); later applies succeed. `$FAKE_TF_FAIL=apply-target`: every apply of a targeted plan fails.
 * - `$FAKE_TF_SNAPSHOTS=<dir>`: each apply copies ./cdk.tf.json to `<dir>/<n>.json` (n = 1, 2, … per apply).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installNodeStandIn } from './node-stand-in.js';

// The shebang names this Node by path: the tests also run with a PATH that has no node (no terraform either).
const SCRIPT = (node: string) => String.raw`#!${node}
'use strict';
const fs = require('node:fs');
const args = process.argv.slice(2);
const env = process.env;
if (env.FAKE_TF_LOG) fs.appendFileSync(env.FAKE_TF_LOG, JSON.stringify({ cwd: process.cwd(), args }) + '\n');
const cmd = args[0];
const fileArg = () => args.filter((a) => !a.startsWith('-')).slice(1).pop();
const config = () => JSON.parse(fs.readFileSync('cdk.tf.json', 'utf8'));
const stateMode = env.FAKE_TF_STATE === '1';
const STATE = 'fake.tfstate.json';
const readState = () => (fs.existsSync(STATE) ? JSON.parse(fs.readFileSync(STATE, 'utf8')) : {});
const targets = args.filter((a) => a.startsWith('-target=')).map((a) => a.slice('-target='.length));
const objectIdOf = (address) => { const h = require('node:crypto').createHash('sha256').update(address).digest('hex'); return h.slice(0, 8) + '-' + h.slice(8, 12) + '-4' + h.slice(13, 16) + '-8' + h.slice(17, 20) + '-' + h.slice(20, 32); };
if (env.FAKE_TF_FAIL === cmd && cmd !== 'apply') { process.stderr.write('Error: scripted failure of terraform ' + cmd + '\n'); process.exit(1); }
if (cmd === 'init') { console.log('Terraform has been successfully initialized!'); process.exit(0); }
if (cmd === 'plan') {
  const out = args.find((a) => a.startsWith('-out='));
  if (!out) { process.stderr.write('Error: fake terraform wants -out\n'); process.exit(1); }
  let plan;
  if (env.FAKE_TF_PLAN) plan = JSON.parse(fs.readFileSync(env.FAKE_TF_PLAN, 'utf8'));
  else if (stateMode && !args.includes('-destroy')) {
    const state = readState();
    const blocks = {};
    for (const [type, byName] of Object.entries(config().resource || {})) for (const [name, block] of Object.entries(byName)) blocks[type + '.' + name] = block;
    const wanted = (a) => targets.length === 0 || targets.includes(a);
    if (env.FAKE_TF_CALLER_IP) {
      for (const [address, blob] of Object.entries(state)) {
        if (!address.startsWith('azurerm_storage_blob.') || !wanted(address)) continue;
        const m = /azurerm_storage_account\.([A-Za-z0-9_-]+)\./.exec(String(blob.storage_account_name || ''));
        const rules = m && (state['azurerm_storage_account.' + m[1]] || {}).network_rules;
        if (rules && rules.default_action === 'Deny' && !(rules.ip_rules || []).includes(env.FAKE_TF_CALLER_IP)) {
          process.stderr.write('Error: retrieving properties for ' + address + ': unexpected status 403 (403 This request is not authorized to perform this operation.) with AuthorizationFailure\n');
          process.exit(1);
        }
      }
    }
    const resource_changes = [];
    const planned = {};
    for (const [address, block] of Object.entries(blocks)) {
      if (!wanted(address)) continue;
      const [type, name] = address.split('.');
      const actions = !(address in state) ? ['create'] : JSON.stringify(state[address]) !== JSON.stringify(block) ? ['update'] : null;
      if (!actions) continue;
      resource_changes.push({ address, mode: 'managed', type, name, change: { actions } });
      planned[address] = block;
    }
    for (const address of Object.keys(state)) {
      if (address in blocks || !wanted(address)) continue;
      const [type, name] = address.split('.');
      resource_changes.push({ address, mode: 'managed', type, name, change: { actions: ['delete'] } });
    }
    // The state it was planned against, as Terraform's JSON plan holds it (prior_state, absent with no state).
    const resources = Object.entries(state).map(([address, values]) => ({ address, mode: 'managed', type: address.split('.')[0], name: address.split('.')[1], values }));
    plan = { format_version: '1.2', resource_changes, planned, targeted: targets.length > 0, ...(resources.length ? { prior_state: { format_version: '1.0', values: { root_module: { resources } } } } : {}) };
  } else {
    const actions = args.includes('-destroy') ? ['delete'] : ['create'];
    const resource_changes = [];
    for (const [type, byName] of Object.entries(config().resource || {})) {
      for (const name of Object.keys(byName)) {
        const address = type + '.' + name;
        // A destroyed registration's prior state carries its object id, as the azuread provider keeps it.
        const before = actions[0] === 'delete' && /^azuread_(application|service_principal)$/.test(type) ? { object_id: objectIdOf(address) } : undefined;
        resource_changes.push({ address, mode: 'managed', type, name, change: before ? { actions, before } : { actions } });
      }
    }
    plan = { format_version: '1.2', resource_changes };
  }
  fs.writeFileSync(out.slice(5), JSON.stringify(plan));
  const verb = (a) => (a.includes('delete') && a.includes('create') ? 'replaced' : a[0] === 'create' ? 'created' : a[0] === 'delete' ? 'destroyed' : 'updated in-place');
  for (const rc of plan.resource_changes || []) console.log('  # ' + rc.address + ' will be ' + verb(rc.change.actions));
  console.log('Saved the plan to: ' + out.slice(5));
  process.exit(0);
}
if (cmd === 'show') {
  if (!args.includes('-json')) { process.stderr.write('Error: fake terraform shows -json only\n'); process.exit(1); }
  process.stdout.write(fs.readFileSync(fileArg(), 'utf8'));
  process.exit(0);
}
if (cmd === 'apply' && env.FAKE_TF_HANG === 'apply') {
  // Terraform's interrupt handling, shortened: the first SIGINT stops gracefully, exit 1.
  console.log('azurerm_resource_group.resource-group: Creating...');
  process.on('SIGINT', () => {
    fs.appendFileSync(env.FAKE_TF_LOG, JSON.stringify({ cwd: process.cwd(), args: ['(SIGINT)'] }) + '\n');
    process.stderr.write('Interrupt received.\nPlease wait for Terraform to exit or data loss may occur.\nGracefully shutting down...\n');
    setTimeout(() => process.exit(1), 100);
  });
  // Only now may a test interrupt it: a SIGINT before the handler would kill it like a crash (see interruptible()).
  fs.writeFileSync(env.FAKE_TF_LOG + '.interruptible', '');
  setInterval(() => {}, 1000);
  return;
}
if (cmd === 'apply') {
  const plan = JSON.parse(fs.readFileSync(fileArg(), 'utf8'));
  if (env.FAKE_TF_SNAPSHOTS) {
    fs.mkdirSync(env.FAKE_TF_SNAPSHOTS, { recursive: true });
    fs.copyFileSync('cdk.tf.json', require('node:path').join(env.FAKE_TF_SNAPSHOTS, (fs.readdirSync(env.FAKE_TF_SNAPSHOTS).length + 1) + '.json'));
  }
  if (plan.targeted && env.FAKE_TF_FAIL === 'apply-target') { process.stderr.write('Error: scripted failure of a targeted terraform apply\n'); process.exit(1); }
  const state = stateMode ? readState() : {};
  const changes = plan.resource_changes || [];
  const failAtEnd = env.FAKE_TF_FAIL && env.FAKE_TF_FAIL.startsWith('apply-at-end-once:') ? env.FAKE_TF_FAIL.slice('apply-at-end-once:'.length) : '';
  let added = 0, changed = 0, destroyed = 0;
  for (const [i, rc] of changes.entries()) {
    if (failAtEnd && i === changes.length - 1 && !fs.existsSync(failAtEnd)) {
      fs.writeFileSync(failAtEnd, rc.address);
      process.stderr.write('\nError: creating ' + rc.address + ': unexpected status 400 (400 Bad Request) with error: scripted failure at the end\n');
      process.exit(1);
    }
    const a = rc.change.actions;
    const steps = a.includes('delete') && a.includes('create') ? (a[0] === 'delete' ? ['delete', 'create'] : ['create', 'delete']) : a;
    for (const s of steps) {
      const [ing, done] = s === 'create' ? ['Creating...', 'Creation complete after 1s [id=/fake/' + rc.name + ']'] : s === 'delete' ? ['Destroying...', 'Destruction complete after 1s'] : s === 'update' ? ['Modifying...', 'Modifications complete after 1s'] : [null, null];
      if (!ing) continue;
      console.log(rc.address + ': ' + ing);
      // FAKE_TF_FAIL=subnet-linked:<marker>: the first apply that deletes a subnet fails as Azure refuses a subnet
      // still holding a service association link (provider #28979); later ones (the marker exists) succeed.
      if (env.FAKE_TF_FAIL && env.FAKE_TF_FAIL.startsWith('subnet-linked:') && s === 'delete' && rc.type === 'azurerm_subnet') {
        const marker = env.FAKE_TF_FAIL.slice('subnet-linked:'.length);
        if (!fs.existsSync(marker)) {
          fs.writeFileSync(marker, rc.address);
          process.stderr.write('\nError: deleting ' + rc.address + ': performing Delete: unexpected status 400 (400 Bad Request) with error: InUseSubnetCannotBeDeleted: Subnet snet-func is in use by /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-func/serviceAssociationLinks/legionservicelink and cannot be deleted.\n');
          process.exit(1);
        }
      }
      if (env.FAKE_TF_FAIL === 'apply') {
        process.stderr.write('\n' + 'Error: creating ' + rc.address + ': unexpected status 409 (409 Conflict) with error: Conflict: scripted failure\n\n  with ' + rc.address + ',\n  on cdk.tf.json line 1, in resource:\n');
        process.exit(1);
      }
      console.log(rc.address + ': ' + done);
      if (s === 'create') added++; else if (s === 'delete') destroyed++; else changed++;
    }
    if (stateMode) {
      if (rc.change.actions.includes('delete') && !rc.change.actions.includes('create')) delete state[rc.address];
      else if (plan.planned && rc.address in plan.planned) state[rc.address] = plan.planned[rc.address];
      fs.writeFileSync(STATE, JSON.stringify(state));
    }
  }
  const destroyOnly = (plan.resource_changes || []).every((rc) => rc.change.actions.join() === 'delete');
  console.log(destroyOnly && destroyed ? 'Destroy complete! Resources: ' + destroyed + ' destroyed.' : 'Apply complete! Resources: ' + added + ' added, ' + changed + ' changed, ' + destroyed + ' destroyed.');
  process.exit(0);
}
if (cmd === 'output' && args.includes('-json')) {
  const cfg = config();
  // What a reference would hold after apply: a site's id is its ARM id (subscription: the provider's literal
  // subscription_id, else $FAKE_TF_SUBSCRIPTION, else a fixed one); a literal attribute is itself; any other
  // expression (filemd5(…), an unknown attribute) gets a stable made-up hex digest of its text.
  const SITES = ['azurerm_function_app_flex_consumption', 'azurerm_linux_function_app', 'azurerm_windows_function_app'];
  const provider = [].concat((cfg.provider || {}).azurerm || [])[0] || {};
  const subscription = (typeof provider.subscription_id === 'string' && !provider.subscription_id.includes('$' + '{') ? provider.subscription_id : '') || env.FAKE_TF_SUBSCRIPTION || '00000000-0000-0000-0000-00000000fa4e';
  const digest = (text) => require('node:crypto').createHash('md5').update(text).digest('hex');
  const resolve = (text, depth) => {
    const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(text);
    if (!ref || depth > 4) return text.includes('$' + '{') ? digest(text) : text;
    const [, type, name, attr] = ref;
    const block = ((cfg.resource || {})[type] || {})[name];
    if (!block) return digest(text);
    if (attr === 'id' && SITES.includes(type)) return '/subscriptions/' + subscription + '/resourceGroups/' + resolve(String(block.resource_group_name), depth + 1) + '/providers/Microsoft.Web/sites/' + resolve(String(block.name), depth + 1);
    if (attr === 'id') return '/fake/' + name;
    return typeof block[attr] === 'string' ? resolve(block[attr], depth + 1) : digest(text);
  };
  const out = {};
  for (const [name, o] of Object.entries(cfg.output || {})) {
    if (o.value && typeof o.value === 'object' && !Array.isArray(o.value)) {
      const value = Object.fromEntries(Object.entries(o.value).map(([k, v]) => [k, typeof v === 'string' ? resolve(v, 0) : v]));
      out[name] = { sensitive: !!o.sensitive, type: ['object', Object.fromEntries(Object.keys(value).map((k) => [k, 'string']))], value };
      continue;
    }
    let value = typeof o.value === 'string' ? o.value : 'made-up-' + name;
    if (env.FAKE_TF_OUTPUT_BASE) value = value.replace(/^https:\/\/[^/]+/, env.FAKE_TF_OUTPUT_BASE);
    out[name] = { sensitive: false, type: 'string', value };
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}
process.stderr.write('Error: fake terraform does not know: ' + args.join(' ') + '\n');
process.exit(1);
`;

/** The installed stand-in: its folder (put it first on PATH) and the log of its calls. */
export interface FakeTerraform {
  readonly dir: string;
  readonly bin: string;
  readonly log: string;
  /** The calls so far, in order. */
  calls(): { cwd: string; args: string[] }[];
  /** A hanging apply (`FAKE_TF_HANG=apply`) has its SIGINT handler: an interrupt is now handled, not fatal. */
  interruptible(): boolean;
}

/**
 * Write the stand-in into a new temp dir (outside the package, so its CommonJS is never read as an ES module).
 *
 * @example
 * ```ts
 * const tf = installFakeTerraform();
 * const env = { ...process.env, PATH: `${tf.dir}:${process.env.PATH}`, FAKE_TF_LOG: tf.log };
 * ```
 */
export function installFakeTerraform(name = 'terraform'): FakeTerraform {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-fake-tf-'));
  const bin = join(dir, name);
  // A hanging apply waits for a real SIGINT: that call runs the script in Node.
  installNodeStandIn(bin, SCRIPT(process.execPath), '[[ $1 == apply && $FAKE_TF_HANG == apply ]]');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  return {
    dir,
    bin,
    log,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { cwd: string; args: string[] }),
    interruptible: () => existsSync(`${log}.interruptible`),
  };
}

/**
 * The object id the stand-in gives a destroyed app registration or service principal in its plan (a GUID from a
 * hash of the address), so a test knows which ids a destroy should purge.
 */
export function fakeObjectId(address: string): string {
  const h = createHash('sha256').update(address).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
