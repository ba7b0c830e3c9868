import type { Construct } from 'constructs';
import type { PlannedResource } from '../model/plan.js';
import { monitoringProvisioner } from '../providers/monitoring/provision.js';
import { networkProvisioner } from '../providers/network/provision.js';
import type { ProvisionContext } from './provision-context.js';

/**
 * Provisioners of backend-level resources (monitoring, networking, …). `provision` runs before the
 * component resources (so a Function App can join the VNet and report to Application Insights);
 * `finalize` runs after them (private endpoints and alerts need the resources they point at).
 */
export interface BackendProvisioner {
  readonly type: string;
  provision(ctx: ProvisionContext, resource: PlannedResource): Construct;
  finalize?(ctx: ProvisionContext, resource: PlannedResource): void;
}

/** In the order they run. */
export const BACKEND_PROVISIONERS: readonly BackendProvisioner[] = [
  monitoringProvisioner,
  networkProvisioner,
];
