import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import { customerSignInIssues } from './customer-sign-in.js';

/**
 * Settings the backend accepts from the seeds but will not weaken: say so in the plan instead of silently
 * ignoring them.
 */
export function configIssues(config: NormalizedConfig): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (!config.enforceHttps) {
    issues.push({
      severity: 'warning',
      code: 'HTTPS_ALWAYS_ON',
      path: ['config', 'enforceHttps'],
      message:
        'enforceHttps: false is ignored: Function Apps are always HTTPS-only with TLS 1.2, storage accepts HTTPS only.',
    });
  }
  if (!config.useManagedIdentity) {
    issues.push({
      severity: 'warning',
      code: 'IDENTITY_ALWAYS_ON',
      path: ['config', 'useManagedIdentity'],
      message:
        'useManagedIdentity: false is ignored: Cosmos DB key auth and storage shared keys are off, so ' +
        'identities are the only way in.',
    });
  }
  if (
    config.autoScale?.enabled &&
    config.autoScale.minThroughput !== undefined &&
    config.autoScale.maxThroughput !== undefined &&
    config.autoScale.minThroughput * 10 < config.autoScale.maxThroughput
  ) {
    issues.push({
      severity: 'warning',
      code: 'AUTOSCALE_RANGE',
      path: ['config', 'autoScale'],
      message:
        `Cosmos DB autoscale scales between 10% and 100% of its maximum: minThroughput ` +
        `${config.autoScale.minThroughput} is below 10% of maxThroughput ${config.autoScale.maxThroughput}, so ` +
        `the floor will be ${config.autoScale.maxThroughput / 10} RU/s.`,
    });
  }
  issues.push(...securityIssues(config), ...customerSignInIssues(config));
  return issues;
}

/**
 * Security choices the plan must show: authentication off, authentication on with no registration to check
 * tokens against (every route but health answers 401), a wildcard CORS origin, a trusted tenant header.
 */
function securityIssues(config: NormalizedConfig): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (!config.auth.enabled) {
    issues.push({
      severity: 'warning',
      code: 'AUTH_DISABLED',
      path: ['config', 'auth'],
      message:
        "auth: 'none': App Service authentication is off, so anyone who can reach the Function App can call " +
        'every route and read or change the data.',
    });
  }
  if (config.auth.enabled && !config.auth.clientId && !config.auth.appRegistration) {
    issues.push({
      // An error: azurerm 4.55 refuses auth_settings_v2 without an identity provider ("one of
      // auth_settings_v2.0.active_directory_v2, … must be specified", AtLeastOneOf in helpers/auth_v2_schema.go).
      severity: 'error',
      code: 'AUTH_CLIENT_ID_MISSING',
      path: ['config', 'auth', 'appRegistration'],
      message:
        'auth.appRegistration: false and no auth.clientId: App Service authentication would have no identity ' +
        'provider to check tokens against, and the azurerm provider refuses authentication settings without ' +
        'one (Terraform stops at its plan); the API would refuse every caller anyway.',
      resolution:
        'Name your app registration (auth: { clientId }), let the stack create one (leave appRegistration ' +
        "out), or turn authentication off explicitly (auth: 'none').",
    });
  }
  if (config.corsOrigins.includes('*')) {
    issues.push({
      severity: 'warning',
      code: 'CORS_WILDCARD',
      path: ['config', 'corsOrigins'],
      message: "corsOrigins contains '*': any web page can call the API from a browser.",
    });
  }
  if (config.tenancy.trustGatewayHeader) {
    issues.push({
      severity: 'warning',
      code: 'TENANT_HEADER_TRUSTED',
      path: ['config', 'tenancy', 'trustGatewayHeader'],
      message:
        'x-tenant-id is trusted: only safe when a gateway in front of the Function App sets it and clients ' +
        'cannot reach the app directly.',
    });
  }
  return issues;
}
