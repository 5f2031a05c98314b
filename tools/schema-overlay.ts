// Facts about the Kubernetes v1.34 wire format that @kubernetes/client-node's models lose.
// tools/generate.ts reads this file and nothing else for them; the generated schemas are the only consumers.
// Source references are to k8s.io/api and k8s.io/apimachinery at tag v0.34.9 and to
// k8s.io/kubernetes pkg/apis/core/validation/validation.go (release-1.34).

/** A model field, by client-node class name and JSON name. */
export interface ModelField {
  model: string;
  field: string;
}

/**
 * Zod source for the wire scalars the models flatten to `string`, `number`, `Date` or `any`.
 * Each becomes one named schema at the top of src/generated/definitions.ts; `goType` is what Go's
 * json decoder names in its error messages.
 */
export interface WireScalar {
  name: string;
  goType: string;
  zod: string;
  /** Why, with the source. */
  source: string;
}

// resource.Quantity: UnmarshalJSON strips optional quotes and parses the bytes, so a JSON number is as good as a
// string; the grammar is ParseQuantity's (signed decimal, then a binary SI, decimal SI or e-notation suffix).
const QUANTITY_PATTERN = String.raw`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$`;
// metav1.Time: time.Parse(time.RFC3339, s); fractional seconds are accepted on parse even though the layout has none.
const RFC3339_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2})$`;
// metav1.MicroTime: time.Parse(RFC3339Micro = "2006-01-02T15:04:05.000000Z07:00", s) needs exactly six digits.
const RFC3339_MICRO_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}:\d{2}[.,]\d{6}(?:Z|[+-]\d{2}:\d{2})$`;
// []byte fields: encoding/json decodes a JSON string with base64.StdEncoding (padded, standard alphabet; \r and \n skipped).
const BASE64_PATTERN = String.raw`^(?:[A-Za-z0-9+/\r\n]{4})*(?:[A-Za-z0-9+/\r\n]{2}==|[A-Za-z0-9+/\r\n]{3}=)?[\r\n]*$`;

export const WIRE_SCALARS: readonly WireScalar[] = [
  {
    name: 'Quantity',
    goType: 'resource.Quantity',
    zod: `z.union([z.string().regex(/${QUANTITY_PATTERN}/), z.number()])`,
    source: 'k8s.io/apimachinery pkg/api/resource/quantity.go: Quantity.UnmarshalJSON, ParseQuantity',
  },
  {
    name: 'IntOrString',
    goType: 'intstr.IntOrString',
    zod: 'z.union([z.int32(), z.string()])',
    source: 'k8s.io/apimachinery pkg/util/intstr/intstr.go: IntOrString.UnmarshalJSON (quoted → string, else int32)',
  },
  {
    name: 'Time',
    goType: 'v1.Time',
    zod: `z.string().regex(/${RFC3339_PATTERN}/)`,
    source: 'k8s.io/apimachinery pkg/apis/meta/v1/time.go: Time.UnmarshalJSON uses time.Parse(time.RFC3339, …)',
  },
  {
    name: 'MicroTime',
    goType: 'v1.MicroTime',
    zod: `z.string().regex(/${RFC3339_MICRO_PATTERN}/)`,
    source: 'k8s.io/apimachinery pkg/apis/meta/v1/micro_time.go: MicroTime.UnmarshalJSON uses RFC3339Micro',
  },
  {
    name: 'Bytes',
    goType: '[]uint8',
    zod: `z.string().regex(/${BASE64_PATTERN}/)`,
    source: 'encoding/json: a []byte field is a base64.StdEncoding string (OpenAPI format "byte")',
  },
  {
    name: 'AnyJSON',
    goType: 'interface {}',
    zod: 'z.unknown()',
    source: 'runtime.RawExtension and apiextensions JSON fields keep any JSON value (client-node types them `any`)',
  },
];

/** Fields typed `string` / map of `string` / array of `string` in the models that are resource.Quantity on the wire. */
export const QUANTITY_FIELDS: readonly (ModelField & { goType: string; source: string })[] = [
  { model: 'V1ContainerStatus', field: 'allocatedResources', goType: 'v1.ResourceList', source: 'core/v1/types.go:3360' },
  { model: 'V1EmptyDirVolumeSource', field: 'sizeLimit', goType: 'resource.Quantity', source: 'core/v1/types.go:961' },
  { model: 'V1LimitRangeItem', field: 'default', goType: 'v1.ResourceList', source: 'core/v1/types.go:7562' },
  { model: 'V1LimitRangeItem', field: 'defaultRequest', goType: 'v1.ResourceList', source: 'core/v1/types.go:7565' },
  { model: 'V1LimitRangeItem', field: 'max', goType: 'v1.ResourceList', source: 'core/v1/types.go:7556' },
  { model: 'V1LimitRangeItem', field: 'maxLimitRequestRatio', goType: 'v1.ResourceList', source: 'core/v1/types.go:7568' },
  { model: 'V1LimitRangeItem', field: 'min', goType: 'v1.ResourceList', source: 'core/v1/types.go:7559' },
  { model: 'V1NodeStatus', field: 'allocatable', goType: 'v1.ResourceList', source: 'core/v1/types.go:6633' },
  { model: 'V1NodeStatus', field: 'capacity', goType: 'v1.ResourceList', source: 'core/v1/types.go:6629' },
  { model: 'V1PersistentVolumeClaimStatus', field: 'allocatedResources', goType: 'v1.ResourceList', source: 'core/v1/types.go:803' },
  { model: 'V1PersistentVolumeClaimStatus', field: 'capacity', goType: 'v1.ResourceList', source: 'core/v1/types.go:770' },
  { model: 'V1PersistentVolumeSpec', field: 'capacity', goType: 'v1.ResourceList', source: 'core/v1/types.go:392' },
  { model: 'V1PodSpec', field: 'overhead', goType: 'v1.ResourceList', source: 'core/v1/types.go:4308' },
  { model: 'V1ResourceFieldSelector', field: 'divisor', goType: 'resource.Quantity', source: 'core/v1/types.go:2550' },
  { model: 'V1ResourceQuotaSpec', field: 'hard', goType: 'v1.ResourceList', source: 'core/v1/types.go:7686' },
  { model: 'V1ResourceQuotaStatus', field: 'hard', goType: 'v1.ResourceList', source: 'core/v1/types.go:7743' },
  { model: 'V1ResourceQuotaStatus', field: 'used', goType: 'v1.ResourceList', source: 'core/v1/types.go:7746' },
  { model: 'V1ResourceRequirements', field: 'limits', goType: 'v1.ResourceList', source: 'core/v1/types.go:2828' },
  { model: 'V1ResourceRequirements', field: 'requests', goType: 'v1.ResourceList', source: 'core/v1/types.go:2834' },
  { model: 'V1VolumeResourceRequirements', field: 'limits', goType: 'v1.ResourceList', source: 'core/v1/types.go:2855' },
  { model: 'V1VolumeResourceRequirements', field: 'requests', goType: 'v1.ResourceList', source: 'core/v1/types.go:2861' },
  { model: 'V2HPAScalingRules', field: 'tolerance', goType: 'resource.Quantity', source: 'autoscaling/v2/types.go:223' },
  { model: 'V2MetricTarget', field: 'averageValue', goType: 'resource.Quantity', source: 'autoscaling/v2/types.go:375' },
  { model: 'V2MetricTarget', field: 'value', goType: 'resource.Quantity', source: 'autoscaling/v2/types.go:370' },
  { model: 'V2MetricValueStatus', field: 'averageValue', goType: 'resource.Quantity', source: 'autoscaling/v2/types.go:586' },
  { model: 'V2MetricValueStatus', field: 'value', goType: 'resource.Quantity', source: 'autoscaling/v2/types.go:581' },
];

/**
 * String enums kube-apiserver itself rejects with 422 FieldValueNotSupported. `values` are in the order kube prints
 * them in `supported values: …` (a literal slice keeps its order; sets.List sorts). The empty string is accepted by
 * the schema because defaulting fills it in before validation runs.
 */
export interface EnumFact {
  goType: string;
  values: readonly string[];
  fields: readonly ModelField[];
  source: string;
}

export const ENUMS: readonly EnumFact[] = [
  {
    goType: 'v1.RestartPolicy',
    values: ['Always', 'OnFailure', 'Never'],
    fields: [{ model: 'V1PodSpec', field: 'restartPolicy' }],
    source: 'validation.go validateRestartPolicy: validValues literal slice',
  },
  {
    goType: 'v1.DNSPolicy',
    values: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    fields: [{ model: 'V1PodSpec', field: 'dnsPolicy' }],
    source: 'validation.go validateDNSPolicy: validValues literal slice',
  },
  {
    goType: 'v1.PullPolicy',
    values: ['Always', 'IfNotPresent', 'Never'],
    fields: [
      { model: 'V1Container', field: 'imagePullPolicy' },
      { model: 'V1EphemeralContainer', field: 'imagePullPolicy' },
    ],
    source: 'validation.go validatePullPolicy: sets.List(supportedPullPolicies)',
  },
  {
    goType: 'v1.TerminationMessagePolicy',
    values: ['File', 'FallbackToLogsOnError'],
    fields: [
      { model: 'V1Container', field: 'terminationMessagePolicy' },
      { model: 'V1EphemeralContainer', field: 'terminationMessagePolicy' },
    ],
    source: 'validation.go validateContainerCommon: supported literal slice',
  },
  {
    goType: 'v1.Protocol',
    values: ['SCTP', 'TCP', 'UDP'],
    fields: [
      { model: 'V1ContainerPort', field: 'protocol' },
      { model: 'V1ServicePort', field: 'protocol' },
    ],
    source: 'validation.go validateContainerPorts / validateServicePort: sets.List(supportedPortProtocols)',
  },
  {
    goType: 'v1.ServiceType',
    values: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
    fields: [{ model: 'V1ServiceSpec', field: 'type' }],
    source: 'validation.go ValidateService: sets.List(supportedServiceType)',
  },
  {
    goType: 'v1.URIScheme',
    values: ['HTTP', 'HTTPS'],
    fields: [{ model: 'V1HTTPGetAction', field: 'scheme' }],
    source: 'validation.go validateHTTPGetAction: sets.List(supportedHTTPSchemes)',
  },
];

/**
 * Which OpenAPI `required` markers become FieldValueRequired. Go's decoder never checks required fields: a missing
 * bool or number is just false or 0, and validation (if any) reports a range error, not Required. So only fields
 * whose absence validation itself reports as Required are enforced: strings, arrays, maps and nested objects.
 */
export const REQUIRED_ENFORCED_TYPES: readonly ('string' | 'array' | 'map' | 'model')[] = ['string', 'array', 'map', 'model'];

/**
 * Models reached only through a kind's `status` are written by controllers; kube-apiserver's status validation does
 * not require their OpenAPI-required members (e.g. ContainerStatus.imageID), so they are not enforced there.
 */
export const ENFORCE_REQUIRED_IN_STATUS_ONLY_MODELS = false;

/** OpenAPI-required fields kube-apiserver accepts empty; Go clients marshal a nil slice as `null` for them. */
export const REQUIRED_NOT_ENFORCED: readonly (ModelField & { source: string })[] = [
  { model: 'V1EndpointSlice', field: 'endpoints', source: 'discovery validation ValidateEndpointSlice allows zero endpoints' },
  {
    model: 'V1DaemonSetSpec',
    field: 'selector',
    source: 'apps validation ValidateDaemonSetSpec: a nil selector selects nothing, reported as a template-labels mismatch',
  },
  {
    model: 'V1DaemonSetSpec',
    field: 'template',
    source: 'apps/v1 DaemonSetSpec.Template is a non-pointer struct: an absent template is validated as an empty one',
  },
  ...(
    [
      ['V1DeploymentSpec', 'template'],
      ['V1StatefulSetSpec', 'template'],
      ['V1JobSpec', 'template'],
      ['V1CronJobSpec', 'jobTemplate'],
    ] as const
  ).map(([model, field]) => ({
    model,
    field,
    source: 'apps/v1 and batch/v1 hold their templates as non-pointer structs: an absent one is validated as an empty one',
  })),
  {
    model: 'V1PodFailurePolicy',
    field: 'rules',
    source: 'batch validation validatePodFailurePolicy: an empty rule list is valid',
  },
  {
    model: 'V1PodFailurePolicyOnExitCodesRequirement',
    field: 'values',
    source: 'batch validation validatePodFailurePolicyRuleOnExitCodes: absent values are Invalid (at least one value is required)',
  },
  ...(['key', 'operator'] as const).map((field) => ({
    model: 'V1LabelSelectorRequirement',
    field,
    source: 'metav1 validation ValidateLabelSelectorRequirement: an empty key or operator is Invalid, never Required',
  })),
  {
    model: 'V1PodFailurePolicyOnPodConditionsPattern',
    field: 'status',
    source: 'batch/v1 SetDefaults_Job defaults an empty onPodConditions[].status to True before validation',
  },
  {
    model: 'V1PodFailurePolicyOnPodConditionsPattern',
    field: 'type',
    source: 'batch validation validatePodFailurePolicyRuleOnPodConditions: an empty type fails ValidateQualifiedName',
  },
];
