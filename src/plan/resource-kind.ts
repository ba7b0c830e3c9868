import type { NormalizedConfig } from '../model/config.js';
import type { JsonValue, PlanIssue, PlannedDeploy } from '../model/plan.js';
import type { SourcedRequirement } from '../model/requirements.js';

/** A merged group before naming. */
export interface MergedGroup {
  readonly key: string;
  readonly type: string;
  readonly compatibility: string;
  /** Suffix for the name; undefined for the default group (keeps the plain name). */
  readonly suffix: string | undefined;
  readonly config: { readonly [k: string]: JsonValue };
  readonly consumers: readonly string[];
}

/** What a kind's `deploys` sees about the other planned resources. */
export interface DeployContext {
  readonly backendId: string;
  readonly config: NormalizedConfig;
  /**
   * Component id → the planned resource key it uses, by type (`{ functions: 'functions:shared', … }`): lets a
   * kind plan grants for its consumers' Function Apps. Absent when the caller does not know the usage.
   */
  readonly usage?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * The pure half of a provider: how requirements of one type are grouped, merged, named, priced and
 * which Terraform resources apply will create for them. One per folder in `src/providers/<type>/merge.ts`.
 */
export interface ResourceKind {
  readonly type: string;
  /** `cosmos`, `func`, `st`: the `{type}` part of the default name. */
  readonly namePrefix: string;
  /** A name fixed by config (e.g. an existing account's) instead of the naming rules; undefined to use them. */
  presetName?(isDefault: boolean, config: NormalizedConfig): string | undefined;
  /** The compatibility key of one requirement: requirements share a resource only when keys are equal. */
  compatibility(req: SourcedRequirement, config: NormalizedConfig): { readonly key: string; readonly isDefault: boolean };
  /** Merge one group's requirements (sorted by component id) into one config. */
  /** `name` is the Azure name the planner gave this group (names come before merging), for configs that embed it. */
  merge(reqs: readonly SourcedRequirement[], config: NormalizedConfig, name?: string): { config: { [k: string]: JsonValue }; issues: PlanIssue[] };
  /** The Terraform resources apply creates for this planned resource (logical names). */
  deploys(group: MergedGroup & { readonly name: string }, ctx: DeployContext): PlannedDeploy[];
  /** Monthly USD estimate of one such resource with this config. */
  monthlyUsd(config: { readonly [k: string]: JsonValue }): number;
  /**
   * Optional shortcut: the monthly USD of one consumer's own copy, given its requirements and the group's
   * merged config. Without it the planner merges the consumer's requirements alone and prices that.
   */
  standaloneMonthlyUsd?(own: readonly SourcedRequirement[], shared: { readonly [k: string]: JsonValue }, config: NormalizedConfig): number;
}
