// Defaults of admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and ValidatingWebhookConfiguration
// (pkg/apis/admissionregistration/v1/defaults.go: SetDefaults_ValidatingWebhook, SetDefaults_MutatingWebhook,
// SetDefaults_Rule, SetDefaults_ServiceReference). v1 defaults neither sideEffects nor admissionReviewVersions:
// both are required.
import { isObject } from '../../apimachinery/objects.js';
import { defaultNil, items, type Json } from './json.js';

function defaultWebhook(hook: Json): void {
  defaultNil(hook, 'failurePolicy', 'Fail');
  defaultNil(hook, 'matchPolicy', 'Equivalent');
  defaultNil(hook, 'namespaceSelector', {});
  defaultNil(hook, 'objectSelector', {});
  defaultNil(hook, 'timeoutSeconds', 10);
  for (const rule of items(hook, 'rules')) defaultNil(rule, 'scope', '*');
  const service = hook.clientConfig?.service;
  if (isObject(service)) defaultNil(service, 'port', 443);
}

export function defaultValidatingWebhookConfiguration(config: Json): void {
  for (const hook of items(config, 'webhooks')) defaultWebhook(hook);
}

export function defaultMutatingWebhookConfiguration(config: Json): void {
  for (const hook of items(config, 'webhooks')) {
    defaultWebhook(hook);
    defaultNil(hook, 'reinvocationPolicy', 'Never');
  }
}
