// Rows of MutatingWebhookConfiguration and ValidatingWebhookConfiguration (kube pkg/printers/internalversion:
// printMutatingWebhook, printValidatingWebhook): the name, how many webhooks, the age.
import { nameOf } from './format.js';
import { age } from './humanDuration.js';
import type { Printer } from './types.js';

export const webhookConfigurations: Printer = {
  columns: ['Name', 'Webhooks', 'Age'],
  cells: (obj, nowMs) => [nameOf(obj), Array.isArray(obj.webhooks) ? obj.webhooks.length : 0, age(obj, nowMs)],
};
