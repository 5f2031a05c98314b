// Records kube-apiserver v1.34's bootstrap RBAC policy (the roles and bindings its rbac/bootstrap-roles post-start
// hook reconciles: plugin/pkg/auth/authorizer/rbac/bootstrappolicy) from the reference server `make reference`
// built, into src/authorization/rbac/bootstrap-policy-v1.34.json. The facts are the server's own answer, with the
// per-server metadata (uid, resourceVersion, timestamps, managedFields) dropped.
// Usage: node dist/tools/capture-bootstrap-policy.js
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startReference } from '../test/support/reference.js';

const OUT = fileURLToPath(new URL('../../src/authorization/rbac/bootstrap-policy-v1.34.json', import.meta.url));
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

function strip(obj: any): any {
  const { name, namespace, labels, annotations } = obj.metadata;
  const out: any = { metadata: { name, ...(namespace ? { namespace } : {}), labels, annotations } };
  for (const k of ['rules', 'aggregationRule', 'subjects', 'roleRef']) if (obj[k] != null) out[k] = obj[k];
  return out;
}

const kube = await startReference();
try {
  const policy: Record<string, unknown> = {
    about:
      'kube-apiserver v1.34.4 bootstrap RBAC policy as the reference server stored it after its rbac/bootstrap-roles hook; written by tools/capture-bootstrap-policy.ts. admin, edit and view have no rules of their own: kube-controller-manager aggregates them.',
  };
  for (const resource of ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings']) {
    const res = await kube.request('GET', `${RBAC}/${resource}`);
    if (res.status !== 200) throw new Error(`GET ${resource}: ${res.status}`);
    policy[resource] = res.body.items.map(strip);
  }
  writeFileSync(OUT, `${JSON.stringify(policy, null, 1)}\n`);
  console.log(`wrote ${OUT}`);
} finally {
  await kube.close();
}
