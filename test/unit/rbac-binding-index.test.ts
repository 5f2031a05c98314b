// The subject index RBAC walks instead of every binding: for any user it must yield exactly the bindings whose
// subjects apply to that user (appliesToUser), in the order a walk over all of them meets them, through updates,
// deletes and re-creates.
import assert from 'node:assert/strict';
import type { UserInfo } from '../../src/apimachinery/user.js';
import type { Binding } from '../../src/authorization/rbac/authorizer.js';
import { BindingScope } from '../../src/authorization/rbac/binding-index.js';
import { appliesToUser, type Subject } from '../../src/authorization/rbac/rules.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ['alice', 'bob', 'system:serviceaccount:ns:robot', 'system:serviceaccount:other:robot'];
const GROUPS = ['devs', 'ops', 'system:authenticated', 'system:serviceaccounts:ns'];

function randomSubject(next: () => number): Subject {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  switch (Math.floor(next() * 5)) {
    case 0:
      return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: pick(NAMES) };
    case 1:
      return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: pick(GROUPS) };
    case 2:
      return { kind: 'ServiceAccount', name: 'robot', namespace: pick(['', 'ns', 'other']) };
    case 3:
      return { kind: 'ServiceAccount', name: 'robot' };
    default:
      return { kind: 'Unknown', name: pick(NAMES) } as Subject;
  }
}

function walk(scope: BindingScope, user: UserInfo, namespace: string): Binding[] {
  return [...scope.values()].filter((b) => b.subjects?.some((s) => appliesToUser(user, s, namespace)));
}

describe('RBAC binding index', () => {
  for (const namespace of ['', 'ns']) {
    for (let seed = 1; seed <= 40; seed++) {
      it(`yields exactly the applicable bindings in walk order (${namespace === '' ? 'cluster' : 'namespace'}, seed ${seed})`, () => {
        const next = random(seed);
        const scope = new BindingScope(namespace);
        for (let step = 0; step < 60; step++) {
          const name = `b${Math.floor(next() * 15)}`;
          if (next() < 0.2) scope.delete(name);
          else {
            const subjects = Array.from({ length: Math.floor(next() * 3) }, () => randomSubject(next));
            scope.set(name, { metadata: { name, namespace }, subjects, roleRef: { kind: 'ClusterRole', name: 'r' } });
          }
          for (const name of NAMES) {
            const user: UserInfo = { name, uid: '', groups: GROUPS.filter(() => next() < 0.5) };
            assert.deepEqual(scope.for(user), walk(scope, user, namespace), `step ${step}, user ${name} ${user.groups.join(',')}`);
          }
        }
      });
    }
  }
});
