// AlwaysAdmit and AlwaysDeny (plugin/pkg/admission/admit, deny): kube's deprecated test plugins.
import { forbidden } from '../apimachinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

export const alwaysAdmit: AdmissionPlugin = { name: 'AlwaysAdmit', admit: () => undefined, validate: () => undefined };

// admission.NewForbidden(a, errors.New("admission control is denying all modifications")).
function deny(a: AdmissionAttributes): never {
  throw forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, 'admission control is denying all modifications');
}

export const alwaysDeny: AdmissionPlugin = { name: 'AlwaysDeny', admit: deny, validate: deny };
