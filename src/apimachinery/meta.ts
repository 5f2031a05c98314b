// The shape every Kubernetes object shares (k8s.io/apimachinery/pkg/apis/meta/v1: TypeMeta and ObjectMeta,
// kept loose: objects are plain JSON values whose kind-specific fields the generated schemas check).

export type KubeObject = Record<string, any> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, any>;
};
