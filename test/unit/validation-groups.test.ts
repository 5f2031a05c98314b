// Validation of the other built-in groups (kube pkg/apis/<group>/validation: rbac ValidateRole/ClusterRole/
// (Cluster)RoleBinding, networking ValidateIngressClass, ValidateNetworkPolicy and ValidateIngressCreate, policy ValidatePodDisruptionBudget,
// storage ValidateStorageClass, coordination ValidateLease, discovery ValidateEndpointSlice, scheduling
// ValidatePriorityClass, autoscaling ValidateHorizontalPodAutoscaler, events.k8s.io ValidateEventCreate, whose
// errors name the core Event): each body below was POSTed to the reference kube-apiserver v1.34.4, and `message` is its
// answer byte for byte (null: it stored the object). Run through each kind's strategy literal: defaults, then
// validation.
import assert from 'node:assert/strict';
import { invalid } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/meta.js';
import * as groups from '../../src/registry/strategies/groups.js';
import type { StrategyDefinition } from '../../src/registry/strategy.js';

interface Case {
  strategy: keyof typeof groups;
  group: string;
  version: string;
  kind: string;
  body: KubeObject;
  message: string | null;
}

// Answers of kube-apiserver v1.34.4 (POST /apis/<group>/v1[/namespaces/default]/<resource>).
const CASES: Case[] = [
  {
    strategy: 'priorityClasses',
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    body: { metadata: { name: 'pc1' }, value: 2000000000 },
    message:
      'PriorityClass.scheduling.k8s.io "pc1" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  },
  {
    strategy: 'priorityClasses',
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    body: { metadata: { name: 'system-foo' }, value: 10 },
    message:
      'PriorityClass.scheduling.k8s.io "system-foo" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-foo is not a known system priority class',
  },
  {
    strategy: 'priorityClasses',
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    body: { metadata: { name: 'pc3' }, value: 1, preemptionPolicy: 'Sometimes' },
    message:
      'PriorityClass.scheduling.k8s.io "pc3" is invalid: preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
  },
  {
    strategy: 'leases',
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    body: { metadata: { name: 'l1', namespace: 'default' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1, holderIdentity: '' } },
    message:
      'Lease.coordination.k8s.io "l1" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]',
  },
  {
    strategy: 'leases',
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    body: { metadata: { name: 'l2', namespace: 'default' }, spec: { strategy: 'Bogus', preferredHolder: 'x' } },
    message: null,
  },
  {
    strategy: 'storageClasses',
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    body: {
      metadata: { name: 'sc1' },
      provisioner: 'Bad_Prov!',
      parameters: { '': 'x' },
      reclaimPolicy: 'Keep',
      volumeBindingMode: 'Later',
    },
    message:
      'StorageClass.storage.k8s.io "sc1" is invalid: [provisioner: Invalid value: "bad_prov!": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\'), parameters: Invalid value: "": field can not be empty., reclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain", volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"]',
  },
  {
    strategy: 'storageClasses',
    group: 'storage.k8s.io',
    version: 'v1',
    kind: 'StorageClass',
    body: { metadata: { name: 'sc2' } },
    message: 'StorageClass.storage.k8s.io "sc2" is invalid: provisioner: Required value',
  },
  {
    strategy: 'roles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    body: {
      metadata: { name: 'r1', namespace: 'default' },
      rules: [{}, { verbs: ['get'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'] }],
    },
    message:
      'Role.rbac.authorization.k8s.io "r1" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource, rules[1].apiGroups: Required value: resource rules must supply at least one api group, rules[1].resources: Required value: resource rules must supply at least one resource, rules[2].nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs, rules[2].nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs]',
  },
  {
    strategy: 'clusterRoles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    body: {
      metadata: { name: 'cr1' },
      rules: [
        { verbs: ['get'], nonResourceURLs: ['/x'], apiGroups: [''] },
        { verbs: ['get'], nonResourceURLs: ['x'] },
      ],
    },
    message:
      'ClusterRole.rbac.authorization.k8s.io "cr1" is invalid: rules[0].nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs',
  },
  {
    strategy: 'roleBindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    body: {
      metadata: { name: 'rb1', namespace: 'default' },
      roleRef: {},
      subjects: [
        { kind: 'Weird', name: '' },
        { kind: 'ServiceAccount', name: 'Bad_SA', apiGroup: 'x' },
        { kind: 'User', name: 'u', apiGroup: 'wrong' },
      ],
    },
    message:
      'RoleBinding.rbac.authorization.k8s.io "rb1" is invalid: [roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole", roleRef.name: Required value, subjects[0].name: Required value, subjects[0].kind: Unsupported value: "Weird": supported values: "ServiceAccount", "User", "Group", subjects[1].name: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\'), subjects[1].apiGroup: Unsupported value: "x": supported values: "", subjects[2].apiGroup: Unsupported value: "wrong": supported values: "rbac.authorization.k8s.io"]',
  },
  {
    strategy: 'clusterRoleBindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    body: {
      metadata: { name: 'crb1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    },
    message:
      'ClusterRoleBinding.rbac.authorization.k8s.io "crb1" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].namespace: Required value]',
  },
  {
    strategy: 'podDisruptionBudgets',
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    body: {
      metadata: { name: 'pdb1', namespace: 'default' },
      spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Bad' }] } },
    },
    message:
      'PodDisruptionBudget.policy "pdb1" is invalid: [spec: Invalid value: {"MinAvailable":1,"Selector":{"matchExpressions":[{"key":"a","operator":"Bad"}]},"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set, spec.selector.matchExpressions[0].operator: Invalid value: "Bad": not a valid selector operator]',
  },
  {
    strategy: 'podDisruptionBudgets',
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    body: { metadata: { name: 'pdb2', namespace: 'default' }, spec: { minAvailable: '150%', unhealthyPodEvictionPolicy: 'Never' } },
    message:
      'PodDisruptionBudget.policy "pdb2" is invalid: [spec.minAvailable: Invalid value: "150%": must not be greater than 100%, spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"]',
  },
  {
    strategy: 'podDisruptionBudgets',
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    body: { metadata: { name: 'pdb3', namespace: 'default' }, spec: { maxUnavailable: -1 } },
    message: 'PodDisruptionBudget.policy "pdb3" is invalid: spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
  },
  {
    strategy: 'ingressClasses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    body: { metadata: { name: 'ic1' }, spec: { controller: '', parameters: { kind: '', name: '', scope: 'Weird' } } },
    message:
      'IngressClass.networking.k8s.io "ic1" is invalid: [spec.controller: Required value, spec.parameters.kind: Required value, spec.parameters.name: Required value, spec.parameters.scope: Unsupported value: "Weird": supported values: "Cluster", "Namespace"]',
  },
  {
    strategy: 'ingressClasses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    body: { metadata: { name: 'ic2' }, spec: { controller: 'Bad Controller', parameters: { kind: 'K', name: 'n', scope: 'Namespace' } } },
    message:
      'IngressClass.networking.k8s.io "ic2" is invalid: [spec.controller: Invalid value: "Bad Controller": must be a domain-prefixed path (such as "acme.io/foo"), spec.parameters.namespace: Required value: `parameters.scope` is set to \'Namespace\']',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: { metadata: { name: 'ing1', namespace: 'default' }, spec: {} },
    message: 'Ingress.networking.k8s.io "ing1" is invalid: spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: {
      metadata: { name: 'ing2', namespace: 'default' },
      spec: {
        rules: [
          {
            host: '*.a.*.com',
            http: {
              paths: [
                { path: 'rel', pathType: 'Exact', backend: { service: { name: 's', port: {} } } },
                { path: '/x', pathType: 'Bogus', backend: {} },
                {
                  path: '/y',
                  backend: { service: { name: 'Bad_Svc', port: { number: 70000, name: 'p' } }, resource: { kind: 'K', name: 'n' } },
                },
              ],
            },
          },
        ],
        tls: [{ hosts: ['Bad_Host'] }],
      },
    },
    message:
      'Ingress.networking.k8s.io "ing2" is invalid: [spec.rules[0].host: Invalid value: "*.a.*.com": a wildcard DNS-1123 subdomain must start with \'*.\', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, \'-\' or \'.\' and end with an alphanumeric character (e.g. \'*.example.com\', regex used for validation is \'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\'), spec.rules[0].http.paths[0].path: Invalid value: "rel": must be an absolute path, spec.rules[0].http.paths[0].backend: Required value: port name or number is required, spec.rules[0].http.paths[1].pathType: Unsupported value: "Bogus": supported values: "Exact", "ImplementationSpecific", "Prefix", spec.rules[0].http.paths[1].backend: Invalid value: "": resource or service backend is required, spec.rules[0].http.paths[2].pathType: Required value: pathType must be specified, spec.tls[0].hosts[0]: Invalid value: "Bad_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')]',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: {
      metadata: { name: 'ing3', namespace: 'default' },
      spec: {
        ingressClassName: 'Bad_Class',
        defaultBackend: { service: { name: 's', port: { number: 80 } } },
        rules: [{ host: '1.2.3.4' }],
      },
    },
    message:
      "Ingress.networking.k8s.io \"ing3\" is invalid: [spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address, spec.ingressClassName: Invalid value: \"Bad_Class\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]",
  },
  {
    strategy: 'endpointSlices',
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    body: { metadata: { name: 'es1', namespace: 'default' }, addressType: 'IPv7', endpoints: [] },
    message:
      'EndpointSlice.discovery.k8s.io "es1" is invalid: addressType: Unsupported value: "IPv7": supported values: "FQDN", "IPv4", "IPv6"',
  },
  {
    strategy: 'endpointSlices',
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    body: {
      metadata: { name: 'es2', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [
        { addresses: [] },
        { addresses: ['1.2.3', 'fd00::1', '10.0.0.1', '10.0.0.2'], hostname: 'Bad_Host', nodeName: 'Bad_Node', zone: 'bad zone!' },
      ],
      ports: [{ port: 70000, protocol: 'XTP', name: 'Bad_Name' }, { name: 'Bad_Name' }],
    },
    message:
      "EndpointSlice.discovery.k8s.io \"es2\" is invalid: [ports[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), ports[0].protocol: Unsupported value: \"XTP\": supported values: \"SCTP\", \"TCP\", \"UDP\", ports[1].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), ports[1].name: Duplicate value: \"Bad_Name\", endpoints[0].addresses: Required value: must contain at least 1 address, endpoints[1].addresses[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), endpoints[1].addresses: Invalid value: \"fd00::1\": must be an IPv4 address, endpoints[1].nodeName: Invalid value: \"Bad_Node\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), endpoints[1].hostname: Invalid value: \"Bad_Host\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]",
  },
  {
    strategy: 'endpointSlices',
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    body: { metadata: { name: 'es3', namespace: 'default' }, addressType: 'FQDN', endpoints: [{ addresses: ['Bad_Host.example.com'] }] },
    message:
      "EndpointSlice.discovery.k8s.io \"es3\" is invalid: endpoints[0].addresses[0]: Invalid value: \"Bad_Host.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: { metadata: { name: 'h1', namespace: 'default' }, spec: { scaleTargetRef: {}, minReplicas: 0, maxReplicas: 0 } },
    message:
      'HorizontalPodAutoscaler.autoscaling "h1" is invalid: [spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, spec.maxReplicas: Invalid value: 0: must be greater than 0, spec.scaleTargetRef.kind: Required value, spec.scaleTargetRef.name: Required value, spec.scaleTargetRef.apiVersion: Invalid value: "": apiVersion must specify API group, spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas]',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'h2', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        minReplicas: 5,
        maxReplicas: 3,
        metrics: [
          { type: 'Resource' },
          { type: 'Bogus' },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } },
          { type: 'Pods', pods: { metric: { name: '' }, target: { type: 'Value' } } },
        ],
      },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "h2" is invalid: [spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`, spec.metrics[0].resource: Required value: must populate information for the given metric source, spec.metrics[1].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource", spec.metrics[2].resource.target.averageUtilization: Invalid value: 0: must be greater than 0, spec.metrics[3].pods.metric.name: Required value: must specify a metric name, spec.metrics[3].pods.target.averageValue: Required value: must specify a positive target averageValue]',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v1',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'h3', namespace: 'default' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'Bad/Name' }, maxReplicas: 1, targetCPUUtilizationPercentage: 0 },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "h3" is invalid: [spec.scaleTargetRef.name: Invalid value: "Bad/Name": may not contain \'/\', spec.scaleTargetRef.apiVersion: Invalid value: "": apiVersion must specify API group, spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0]',
  },
  {
    strategy: 'eventsV1',
    group: '',
    version: 'v1',
    kind: 'Event',
    body: {
      metadata: { name: 'e1', namespace: 'default' },
      regarding: {},
      reason: 'r',
      type: 'Bogus',
      action: '',
      reportingController: '',
      reportingInstance: '',
    },
    message: 'Event "e1" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: Bogus]',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: {
      metadata: { name: 'i1', namespace: 'default' },
      spec: {
        rules: [
          {
            http: {
              paths: [
                { path: '/a//b/.', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } },
                { path: 'x', pathType: 'ImplementationSpecific', backend: { service: { name: 's', port: { name: 'http', number: 80 } } } },
              ],
            },
          },
        ],
      },
    },
    message:
      'Ingress.networking.k8s.io "i1" is invalid: [spec.rules[0].http.paths[0].path: Invalid value: "/a//b/.": must not contain \'//\', spec.rules[0].http.paths[0].path: Invalid value: "/a//b/.": cannot end with \'/.\', spec.rules[0].http.paths[1].path: Invalid value: "x": must be an absolute path, spec.rules[0].http.paths[1].backend: Invalid value: "": cannot set both port name & port number]',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: {
      metadata: { name: 'i2', namespace: 'default' },
      spec: {
        defaultBackend: { service: { name: 's', port: { number: 80 } }, resource: { kind: 'K', name: 'n' } },
        tls: [{ hosts: ['*.ok.com', '*bad'], secretName: 'Bad_Secret' }],
      },
    },
    message:
      "Ingress.networking.k8s.io \"i2\" is invalid: [spec.defaultBackend: Invalid value: \"\": cannot set both resource and service backends, spec.tls[0].hosts[1]: Invalid value: \"*bad\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.tls[0].secretName: Invalid value: \"Bad_Secret\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]",
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: {
      metadata: { name: 'i3', annotations: { 'kubernetes.io/ingress.class': 'b' }, namespace: 'default' },
      spec: { ingressClassName: 'a', defaultBackend: { resource: { kind: '', name: 'a/b', apiGroup: 'Bad_Group' } } },
    },
    message:
      "Ingress.networking.k8s.io \"i3\" is invalid: [spec.defaultBackend.resource.apiGroup: Invalid value: \"Bad_Group\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.defaultBackend.resource.kind: Required value, spec.defaultBackend.resource.name: Invalid value: \"a/b\": may not contain '/', annotations.kubernetes.io/ingress.class: Invalid value: \"b\": must match `ingressClassName` when both are specified]",
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: { metadata: { name: 'i4', namespace: 'default' }, spec: { rules: [{ host: 'ok.com', http: { paths: [] } }] } },
    message: 'Ingress.networking.k8s.io "i4" is invalid: spec.rules[0].http.paths: Required value',
  },
  {
    strategy: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    body: { metadata: { name: 'i5', namespace: 'default' }, spec: { defaultBackend: { service: { name: 's', port: { name: '--bad' } } } } },
    message:
      'Ingress.networking.k8s.io "i5" is invalid: [spec.defaultBackend.service.port.name: Invalid value: "--bad": must not contain consecutive hyphens, spec.defaultBackend.service.port.name: Invalid value: "--bad": must not begin or end with a hyphen]',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k1', namespace: 'default' },
      spec: { scaleTargetRef: { kind: 'ReplicationController', name: 'r', apiVersion: 'v1' }, maxReplicas: 1 },
    },
    message: null,
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k2', namespace: 'default' },
      spec: { scaleTargetRef: { kind: 'X', name: 'r', apiVersion: 'a/b/c' }, maxReplicas: 1 },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "k2" is invalid: spec.scaleTargetRef.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k3', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        maxReplicas: 2,
        metrics: [
          { type: 'Object', object: { describedObject: {}, metric: { name: 'm' }, target: { type: 'Bogus' } } },
          { type: 'External', external: { metric: { name: 'a/b' }, target: { type: 'Value', value: '1', averageValue: '-1' } } },
        ],
      },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "k3" is invalid: [spec.metrics[0].object.describedObject.kind: Required value, spec.metrics[0].object.describedObject.name: Required value, spec.metrics[0].object.target.type: Invalid value: "Bogus": must be either Utilization, Value, or AverageValue, spec.metrics[0].object.target.averageValue: Required value: must set either a target value or averageValue, spec.metrics[1].external.metric.name: Invalid value: "a/b": may not contain \'/\', spec.metrics[1].external.target.averageValue: Invalid value: "-1": must be positive, spec.metrics[1].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target]',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k4', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        maxReplicas: 2,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '1' } },
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "k4" is invalid: spec.metrics[0].resource: Forbidden: must populate the given metric source only',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k5', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        maxReplicas: 2,
        metrics: [
          {
            type: 'ContainerResource',
            containerResource: { name: '', container: '', target: { type: 'Utilization', averageUtilization: 5, averageValue: '1' } },
          },
        ],
      },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "k5" is invalid: [spec.metrics[0].containerResource.name: Required value: must specify a resource name, spec.metrics[0].containerResource.container: Required value: must specify a container, spec.metrics[0].containerResource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization]',
  },
  {
    strategy: 'horizontalPodAutoscalers',
    group: 'autoscaling',
    version: 'v1',
    kind: 'HorizontalPodAutoscaler',
    body: {
      metadata: { name: 'k6', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' },
        minReplicas: 3,
        maxReplicas: 2,
        targetCPUUtilizationPercentage: -5,
      },
    },
    message:
      'HorizontalPodAutoscaler.autoscaling "k6" is invalid: [spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`, spec.metrics[0].resource.target.averageUtilization: Invalid value: -5: must be greater than 0]',
  },
  {
    strategy: 'eventsV1',
    group: '',
    version: 'v1',
    kind: 'Event',
    body: {
      metadata: { name: 'e1', namespace: 'default' },
      regarding: {},
      reason: 'r',
      type: 'Bogus',
      action: '',
      reportingController: '',
      reportingInstance: '',
    },
    message: 'Event "e1" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: Bogus]',
  },
  {
    strategy: 'eventsV1',
    group: '',
    version: 'v1',
    kind: 'Event',
    body: {
      metadata: { name: 'e2', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      regarding: { namespace: 'other' },
      reason: '',
      action: '',
      reportingController: 'bad ctl!',
      reportingInstance: '',
      type: 'Normal',
      note: 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn',
    },
    message:
      "Event \"e2\" is invalid: [reportingController: Invalid value: \"bad ctl!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), reportingInstance: Required value, action: Required value, reason: Required value, message: Invalid value: \"\": can have at most 1024 characters]",
  },
  {
    strategy: 'eventsV1',
    group: '',
    version: 'v1',
    kind: 'Event',
    body: {
      metadata: { name: 'e3', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      regarding: {},
      reason: 'r',
      action: 'a',
      reportingController: 'c',
      reportingInstance: 'i',
      type: 'Warning',
      series: { count: 1 },
      deprecatedCount: 3,
      deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
      deprecatedSource: { component: 'x' },
    },
    message:
      'Event "e3" is invalid: [series.count: Invalid value: "": should be at least 2, series.lastObservedTime: Required value, firstTimestamp: Invalid value: "": needs to be unset, count: Invalid value: "": needs to be unset, source: Invalid value: "": needs to be unset]',
  },
  {
    strategy: 'eventsV1',
    group: '',
    version: 'v1',
    kind: 'Event',
    body: {
      metadata: { name: 'e4', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      regarding: {},
      reason: 'r',
      action: 'a',
      reportingController: 'c',
      reportingInstance: 'i',
      type: 'Normal',
    },
    message: null,
  },
];

describe('validation of the other built-in groups (as kube-apiserver v1.34 answers)', () => {
  for (const c of CASES) {
    const name = c.body.metadata!.name!;
    it(`${c.kind} ${name}: ${c.message === null ? 'is accepted' : "the client gets kube's 422 message"}`, () => {
      const def: StrategyDefinition = groups[c.strategy];
      const obj: KubeObject = structuredClone(c.body);
      obj.apiVersion = `${c.group}/${c.version}`;
      const defaulter = typeof def.defaults === 'function' ? def.defaults : def.defaults?.[c.version];
      defaulter?.(obj);
      const errs = def.validate?.(obj, undefined as never) ?? [];
      assert.equal(errs.length === 0 ? null : invalid(c.group, c.kind, name, errs).message, c.message);
    });
  }
});
