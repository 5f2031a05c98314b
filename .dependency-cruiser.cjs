// ARCHITECTURE.md's "Modules and what they may import" table as rules: `make lint` fails when a module imports
// upward or across the table, or when any import cycle appears. Type-only imports count (tsPreCompilationDeps):
// a type pulled from a higher layer couples the layers just the same. Keep this file and the table in step.
'use strict';

/** A layer may import only itself and the listed folders (paths under src/). */
function layer(name, from, mayImport, comment) {
  const allowed = [from, ...mayImport].map((p) => p.replace(/\/$/, '')).join('|');
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^src/${from}` },
    to: { path: '^src/', pathNot: `^src/(${allowed})(/|$)` },
  };
}

/** Only the listed folders may import an npm package. */
function onlyFrom(pkg, folders, comment) {
  return {
    name: `only-${folders.join('-').replace(/[^a-z0-9]+/gi, '-')}-imports-${pkg}`,
    comment,
    severity: 'error',
    from: { path: '^src/', pathNot: `^src/(${folders.join('|')})(/|$)` },
    to: { path: `(^|/)node_modules/${pkg}/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide layering mistakes and break lazy loading; extract the shared piece instead.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-is-self-contained',
      comment: 'src/ ships alone (the container image copies dist/src): it never imports tools/, test/ or bench/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tools|test|bench)/' },
    },
    layer('apimachinery-is-pure', 'apimachinery/', [], 'Pure Kubernetes value types and helpers: nothing else in src.'),
    layer('generated-is-leaf', 'generated/', [], 'Machine-written zod schemas: zod only.'),
    layer('scheme-below-registry', 'scheme/', ['apimachinery', 'generated'], 'The table of kinds and the schema checker.'),
    layer('storage-interface-is-leaf', 'storage/interface.ts', ['apimachinery'], 'The storage contract: value types only.'),
    layer(
      'informer-on-the-contract',
      'storage/informer.ts',
      ['storage/interface.ts'],
      'List-and-watch of key prefixes for in-memory consumers, on any Storage.',
    ),
    layer(
      'etcd3-storage',
      'storage/etcd3/',
      ['storage/interface.ts', 'apimachinery'],
      'etcd storage implements the contract and nothing above it.',
    ),
    layer(
      'cacher-storage',
      'storage/cacher/',
      ['storage/interface.ts', 'apimachinery'],
      'The watch cache decorates any Storage; it never reaches into etcd3/.',
    ),
    layer(
      'protobuf-below-endpoints',
      'protobuf/',
      ['apimachinery'],
      'Protobuf decoding from the transcribed field table: protobufjs, and apimachinery for Go formats.',
    ),
    layer(
      'registry-below-endpoints',
      'registry/',
      // The webhook configurations' validation compiles matchConditions, and policy validation compiles CEL, with
      // the admission plugins' own CEL modules.
      ['apimachinery', 'scheme', 'generated', 'storage/interface.ts', 'admission/cel', 'admission/webhook/conditions.ts'],
      'Store semantics and strategies: never HTTP, never a concrete storage.',
    ),
    layer(
      'admission-below-endpoints',
      'admission/',
      ['apimachinery', 'scheme', 'storage/interface.ts'],
      'Admission plugins see objects and users, never Koa or other plugin chains.',
    ),
    layer(
      'authentication-below-endpoints',
      'authentication/',
      ['apimachinery', 'scheme', 'storage/interface.ts'],
      'Authenticators see request headers and certificates, never Koa or server config.',
    ),
    layer(
      'authorization-below-endpoints',
      'authorization/',
      ['apimachinery', 'scheme', 'storage/interface.ts', 'storage/informer.ts'],
      'Authorizers see request attributes and the roles in storage, never Koa, the registry or server config.',
    ),
    layer(
      'endpoints-below-server',
      'endpoints/',
      [
        'apimachinery',
        'scheme',
        'generated',
        'storage/interface.ts',
        'registry',
        'protobuf',
        'admission',
        'authentication',
        'authorization',
      ],
      'HTTP handlers: everything below except concrete storages.',
    ),
    layer(
      'server-below-main',
      'server/',
      [
        'apimachinery',
        'scheme',
        'generated',
        'storage',
        'registry',
        'protobuf',
        'admission',
        'authentication',
        'authorization',
        'endpoints',
      ],
      'The Koa app and its options compose everything but main.',
    ),
    layer('main-is-composition-root', 'main.ts', ['server'], 'main.ts reads argv and the environment and hands them to server/.'),
    onlyFrom('etcd3', ['storage/etcd3'], 'etcd is reached only through storage/etcd3 (BRIEF §2).'),
    onlyFrom('koa', ['server', 'endpoints'], 'Plugin chains and the registry never see Koa.'),
    onlyFrom('zod', ['generated', 'scheme'], 'Schemas are generated; only the checker runs them.'),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
