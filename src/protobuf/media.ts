// The media type of Kubernetes protobuf bodies, apart from the decoder so that naming it loads nothing heavy.
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';
