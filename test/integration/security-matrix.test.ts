// Who may do what, on kgate: every cell of the security matrix (test/support/security-matrix.ts: users × verbs ×
// targets with the expected allow or deny, given by grants made with kubectl) checked three ways that must agree: the
// HTTP status of the real request (200/201 or 403; anonymous with --anonymous-auth=false: 401), `kubectl auth can-i`
// with the user's own credentials, and `kubectl auth can-i --as/--as-group` from the admin (for anonymous, which may
// not create access reviews, a SubjectAccessReview through kubectl). `kubectl auth whoami` prints each user's name
// and groups. The OIDC and webhook users come from an issuer and a TokenReview webhook the test serves on loopback
// (startIdentityProviders). test/differential/security-matrix.test.ts sends the same requests to the reference
// kube-apiserver.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { startKgate, type ClientResult, type Kgate } from '../support/kgate.js';
import {
  expectedStatus,
  FIXTURES,
  GRANTS,
  MATRIX,
  newName,
  NS,
  OIDC_USER,
  parseMatrix,
  request,
  startIdentityProviders,
  TARGETS,
  WEBHOOK_USER,
  type Column,
  type Credentials,
  type IdentityProviders,
  type PathTarget,
  type Verb,
} from '../support/security-matrix.js';

/** How a user authenticates, over HTTP and with kubectl, and who the server says it is. */
interface Subject {
  name: string;
  groups: string[];
  /** Bearer token, or client certificate, or neither (anonymous). */
  http: Credentials;
  /** kubectl flags that authenticate as this user (a --token, or a --kubeconfig). */
  kubectl: string[];
  /** The admin's kubectl flags that impersonate this user. */
  as: string[];
}

/** Runs `tasks` at most `limit` at a time (kubectl is a process each; the machine is small). */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * A kubeconfig for `kg` whose requests are anonymous. kubectl prompts for a username when a kubeconfig user has no
 * credentials at all, so this one has a basic-auth username and password: kube (and kgate) understand no Basic
 * credentials, and a request with none they understand is anonymous (or 401 with --anonymous-auth=false).
 */
async function anonymousKubeconfig(kg: Kgate): Promise<string> {
  const path = `${kg.kubeconfig}-anonymous`;
  const admin = parse(await readFile(kg.kubeconfig, 'utf8'));
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: admin.clusters,
      users: [{ name: 'anonymous', user: { username: 'nobody', password: 'unused' } }],
      contexts: [{ name: 'anonymous', context: { cluster: admin.clusters[0].name, user: 'anonymous', namespace: 'default' } }],
      'current-context': 'anonymous',
    }),
  );
  return path;
}

const canIAnswer = (res: ClientResult) => ({ code: res.code, answer: res.stdout.trim(), error: res.stderr.trim() });

describe('security matrix: users × verbs × resources, over HTTP and through kubectl', function () {
  this.timeout(600_000);
  let kg: Kgate;
  let kgOff: Kgate;
  let providers: IdentityProviders;
  const subjects: Partial<Record<Column, Subject>> = {};
  let anonymousOff: { kubeconfig: string };
  const rows = parseMatrix(MATRIX);

  before(async () => {
    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const tokens = [{ token: 'tara-token', user: 'tara', uid: 'tara-uid', groups: ['matrix-devs'] }];
    // The OIDC issuer and the TokenReview webhook the oidc and webhook users come from, on loopback.
    providers = await startIdentityProviders();
    kg = await startKgate({ tokens, clientCA: true, anonymous: true, serviceAccounts: { signingKey }, flags: providers.flags });
    kgOff = await startKgate({ etcd: kg.etcd, prefix: '/matrix-anonymous-off', tokens, clientCA: true, anonymous: false });
    await kg.kubectl(['create', 'namespace', NS]);
    await kg.kubectl(['create', 'serviceaccount', 'robot', '-n', NS]);
    for (const grant of GRANTS) await kg.kubectl(grant);
    for (const [collection, body] of FIXTURES) {
      const res = await kg.request('POST', collection, { body });
      assert.equal(res.status, 201, res.text);
    }

    const robotToken = (await kg.kubectl(['create', 'token', 'robot', '-n', NS, '--duration=1h'])).stdout.trim();
    const carl = await kg.clientKubeconfig('carl', ['matrix-ops']);
    const carlUser = parse(await readFile(carl, 'utf8')).users[0].user;
    subjects.token = {
      name: 'tara',
      groups: ['matrix-devs', 'system:authenticated'],
      http: { token: 'tara-token' },
      kubectl: ['--token=tara-token'],
      as: ['--as=tara', '--as-group=matrix-devs'],
    };
    subjects.cert = {
      name: 'carl',
      groups: ['matrix-ops', 'system:authenticated'],
      http: {
        cert: Buffer.from(carlUser['client-certificate-data'], 'base64').toString(),
        key: Buffer.from(carlUser['client-key-data'], 'base64').toString(),
      },
      kubectl: [`--kubeconfig=${carl}`],
      as: ['--as=carl', '--as-group=matrix-ops'],
    };
    subjects.sa = {
      name: `system:serviceaccount:${NS}:robot`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'],
      http: { token: robotToken },
      kubectl: [`--token=${robotToken}`],
      // Impersonating a ServiceAccount's username gives it the ServiceAccount groups.
      as: [`--as=system:serviceaccount:${NS}:robot`],
    };
    subjects.anonymous = {
      name: 'system:anonymous',
      groups: ['system:unauthenticated'],
      http: {},
      kubectl: [`--kubeconfig=${await anonymousKubeconfig(kg)}`],
      as: ['--as=system:anonymous'],
    };
    subjects.oidc = {
      name: OIDC_USER.name,
      groups: [...OIDC_USER.groups, 'system:authenticated'],
      http: { token: providers.oidcToken },
      kubectl: [`--token=${providers.oidcToken}`],
      as: [`--as=${OIDC_USER.name}`, ...OIDC_USER.groups.map((g) => `--as-group=${g}`)],
    };
    subjects.webhook = {
      name: WEBHOOK_USER.name,
      groups: [...WEBHOOK_USER.groups, 'system:authenticated'],
      http: { token: providers.webhookToken },
      kubectl: [`--token=${providers.webhookToken}`],
      as: [`--as=${WEBHOOK_USER.name}`, ...WEBHOOK_USER.groups.map((g) => `--as-group=${g}`)],
    };
    anonymousOff = { kubeconfig: await anonymousKubeconfig(kgOff) };
  });
  after(async () => {
    await kgOff?.close();
    await kg?.close();
    await providers?.close();
  });

  it('the matrix covers every verb on namespaced and cluster-scoped resources, and each pending column is all ?', () => {
    const verbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    for (const target of ['pods', 'configmaps', 'storageclasses']) {
      assert.deepEqual(
        rows.filter((r) => r.target === target).map((r) => r.verb),
        verbs,
        target,
      );
    }
    for (const row of rows) assert.ok(TARGETS[row.target], `no target ${row.target}`);
    for (const column of ['token', 'cert', 'sa', 'anonymous', 'oidc', 'webhook'] as Column[]) {
      const pending = rows.filter((r) => r.expect[column] === '?').length;
      assert.equal(pending, subjects[column] ? 0 : rows.length, `${column}: ${pending} of ${rows.length} cells are ?`);
    }
  });

  it('kubectl auth whoami prints each user’s name and groups, with its own credentials and impersonated', async () => {
    for (const [column, s] of Object.entries(subjects) as [Column, Subject][]) {
      for (const flags of [s.kubectl, s.as]) {
        const res = await kg.kubectl([...flags, 'auth', 'whoami', '-o', 'json'], { allowFail: true });
        if (column === 'anonymous') {
          // kube binds system:basic-user (which may create SelfSubjectReviews) to system:authenticated only; kubectl
          // words the 403 so.
          assert.notEqual(res.code, 0);
          assert.equal(
            res.stderr.trim(),
            'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it',
          );
          continue;
        }
        assert.equal(res.code, 0, `${column} ${flags.join(' ')}: ${res.stderr}`);
        const info = JSON.parse(res.stdout).status.userInfo;
        assert.equal(info.username, s.name, column);
        assert.deepEqual(info.groups, s.groups, `${column} ${flags.join(' ')}`);
      }
    }
    const text = await kg.kubectl([...subjects.token!.kubectl, 'auth', 'whoami']);
    assert.match(text.stdout, /^Username\s+tara$/m);
    assert.match(text.stdout, /^Groups\s+\[matrix-devs system:authenticated\]$/m);
    // The OIDC user's name and groups carry the server's prefixes; the webhook's are the TokenReview's.
    const oidc = await kg.kubectl([...subjects.oidc!.kubectl, 'auth', 'whoami']);
    assert.match(oidc.stdout, /^Username\s+oidc:olga@example\.com$/m);
    assert.match(oidc.stdout, /^Groups\s+\[oidc:matrix-auditors system:authenticated\]$/m);
    const webhook = await kg.kubectl([...subjects.webhook!.kubectl, 'auth', 'whoami']);
    assert.match(webhook.stdout, /^Username\s+wendy$/m);
    assert.match(webhook.stdout, /^Groups\s+\[matrix-web system:authenticated\]$/m);
    // With anonymous auth off there is no one to be: kubectl is told to log in.
    const off = await kgOff.kubectl([`--kubeconfig=${anonymousOff.kubeconfig}`, 'auth', 'whoami'], { allowFail: true });
    assert.notEqual(off.code, 0);
    assert.equal(off.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');
  });

  rows.forEach((row, index) => {
    const columns = (Object.keys(row.expect) as Column[]).filter((c) => row.expect[c] !== '?');
    const title = `${row.verb} ${row.target}: ${columns.map((c) => `${c} ${row.expect[c] === 'Y' ? 'allowed' : 'denied'}`).join(', ')}`;
    it(title, async () => {
      const target = TARGETS[row.target];
      for (const column of columns) {
        const s = subjects[column];
        assert.ok(s, `no subject for the ${column} column`);
        const allowed = row.expect[column] === 'Y';
        const res = await request(kg, target, row.verb, s.http, `${column}-${index}`);
        const cell = `${column} ${row.verb} ${row.target}`;
        if (allowed) {
          assert.equal(res.status, expectedStatus(row, target, true, 'kgate'), `${cell}: ${res.text}`);
        } else {
          assert.equal(res.status, 403, `${cell}: ${res.text}`);
          assert.equal(res.body?.reason, 'Forbidden', cell);
          assert.match(
            res.body?.message ?? '',
            new RegExp(`User "${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" cannot ${row.verb}`),
            cell,
          );
        }
      }
      // With --anonymous-auth=false the same request without credentials is 401 before any authorization.
      const off = await request(kgOff, target, row.verb, {}, `off-${index}`, { offline: true });
      assert.equal(off.status, 401, off.text);
      assert.equal(off.body?.reason, 'Unauthorized');

      // kubectl auth can-i agrees, asked with the user's own credentials and by the admin impersonating the user.
      const canI = ['auth', 'can-i', row.verb, ...target.canI];
      const checks: { column: Column; how: 'own' | 'as' | 'review' | 'anonymous-auth=false'; run: () => Promise<ClientResult> }[] = [];
      for (const column of columns) {
        const s = subjects[column]!;
        checks.push({ column, how: 'own', run: () => kg.kubectl([...s.kubectl, ...canI], { allowFail: true }) });
        checks.push({ column, how: 'as', run: () => kg.kubectl([...s.as, ...canI], { allowFail: true }) });
        // can-i sends a SelfSubjectAccessReview, which system:anonymous may not create (system:basic-user is bound
        // to system:authenticated), --as included: the admin asks with a SubjectAccessReview, through kubectl too.
        if (column === 'anonymous') {
          const review = {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: s.name,
              groups: s.groups,
              ...(target.attrs
                ? { resourceAttributes: { ...target.attrs, verb: row.verb } }
                : { nonResourceAttributes: { path: (target as PathTarget).path, verb: row.verb } }),
            },
          };
          checks.push({
            column,
            how: 'review',
            // --validate=false: for a kind without PATCH kubectl validates on the client from /openapi/v2 as protobuf,
            // which kgate does not serve (406).
            run: () =>
              kg.kubectl(['create', '--validate=false', '-f', '-', '-o', 'jsonpath={.status.allowed}'], { input: JSON.stringify(review) }),
          });
        }
      }
      checks.push({
        column: 'anonymous',
        how: 'anonymous-auth=false',
        run: () => kgOff.kubectl([`--kubeconfig=${anonymousOff.kubeconfig}`, ...canI], { allowFail: true }),
      });
      const answers = await pooled(
        checks.map((c) => c.run),
        4,
      );
      checks.forEach((c, i) => {
        const got = canIAnswer(answers[i]);
        const cell = `${c.how === 'review' ? 'SubjectAccessReview' : `kubectl ${canI.join(' ')}`} for ${c.column} (${c.how})`;
        const allowed = row.expect[c.column] === 'Y';
        if (c.how === 'anonymous-auth=false') {
          // (Resource rows first print kubectl's failed discovery; the verdict is the last line.)
          const verdict = got.error.split('\n').at(-1);
          assert.deepEqual(
            { ...got, error: verdict },
            { code: 1, answer: '', error: 'error: You must be logged in to the server (Unauthorized)' },
            cell,
          );
        } else if (c.how === 'review') {
          assert.equal(got.answer, String(allowed), cell);
        } else if (c.column === 'anonymous') {
          assert.equal(got.code, 1, cell);
          assert.match(
            got.error,
            /selfsubjectaccessreviews\.authorization\.k8s\.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews"/,
            cell,
          );
        } else if (allowed) {
          assert.deepEqual({ code: got.code, answer: got.answer }, { code: 0, answer: 'yes' }, `${cell}: ${got.error}`);
        } else {
          assert.deepEqual({ code: got.code, answer: got.answer }, { code: 1, answer: 'no' }, `${cell}: ${got.error}`);
        }
      });
    });
  });

  it('nothing a denied request sent was written', async () => {
    // Every denied create used the name <kind>-new-<column>-<row>; only the allowed ones exist.
    for (const [index, row] of rows.entries()) {
      const target = TARGETS[row.target];
      if (row.verb !== 'create' || 'path' in target) continue;
      for (const column of Object.keys(subjects) as Column[]) {
        const res = await kg.request('GET', `${target.collection}/${newName(`${column}-${index}`)}`);
        assert.equal(res.status, row.expect[column] === 'Y' ? 200 : 404, `${column} create ${row.target}`);
      }
    }
  });
});
