// A realistic pod manifest (~1.5 KB of JSON): labels, annotations, two containers with resources, ports, env and
// probes — the size and shape of what controllers typically write.

export interface PodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    resourceVersion?: string;
  };
  spec: Record<string, unknown>;
}

export function podManifest(namespace: string, name: string): PodManifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: {
        app: 'checkout',
        tier: 'backend',
        'app.kubernetes.io/name': 'checkout',
        'app.kubernetes.io/version': '2.14.3',
        'pod-template-hash': '7d9f8c6b5d',
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
      },
    },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      serviceAccountName: 'default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/shop/checkout:2.14.3',
          imagePullPolicy: 'IfNotPresent',
          args: ['--listen=:8080', '--metrics=:9090', '--log-level=info'],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          env: [
            { name: 'DATABASE_HOST', value: 'checkout-db.shop.svc.cluster.local' },
            { name: 'DATABASE_POOL_SIZE', value: '20' },
            { name: 'CACHE_TTL_SECONDS', value: '300' },
          ],
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { cpu: '1', memory: '512Mi' },
          },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, timeoutSeconds: 2 },
          livenessProbe: { httpGet: { path: '/livez', port: 8080 }, initialDelaySeconds: 15, periodSeconds: 20 },
        },
        {
          name: 'log-shipper',
          image: 'registry.example.com/infra/log-shipper:1.8.0',
          imagePullPolicy: 'IfNotPresent',
          resources: {
            requests: { cpu: '50m', memory: '64Mi' },
            limits: { cpu: '200m', memory: '128Mi' },
          },
        },
      ],
    },
  };
}
