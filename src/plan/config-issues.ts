import type { NormalizedConfig } from '../model/config.js';
import type { PlanIssue } from '../model/plan.js';

/**
 * Settings the backend accepts from the seeds but will not weaken: say so in the plan instead of silently
 * ignoring them.
 */
export function configIssues(config: NormalizedConfig): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (!config.enforceHttps) {
    issues.push({
      severity: 'warning', code: 'HTTPS_ALWAYS_ON', path: ['config', 'enforceHttps'],
      message: 'enforceHttps: false is ignored: Function Apps are always HTTPS-only with TLS 1.2, storage accepts HTTPS only.',
    });
  }
  if (!config.useManagedIdentity) {
    issues.push({
      severity: 'warning', code: 'IDENTITY_ALWAYS_ON', path: ['config', 'useManagedIdentity'],
      message: 'useManagedIdentity: false is ignored: Cosmos DB key auth and storage shared keys are off, so identities are the only way in.',
    });
  }
  if (config.autoScale?.enabled && config.autoScale.minThroughput !== undefined && config.autoScale.maxThroughput !== undefined
    && config.autoScale.minThroughput * 10 < config.autoScale.maxThroughput) {
    issues.push({
      severity: 'warning', code: 'AUTOSCALE_RANGE', path: ['config', 'autoScale'],
      message: `Cosmos DB autoscale scales between 10% and 100% of its maximum: minThroughput ${config.autoScale.minThroughput} is below 10% of maxThroughput ${config.autoScale.maxThroughput}, so the floor will be ${config.autoScale.maxThroughput / 10} RU/s.`,
    });
  }
  return issues;
}
