// RBAC's cost: creates/s and gets/s as bench-user, whom RBAC authorizes through one RoleBinding among 1,000 in
// its namespace (the other 999 bind other users), beside the same requests as the admin, whom system:masters lets
// through before RBAC looks at anything (as AlwaysAllow would). Both servers decide RBAC from memory, so the ratio
// is the price of walking the bindings per request.

import { runAutocannon } from '../autocannon-load.js';
import { ensureNamespace } from '../context.js';
import { BENCH_USER } from '../kgate-process.js';
import { podManifest } from '../pod.js';
import { atLeast, progress, report, type Figure } from '../report.js';
import { onEachServer, type Sides } from '../sides.js';
import type { BenchContext } from '../context.js';

const NAMESPACE = 'bench-rbac';
const BINDINGS = 1_000;
const CREATES = 3_000;
const GETS = 10_000;
const CONCURRENCY = 64;
const RBAC = `/apis/rbac.authorization.k8s.io/v1/namespaces/${NAMESPACE}`;

export const RBAC_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [
  { name: 'rbac_creates_user_vs_admin', target: atLeast(0.95) },
  { name: 'rbac_gets_user_vs_admin', target: atLeast(0.95) },
];

async function must(ctx: BenchContext, method: string, path: string, body: unknown): Promise<void> {
  const res = await ctx.http.request(method, path, body);
  if (res.status !== 201 && res.status !== 409) throw new Error(`${method} ${path} → ${res.status}: ${res.text.slice(0, 200)}`);
}

async function grant(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, NAMESPACE);
  await must(ctx, 'POST', `${RBAC}/roles`, {
    metadata: { name: 'pod-writer' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get'] }],
  });
  const binding = (name: string, user: string) => ({
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-writer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
  for (let i = 0; i < BINDINGS - 1; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, BINDINGS - 1 - i) }, (_, j) =>
        must(ctx, 'POST', `${RBAC}/rolebindings`, binding(`other-${i + j}`, `other-${i + j}`)),
      ),
    );
  }
  await must(ctx, 'POST', `${RBAC}/rolebindings`, binding('zz-bench-user', BENCH_USER));
}

export async function benchRbac(sides: Sides): Promise<void> {
  const bodies = (prefix: string, count: number) =>
    Array.from({ length: count + 2 * CONCURRENCY }, (_, i) => JSON.stringify(podManifest(NAMESPACE, `${prefix}-${i}`)));
  const results = await onEachServer(sides, async (ctx) => {
    progress(`rbac: ${BINDINGS} RoleBindings on ${ctx.side}`);
    await grant(ctx);
    const run = (token: string, method: 'POST' | 'GET', url: string, amount: number, b?: string[]) =>
      runAutocannon({ url, token, connections: CONCURRENCY, amount, method, ...(b && { bodies: b }) });
    const pods = `${ctx.server.url}/api/v1/namespaces/${NAMESPACE}/pods`;
    // Both users warm the server up first, then they take turns ABBA BAAB, so neither gains from the server growing
    // warmer or loses to a noisy neighbour at one point of the run; each side's rate is the mean of its four turns.
    progress(`rbac: warm-up, then ${CREATES} creates each as admin and as ${BENCH_USER}, in turns, on ${ctx.side}`);
    await run(ctx.token, 'POST', pods, CONCURRENCY * 4, bodies('warm-admin', CONCURRENCY * 4));
    await run(ctx.userToken, 'POST', pods, CONCURRENCY * 4, bodies('warm-user', CONCURRENCY * 4));
    const turns = ['admin', 'user', 'user', 'admin', 'user', 'admin', 'admin', 'user'] as const;
    const quarter = CREATES / 4;
    const rates = { admin: [] as number[], user: [] as number[] };
    let failed = 0;
    for (const [i, who] of turns.entries()) {
      const r = await run(who === 'admin' ? ctx.token : ctx.userToken, 'POST', pods, quarter, bodies(`${who}-${i}`, quarter));
      rates[who].push(r.perSecond);
      failed += r.failed;
    }
    progress(`rbac: ${GETS} gets each as admin and as ${BENCH_USER}, in turns, on ${ctx.side}`);
    const target = `${pods}/admin-0-0`;
    await run(ctx.token, 'GET', target, GETS / 5);
    await run(ctx.userToken, 'GET', target, GETS / 5);
    const getRates = { admin: [] as number[], user: [] as number[] };
    for (const who of turns) {
      const r = await run(who === 'admin' ? ctx.token : ctx.userToken, 'GET', target, GETS / 4);
      getRates[who].push(r.perSecond);
      failed += r.failed;
    }
    if (failed > 0) throw new Error(`${failed} requests failed on ${ctx.side}`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const adminCreates = mean(rates.admin);
    const userCreates = mean(rates.user);
    const adminGets = mean(getRates.admin);
    const userGets = mean(getRates.user);
    return {
      creates: userCreates / adminCreates,
      gets: userGets / adminGets,
      text: `creates/s ${userCreates.toFixed(0)} vs ${adminCreates.toFixed(0)}, gets/s ${userGets.toFixed(0)} vs ${adminGets.toFixed(0)}`,
    };
  });
  const note = (what: string) =>
    `${what} as ${BENCH_USER} (RBAC, 1 of ${BINDINGS} RoleBindings) / as system:masters, same server, same run; kgate ${results.kgate.text}` +
    (results.kube ? `; kube ${results.kube.text}` : '');
  // The figures are ratios already: the etcd column carries 1 so ratio_etcd is the figure itself.
  report({
    ...RBAC_FIGURES[0],
    kgate: results.kgate.creates,
    kube: results.kube?.creates,
    etcd: 1,
    cpu: results.cpu,
    note: note('creates/s'),
  });
  report({ ...RBAC_FIGURES[1], kgate: results.kgate.gets, kube: results.kube?.gets, etcd: 1, cpu: results.cpu, note: note('gets/s') });
}
