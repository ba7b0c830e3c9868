// The seeds' Example 1 provider, with import paths adjusted to this package and the azurerm deep imports.
// Two additions over the original: Terraform logical names from `context.logicalPrefix` with a matching
// `plannedDeploys` (so the plan lists what this provider creates), and the namespace secured explicitly.
import type { Construct } from 'constructs';
import {
  type IResourceProvider,
  type IResourceRequirement,
  type ProviderContext,
  type ValidationResult,
  type PlannedDeploy,
  BaseProvider,
} from '@atakora/component/backend';
import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
import { ServicebusQueue } from '@cdktf/provider-azurerm/lib/servicebus-queue/index.js';
import { ServicebusTopic } from '@cdktf/provider-azurerm/lib/servicebus-topic/index.js';

export interface ServiceBusConfig {
  sku: 'Basic' | 'Standard' | 'Premium';
  queues?: Array<{ name: string; maxSize?: number }>;
  topics?: Array<{ name: string; maxSize?: number }>;
}

export class ServiceBusProvider extends BaseProvider implements IResourceProvider {
  public readonly providerId = 'servicebus-provider';
  public readonly supportedTypes = ['servicebus'];

  override canProvide(requirement: IResourceRequirement): boolean {
    return requirement.resourceType === 'servicebus';
  }

  provideResource(
    requirement: IResourceRequirement,
    scope: Construct,
    context: ProviderContext,
  ): ServicebusNamespace {
    const config = requirement.config as unknown as ServiceBusConfig;
    const namespace = new ServicebusNamespace(scope, requirement.requirementKey, {
      name: context.naming.formatResourceName(
        'servicebus',
        context.backend.backendId,
        requirement.requirementKey,
      ),
      resourceGroupName: scope.node.tryGetContext('resourceGroupName') as string,
      location: context.location,
      sku: config.sku || 'Standard',
      localAuthEnabled: false,
      minimumTlsVersion: '1.2',
      tags: context.tags,
    });
    namespace.overrideLogicalId(context.logicalPrefix);
    config.queues?.forEach((queue) => {
      new ServicebusQueue(scope, `${requirement.requirementKey}-queue-${queue.name}`, {
        name: queue.name,
        namespaceId: namespace.id,
        maxSizeInMegabytes: queue.maxSize || 1024,
      }).overrideLogicalId(`${context.logicalPrefix}_queue_${queue.name}`);
    });
    config.topics?.forEach((topic) => {
      new ServicebusTopic(scope, `${requirement.requirementKey}-topic-${topic.name}`, {
        name: topic.name,
        namespaceId: namespace.id,
        maxSizeInMegabytes: topic.maxSize || 1024,
      }).overrideLogicalId(`${context.logicalPrefix}_topic_${topic.name}`);
    });
    return namespace;
  }

  plannedDeploys(requirement: IResourceRequirement, logicalPrefix: string): PlannedDeploy[] {
    const config = requirement.config as unknown as ServiceBusConfig;
    return [
      { terraformType: 'azurerm_servicebus_namespace', name: logicalPrefix },
      ...(config.queues ?? []).map((q) => ({
        terraformType: 'azurerm_servicebus_queue',
        name: `${logicalPrefix}_queue_${q.name}`,
      })),
      ...(config.topics ?? []).map((t) => ({
        terraformType: 'azurerm_servicebus_topic',
        name: `${logicalPrefix}_topic_${t.name}`,
      })),
    ];
  }

  override mergeRequirements(
    requirements: ReadonlyArray<IResourceRequirement>,
  ): IResourceRequirement {
    const allQueues: Array<{ name: string; maxSize?: number }> = [];
    const allTopics: Array<{ name: string; maxSize?: number }> = [];
    let highestSku: 'Basic' | 'Standard' | 'Premium' = 'Basic';
    const skuPriority = { Basic: 1, Standard: 2, Premium: 3 };
    for (const req of requirements) {
      const config = req.config as unknown as ServiceBusConfig;
      if (config.queues) allQueues.push(...config.queues);
      if (config.topics) allTopics.push(...config.topics);
      if (config.sku && skuPriority[config.sku] > skuPriority[highestSku]) highestSku = config.sku;
    }
    const uniqueQueues = Array.from(new Map(allQueues.map((q) => [q.name, q])).values());
    const uniqueTopics = Array.from(new Map(allTopics.map((t) => [t.name, t])).values());
    return {
      resourceType: 'servicebus',
      requirementKey: 'shared-servicebus',
      priority: Math.max(...requirements.map((r) => r.priority || 10)),
      config: { sku: highestSku, queues: uniqueQueues, topics: uniqueTopics },
    };
  }

  override validateMerged(requirement: IResourceRequirement): ValidationResult {
    const config = requirement.config as unknown as ServiceBusConfig;
    const errors: string[] = [];
    const warnings: string[] = [];
    if (config.sku === 'Basic') {
      if (config.topics && config.topics.length > 0)
        errors.push('Basic SKU does not support topics. Use Standard or Premium.');
      if (config.queues && config.queues.length > 10)
        warnings.push('Basic SKU limited to 10 queues. Consider Standard SKU.');
    }
    const allNames = [
      ...(config.queues?.map((q) => q.name) || []),
      ...(config.topics?.map((t) => t.name) || []),
    ];
    const duplicates = allNames.filter((name, index) => allNames.indexOf(name) !== index);
    if (duplicates.length > 0) errors.push(`Duplicate queue/topic names: ${duplicates.join(', ')}`);
    return {
      valid: errors.length === 0,
      errors: errors.length > 0 ? errors : undefined,
      warnings: warnings.length > 0 ? warnings : undefined,
    };
  }
}
