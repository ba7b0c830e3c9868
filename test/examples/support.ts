import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
};

/** A fresh cdktf.out directory for one example run, removed by the returned cleanup. */
export function tempOut(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-example-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The synthesized stacks of an outdir, by stack name. */
export function stacks(outdir: string): Record<string, TfJson> {
  const out: Record<string, TfJson> = {};
  for (const name of readdirSync(join(outdir, 'stacks')))
    out[name] = JSON.parse(
      readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
    ) as TfJson;
  return out;
}

export const count = (json: TfJson, type: string) =>
  Object.keys(json.resource?.[type] ?? {}).length;
export const resources = (json: TfJson, type: string) => Object.values(json.resource?.[type] ?? {});

/** Planned `type.name` addresses vs synthesized ones (the resource group and the test's own resources aside). */
export function addresses(json: TfJson, skip: readonly string[] = []): string[] {
  return Object.entries(json.resource ?? {})
    .filter(([t]) => t !== 'azurerm_resource_group' && !skip.includes(t))
    .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
    .sort();
}
export function planned(plan: {
  resources: readonly { deploys: readonly { terraformType: string; name: string }[] }[];
}): string[] {
  return plan.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)).sort();
}
