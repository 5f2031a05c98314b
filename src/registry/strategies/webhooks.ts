// admissionregistration.k8s.io MutatingWebhookConfiguration and ValidatingWebhookConfiguration (kube
// pkg/registry/admissionregistration/{mutating,validating}webhookconfiguration/strategy.go): generation 1 on create
// and bumped whenever the webhooks change, no create on update, and no unconditional update (a PUT must carry
// metadata.resourceVersion).
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration } from '../defaults/webhooks.js';
import { webhookConfigurations } from '../printers/webhooks.js';
import { defineStrategy } from '../strategy.js';
import {
  validateMutatingWebhookConfiguration,
  validateMutatingWebhookConfigurationUpdate,
  validateValidatingWebhookConfiguration,
  validateValidatingWebhookConfigurationUpdate,
} from '../validation/admissionregistration-webhooks.js';

/** PrepareForUpdate: any change to the webhooks increments the generation. */
function bumpGenerationOnWebhookChange(obj: KubeObject, old: KubeObject): void {
  const generation = old.metadata?.generation ?? 0;
  if (!deepEqual(obj.webhooks, old.webhooks)) obj.metadata!.generation = generation + 1;
}

export const mutatingWebhookConfigurations = defineStrategy({
  resource: 'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  defaults: defaultMutatingWebhookConfiguration,
  printer: webhookConfigurations,
  allowUnconditionalUpdate: false,
  prepareForCreate: (obj) => {
    obj.metadata!.generation = 1;
  },
  prepareForUpdate: bumpGenerationOnWebhookChange,
  replacesSchemaChecks: true,
  validate: validateMutatingWebhookConfiguration,
  validateUpdate: validateMutatingWebhookConfigurationUpdate,
});

export const validatingWebhookConfigurations = defineStrategy({
  resource: 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  defaults: defaultValidatingWebhookConfiguration,
  printer: webhookConfigurations,
  allowUnconditionalUpdate: false,
  prepareForCreate: (obj) => {
    obj.metadata!.generation = 1;
  },
  prepareForUpdate: bumpGenerationOnWebhookChange,
  replacesSchemaChecks: true,
  validate: validateValidatingWebhookConfiguration,
  validateUpdate: validateValidatingWebhookConfigurationUpdate,
});
