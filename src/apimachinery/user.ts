// Who made a request, as authentication found it and admission and audit see it (k8s.io/apiserver's
// pkg/authentication/user.Info). A plain value: the layers that produce and read it share it from here.

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  extra?: Record<string, string[]>;
}
