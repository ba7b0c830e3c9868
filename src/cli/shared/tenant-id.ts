// One tenant id shape for the CLI, the runtime's TenantAdmin API and the client: the contract's.
export { TENANT_ID } from '../../contract/tenants.js';
