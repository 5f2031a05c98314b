// Service validation (kube pkg/apis/core/validation: ValidateService and the Service REST's allocation checks):
// every case below was sent to the reference kube-apiserver v1.34.4; `message` is its answer, byte for byte
// (null: it created the Service).
import assert from 'node:assert/strict';
import { invalid, type FieldError } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/meta.js';
import { defaultService } from '../../src/registry/defaults/core.js';
import {
  normalizeClusterIPs,
  patchAllocatedValues,
  validateService,
  validateServiceAllocation,
  validateServiceClusterIPsRelatedFields,
  validateServiceUpdate,
} from '../../src/registry/validation/core/service.js';

interface Case {
  name: string;
  spec: Record<string, unknown>;
  annotations?: Record<string, string>;
  message: string | null;
}

// Answers of kube-apiserver v1.34.4 (POST /api/v1/namespaces/default/services).
const CASES: Case[] = [
  { name: 's1', spec: {}, message: 'Service "s1" is invalid: spec.ports: Required value' },
  {
    name: 's2',
    spec: { ports: [{ port: 70000 }] },
    message:
      'Service "s2" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
  },
  {
    name: 's3',
    spec: { ports: [{ port: 80, protocol: 'XTP' }] },
    message: 'Service "s3" is invalid: spec.ports[0].protocol: Unsupported value: "XTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 's4',
    spec: { ports: [{ port: 80 }, { port: 81 }] },
    message: 'Service "s4" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
  },
  {
    name: 's5',
    spec: {
      ports: [
        { port: 80, name: 'a' },
        { port: 81, name: 'a' },
      ],
    },
    message: 'Service "s5" is invalid: spec.ports[1].name: Duplicate value: "a"',
  },
  {
    name: 's6',
    spec: {
      ports: [
        { port: 80, name: 'Bad_Name' },
        { port: 81, name: 'b' },
      ],
    },
    message:
      "Service \"s6\" is invalid: spec.ports[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  {
    name: 's7',
    spec: { ports: [{ port: 80, targetPort: 'Bad--x' }] },
    message:
      'Service "s7" is invalid: [spec.ports[0].targetPort: Invalid value: "Bad--x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), spec.ports[0].targetPort: Invalid value: "Bad--x": must not contain consecutive hyphens]',
  },
  {
    name: 's8',
    spec: { ports: [{ port: 80, targetPort: 70000 }] },
    message: 'Service "s8" is invalid: spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 's9',
    spec: { ports: [{ port: 80, nodePort: 30001 }] },
    message: 'Service "s9" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
  },
  {
    name: 's10',
    spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] },
    message:
      'Service "s10" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    name: 's11',
    spec: { type: 'Weird', ports: [{ port: 80 }] },
    message:
      'Service "s11" is invalid: spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  {
    name: 's12',
    spec: { clusterIP: '1.2.3', ports: [{ port: 80 }] },
    message:
      'Service "s12" is invalid: spec.clusterIPs[0]: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    name: 's14',
    spec: { clusterIP: 'None', ports: [{ port: 80 }], type: 'LoadBalancer' },
    message: 'Service "s14" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services',
  },
  {
    name: 's15',
    spec: { ipFamilies: ['IPv5'], ports: [{ port: 80 }] },
    message: 'Service "s15" is invalid: spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
  },
  {
    name: 's16',
    spec: { ipFamilyPolicy: 'Both', ports: [{ port: 80 }] },
    message:
      'Service "s16" is invalid: spec.ipFamilyPolicy: Unsupported value: "Both": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
  },
  {
    name: 's17',
    spec: { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] },
    message:
      'Service "s17" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  },
  {
    name: 's18',
    spec: { type: 'NodePort', externalTrafficPolicy: 'Foo', ports: [{ port: 80 }] },
    message: 'Service "s18" is invalid: spec.externalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"',
  },
  {
    name: 's19',
    spec: { sessionAffinity: 'Sticky', ports: [{ port: 80 }] },
    message: 'Service "s19" is invalid: spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
  },
  {
    name: 's20',
    spec: { selector: { 'bad key!': 'v', k: 'bad value!' }, ports: [{ port: 80 }] },
    message:
      "Service \"s20\" is invalid: [spec.selector: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), spec.selector: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]",
  },
  {
    name: 's21',
    spec: { type: 'ExternalName', ports: [{ port: 80 }] },
    message: 'Service "s21" is invalid: spec.externalName: Required value',
  },
  {
    name: 's22',
    spec: { type: 'ExternalName', externalName: 'Bad_Name.', clusterIP: '10.0.0.1' },
    message:
      "Service \"s22\" is invalid: [spec.clusterIPs: Forbidden: may not be set for ExternalName services, spec.externalName: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]",
  },
  {
    name: 's23',
    spec: { ports: [{ port: 80 }, { port: 80 }] },
    message:
      'Service "s23" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value, spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}]',
  },
  {
    name: 's24',
    spec: { externalIPs: ['1.2.3.4.5', '0.0.0.0', '127.0.0.1'], ports: [{ port: 80 }] },
    message:
      'Service "s24" is invalid: [spec.externalIPs[0]: Invalid value: "1.2.3.4.5": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), spec.externalIPs[1]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0), spec.externalIPs[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)]',
  },
  {
    name: 's25',
    spec: { loadBalancerSourceRanges: ['10.0.0.0/8'], ports: [{ port: 80 }] },
    message: 'Service "s25" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is \'LoadBalancer\'',
  },
  {
    name: 's26',
    spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.1/8', 'x'], ports: [{ port: 80 }] },
    message:
      'Service "s26" is invalid: spec.LoadBalancerSourceRanges[1]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  },
  {
    name: 's27',
    spec: { loadBalancerClass: 'x', ports: [{ port: 80 }] },
    message: 'Service "s27" is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\'',
  },
  {
    name: 's28',
    spec: { type: 'LoadBalancer', loadBalancerClass: 'bad class!', ports: [{ port: 80 }] },
    message:
      "Service \"s28\" is invalid: spec.loadBalancerClass: Invalid value: \"bad class!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  },
  {
    name: 's29',
    spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] },
    message:
      'Service "s29" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  },
  {
    name: 's30',
    spec: { internalTrafficPolicy: 'Foo', trafficDistribution: 'Far', ports: [{ port: 80 }] },
    message:
      'Service "s30" is invalid: [spec.internalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local", spec.trafficDistribution: Unsupported value: "Far": supported values: "PreferClose", "PreferSameZone", "PreferSameNode"]',
  },
  {
    name: 's31',
    spec: { healthCheckNodePort: 31000, ports: [{ port: 80 }] },
    message:
      "Service \"s31\" is invalid: spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
  },
  {
    name: 's32',
    spec: { clusterIPs: ['10.0.0.1', '10.0.0.2'], clusterIP: '10.0.0.1', ports: [{ port: 80 }] },
    message:
      'Service "s32" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1","10.0.0.2"]: may specify no more than one IP for each IP family',
  },
  {
    name: 's33',
    spec: { ports: [{ port: 80, appProtocol: 'bad proto!' }] },
    message:
      "Service \"s33\" is invalid: spec.ports[0].appProtocol: Invalid value: \"bad proto!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  },
  {
    name: 's34',
    spec: { ports: [{ port: 0, protocol: '', name: '' }] },
    message:
      'Service "s34" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]',
  },
  {
    name: 's35',
    spec: { allocateLoadBalancerNodePorts: true, ports: [{ port: 80 }] },
    message: 'Service "s35" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is \'LoadBalancer\'',
  },
  {
    name: 's37',
    spec: { type: 'ExternalName', externalName: 'example.com', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
    message:
      'Service "s37" is invalid: [spec.ipFamilies: Forbidden: may not be set for ExternalName services, spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services]',
  },
  {
    name: 't1',
    spec: { externalIPs: ['010.1.2.3', '::ffff:1.2.3.4', 'FE80::1', '224.0.0.1', '1.2.3.4%x'], ports: [{ port: 80 }] },
    message:
      'Service "t1" is invalid: [spec.externalIPs[2]: Invalid value: "FE80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10), spec.externalIPs[3]: Invalid value: "224.0.0.1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10), spec.externalIPs[4]: Invalid value: "1.2.3.4%x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)]',
  },
  {
    name: 't2',
    spec: {
      type: 'LoadBalancer',
      loadBalancerSourceRanges: ['010.0.0.0/8', ' 10.0.0.0/08 ', '::ffff:1.2.3.4/120', '1.2.3.4/33'],
      ports: [{ port: 80 }],
    },
    message:
      'Service "t2" is invalid: spec.LoadBalancerSourceRanges[3]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  },
  {
    name: 't4',
    spec: { type: 'NodePort', ports: [{ port: 70000, nodePort: 80 }], sessionAffinity: 'X' },
    message:
      'Service "t4" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
  },
  {
    name: 't5',
    spec: {
      type: 'NodePort',
      ports: [
        { port: 80, nodePort: 30080, name: 'a' },
        { port: 81, nodePort: 30080, name: 'b' },
      ],
    },
    message: 'Service "t5" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated',
  },
  {
    name: 't6',
    spec: { clusterIP: 'None', clusterIPs: ['None', '10.0.0.1'], ports: [{ port: 80 }] },
    message: 'Service "t6" is invalid: spec.clusterIPs: Invalid value: ["None","10.0.0.1"]: \'None\' must be the first and only value',
  },
  {
    name: 't7',
    spec: { clusterIPs: ['10.0.0.1'], ports: [{ port: 80 }] },
    message: 'Service "t7" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.1"]: must be empty when `clusterIP` is not specified',
  },
  {
    name: 't8',
    spec: { clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.8'], ports: [{ port: 80 }] },
    message: 'Service "t8" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.8"]: first value must match `clusterIP`',
  },
  {
    name: 't9',
    spec: { ipFamilies: ['IPv4', 'IPv4'], ports: [{ port: 80 }] },
    message: 'Service "t9" is invalid: spec.ipFamilies[1]: Duplicate value: "IPv4"',
  },
  {
    name: 't10',
    spec: { clusterIP: '10.96.0.77', ipFamilies: ['IPv6'], ports: [{ port: 80 }] },
    message:
      'Service "t10" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.77": expected an IPv6 value as indicated by `ipFamilies[0]`',
  },
  {
    name: 't12',
    spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } }, ports: [{ port: 80 }] },
    message:
      'Service "t12" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
  },
  {
    name: 't13',
    spec: { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } }, ports: [{ port: 80 }] },
    message: null,
  },
  {
    name: 't14',
    spec: {
      ports: [
        { port: 80, name: 'a', protocol: 'TCP' },
        { port: 80, name: 'b', protocol: 'UDP' },
      ],
    },
    message: null,
  },
  {
    name: 't15',
    spec: { ports: [{ port: 80, targetPort: '1234567890123456' }] },
    message:
      'Service "t15" is invalid: [spec.ports[0].targetPort: Invalid value: "1234567890123456": must be no more than 15 characters, spec.ports[0].targetPort: Invalid value: "1234567890123456": must contain at least one letter (a-z)]',
  },
  {
    name: 't16',
    spec: { ports: [{ port: 80, targetPort: '123' }] },
    message: 'Service "t16" is invalid: spec.ports[0].targetPort: Invalid value: "123": must contain at least one letter (a-z)',
  },
  { name: 't17', spec: { type: 'ExternalName', externalName: 'a.b.' }, message: null },
];

function createErrors(svc: KubeObject): FieldError[] {
  defaultService(svc);
  normalizeClusterIPs(svc);
  const allocation = validateServiceAllocation(svc);
  return allocation.length > 0 ? allocation : validateService(svc);
}

function message(name: string, errs: FieldError[]): string | null {
  return errs.length === 0 ? null : invalid('', 'Service', name, errs).message;
}

describe('Service validation (ValidateService, as kube-apiserver v1.34 answers)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.message === null ? 'the Service is accepted' : "the client gets kube's 422 message"}`, () => {
      const svc: KubeObject = {
        metadata: { name: c.name, namespace: 'default', annotations: c.annotations },
        spec: structuredClone(c.spec),
      };
      assert.equal(message(c.name, createErrors(svc)), c.message);
    });
  }
});

interface UpdateCase {
  title: string;
  old: Record<string, unknown>;
  spec: Record<string, unknown>;
  message: string | null;
}

// PUTs answered by kube-apiserver v1.34.4 after creating the `old` spec (u1: clusterIP 10.0.0.50; u2: a LoadBalancer).
const UPDATE_CASES: UpdateCase[] = [
  {
    title: 'a changed clusterIP is refused',
    old: { clusterIP: '10.0.0.50', clusterIPs: ['10.0.0.50'], ports: [{ port: 80 }] },
    spec: { clusterIP: '10.0.0.51', ports: [{ port: 80 }] },
    message: 'Service "u1" is invalid: spec.clusterIPs[0]: Invalid value: ["10.0.0.51"]: may not change once set',
  },
  {
    title: 'a clusterIP left out keeps the old one',
    old: { clusterIP: '10.0.0.50', clusterIPs: ['10.0.0.50'], ports: [{ port: 80 }] },
    spec: { ports: [{ port: 80 }] },
    message: null,
  },
  {
    title: 'an IPv6 family for an IPv4 clusterIP is refused',
    old: { clusterIP: '10.0.0.50', clusterIPs: ['10.0.0.50'], ports: [{ port: 80 }] },
    spec: { ports: [{ port: 80 }], ipFamilies: ['IPv6'] },
    message:
      'Service "u1" is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.50": expected an IPv6 value as indicated by `ipFamilies[0]`',
  },
  {
    title: 'turning headless is refused',
    old: { clusterIP: '10.0.0.50', clusterIPs: ['10.0.0.50'], ports: [{ port: 80 }] },
    spec: { clusterIP: 'None', ports: [{ port: 80 }] },
    message: 'Service "u1" is invalid: spec.clusterIPs[0]: Invalid value: ["None"]: may not change once set',
  },
  {
    title: 'a changed loadBalancerClass is refused',
    old: { type: 'LoadBalancer', loadBalancerClass: 'a/b', ports: [{ port: 80 }] },
    spec: { type: 'LoadBalancer', loadBalancerClass: 'a/c', ports: [{ port: 80 }] },
    message: 'Service "u2" is invalid: spec.loadBalancerClass: Invalid value: "a/c": may not change once set',
  },
  {
    title: 'the new spec is validated as on create',
    old: { type: 'LoadBalancer', loadBalancerClass: 'a/b', ports: [{ port: 80 }] },
    spec: { type: 'LoadBalancer', loadBalancerClass: 'a/b', ports: [{ port: 70000 }] },
    message:
      'Service "u2" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, ' +
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
  },
];

describe('Service update validation (ValidateServiceUpdate, as kube-apiserver v1.34 answers)', () => {
  for (const c of UPDATE_CASES) {
    it(`${c.title}`, () => {
      const name = c.message?.match(/"(u\d)"/)?.[1] ?? 'u1';
      // ValidateServiceUpdate checks ObjectMeta too: a stored object's namespace and resourceVersion.
      const metadata = { name, namespace: 'default', resourceVersion: '1' };
      const old: KubeObject = { metadata: { ...metadata }, spec: structuredClone(c.old) };
      defaultService(old);
      const svc: KubeObject = { metadata: { ...metadata }, spec: structuredClone(c.spec) };
      defaultService(svc);
      patchAllocatedValues(svc, old);
      normalizeClusterIPs(svc, old);
      const allocation = validateServiceClusterIPsRelatedFields(svc);
      assert.equal(message(name, allocation.length > 0 ? allocation : validateServiceUpdate(svc, old)), c.message);
    });
  }
});
