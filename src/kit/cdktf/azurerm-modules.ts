/**
 * The azurerm binding modules the provisioners use, by folder name under `@cdktf/provider-azurerm/lib/`:
 * the types {@link azurerm} returns. Add a line here to use another binding.
 */
export interface AzurermModules {
  'application-insights': typeof import('@cdktf/provider-azurerm/lib/application-insights/index.js');
  'cdn-frontdoor-custom-domain': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-custom-domain/index.js');
  'cdn-frontdoor-custom-domain-association': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-custom-domain-association/index.js');
  'cdn-frontdoor-endpoint': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint/index.js');
  'cdn-frontdoor-firewall-policy': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-firewall-policy/index.js');
  'cdn-frontdoor-origin': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-origin/index.js');
  'cdn-frontdoor-origin-group': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group/index.js');
  'cdn-frontdoor-profile': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js');
  'cdn-frontdoor-route': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js');
  'cdn-frontdoor-rule': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-rule/index.js');
  'cdn-frontdoor-rule-set': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-rule-set/index.js');
  'cdn-frontdoor-security-policy': typeof import('@cdktf/provider-azurerm/lib/cdn-frontdoor-security-policy/index.js');
  'communication-service': typeof import('@cdktf/provider-azurerm/lib/communication-service/index.js');
  'communication-service-email-domain-association': typeof import('@cdktf/provider-azurerm/lib/communication-service-email-domain-association/index.js');
  'cosmosdb-account': typeof import('@cdktf/provider-azurerm/lib/cosmosdb-account/index.js');
  'cosmosdb-sql-container': typeof import('@cdktf/provider-azurerm/lib/cosmosdb-sql-container/index.js');
  'cosmosdb-sql-database': typeof import('@cdktf/provider-azurerm/lib/cosmosdb-sql-database/index.js');
  'cosmosdb-sql-role-assignment': typeof import('@cdktf/provider-azurerm/lib/cosmosdb-sql-role-assignment/index.js');
  'data-azurerm-client-config': typeof import('@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js');
  'data-azurerm-cosmosdb-account': typeof import('@cdktf/provider-azurerm/lib/data-azurerm-cosmosdb-account/index.js');
  'data-azurerm-dns-zone': typeof import('@cdktf/provider-azurerm/lib/data-azurerm-dns-zone/index.js');
  'data-azurerm-subnet': typeof import('@cdktf/provider-azurerm/lib/data-azurerm-subnet/index.js');
  'data-azurerm-virtual-network': typeof import('@cdktf/provider-azurerm/lib/data-azurerm-virtual-network/index.js');
  'dns-cname-record': typeof import('@cdktf/provider-azurerm/lib/dns-cname-record/index.js');
  'dns-txt-record': typeof import('@cdktf/provider-azurerm/lib/dns-txt-record/index.js');
  'dns-zone': typeof import('@cdktf/provider-azurerm/lib/dns-zone/index.js');
  'email-communication-service': typeof import('@cdktf/provider-azurerm/lib/email-communication-service/index.js');
  'email-communication-service-domain': typeof import('@cdktf/provider-azurerm/lib/email-communication-service-domain/index.js');
  'email-communication-service-domain-sender-username': typeof import('@cdktf/provider-azurerm/lib/email-communication-service-domain-sender-username/index.js');
  'function-app-flex-consumption': typeof import('@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js');
  'key-vault': typeof import('@cdktf/provider-azurerm/lib/key-vault/index.js');
  'linux-function-app': typeof import('@cdktf/provider-azurerm/lib/linux-function-app/index.js');
  'log-analytics-workspace': typeof import('@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js');
  'monitor-action-group': typeof import('@cdktf/provider-azurerm/lib/monitor-action-group/index.js');
  'monitor-diagnostic-setting': typeof import('@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js');
  'monitor-metric-alert': typeof import('@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js');
  'network-security-group': typeof import('@cdktf/provider-azurerm/lib/network-security-group/index.js');
  'private-dns-zone': typeof import('@cdktf/provider-azurerm/lib/private-dns-zone/index.js');
  'private-dns-zone-virtual-network-link': typeof import('@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js');
  'private-endpoint': typeof import('@cdktf/provider-azurerm/lib/private-endpoint/index.js');
  provider: typeof import('@cdktf/provider-azurerm/lib/provider/index.js');
  'resource-group': typeof import('@cdktf/provider-azurerm/lib/resource-group/index.js');
  'role-assignment': typeof import('@cdktf/provider-azurerm/lib/role-assignment/index.js');
  'service-plan': typeof import('@cdktf/provider-azurerm/lib/service-plan/index.js');
  'servicebus-namespace': typeof import('@cdktf/provider-azurerm/lib/servicebus-namespace/index.js');
  'servicebus-queue': typeof import('@cdktf/provider-azurerm/lib/servicebus-queue/index.js');
  'servicebus-topic': typeof import('@cdktf/provider-azurerm/lib/servicebus-topic/index.js');
  'static-web-app': typeof import('@cdktf/provider-azurerm/lib/static-web-app/index.js');
  'static-web-app-custom-domain': typeof import('@cdktf/provider-azurerm/lib/static-web-app-custom-domain/index.js');
  'storage-account': typeof import('@cdktf/provider-azurerm/lib/storage-account/index.js');
  'storage-blob': typeof import('@cdktf/provider-azurerm/lib/storage-blob/index.js');
  'storage-container': typeof import('@cdktf/provider-azurerm/lib/storage-container/index.js');
  'storage-queue': typeof import('@cdktf/provider-azurerm/lib/storage-queue/index.js');
  'storage-management-policy': typeof import('@cdktf/provider-azurerm/lib/storage-management-policy/index.js');
  subnet: typeof import('@cdktf/provider-azurerm/lib/subnet/index.js');
  'subnet-network-security-group-association': typeof import('@cdktf/provider-azurerm/lib/subnet-network-security-group-association/index.js');
  'user-assigned-identity': typeof import('@cdktf/provider-azurerm/lib/user-assigned-identity/index.js');
  'virtual-network': typeof import('@cdktf/provider-azurerm/lib/virtual-network/index.js');
  'web-pubsub': typeof import('@cdktf/provider-azurerm/lib/web-pubsub/index.js');
  'web-pubsub-hub': typeof import('@cdktf/provider-azurerm/lib/web-pubsub-hub/index.js');
  'web-pubsub-network-acl': typeof import('@cdktf/provider-azurerm/lib/web-pubsub-network-acl/index.js');
}
