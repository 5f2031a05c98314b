// One-off transcription of the Kubernetes protobuf wire schema into a fact table, src/protobuf/protobuf-v1.34.json,
// which src/protobuf/ uses to decode `application/vnd.kubernetes.protobuf` request bodies. Not part of the build.
//
// Sources (read as checked-out trees, not copied into this project):
//   kubernetes/api                     tag v0.34.10   <dir>/api
//   kubernetes/apimachinery            tag v0.34.10   <dir>/apimachinery
//   kubernetes/apiextensions-apiserver tag v0.34.10   <dir>/apiextensions-apiserver
//   kubernetes/kube-aggregator         tag v0.34.9    <dir>/kube-aggregator   (no v0.34.10 tag; API unchanged)
// e.g. `git -C <mirror> archive v0.34.10 | tar -x -C <dir>/api`, then
//   node dist/tools/transcribe-protobuf.js <dir> [out.json]
//
// What it records per message: each field's JSON name (from the Go struct's json tag, which is what the JSON body
// uses), wire number and type, repeated/map, plus the two Go facts the wire format does not carry but the JSON
// mapping needs: whether a present zero value survives Go's JSON encoding (`keepZero`: pointer fields and fields
// without omitempty), and whether the field is flattened into its parent (`inline`). Messages that stand for a
// nullable Go slice (`+protobuf.nullable=true`, e.g. ExtraValue) are marked `jsonArray`: their JSON is the items.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SCALAR_TYPES } from '../src/protobuf/facts.js';

interface FactField {
  name: string;
  number: number;
  type: string;
  repeated?: true;
  /** Key type of a map field; `type` is then the value type. */
  map?: string;
  keepZero?: true;
  inline?: true;
  /** Go `omitzero` on a struct field: an empty message is left out. */
  omitZero?: true;
}

interface FactMessage {
  fields: FactField[];
  jsonArray?: true;
}

interface ProtoField {
  label: 'optional' | 'repeated' | 'map';
  type: string;
  keyType?: string;
  name: string;
  number: number;
}

interface ProtoFile {
  pkg: string;
  dir: string;
  messages: Map<string, ProtoField[]>;
}

interface GoField {
  jsonName: string;
  pointer: boolean;
  omitEmpty: boolean;
  omitZero: boolean;
  inline: boolean;
}

/** Kinds that subresources take, beyond the top-level kinds of the scheme. */
const EXTRA_ROOTS = [
  'k8s.io.api.core.v1.Binding',
  'k8s.io.api.autoscaling.v1.Scale',
  'k8s.io.api.policy.v1.Eviction',
  'k8s.io.api.authentication.v1.TokenRequest',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
];
const META_V1 = 'k8s.io.apimachinery.pkg.apis.meta.v1';

function walk(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (entry === 'generated.proto') found.push(path);
  }
  return found;
}

function parseProto(path: string): ProtoFile {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trim());
  const pkg = /^package ([\w.]+);/m.exec(lines.join('\n'))?.[1];
  if (pkg === undefined) throw new Error(`${path}: no package`);
  const messages = new Map<string, ProtoField[]>();
  let current: ProtoField[] | undefined;
  for (const line of lines) {
    const open = /^message (\w+) \{$/.exec(line);
    if (open) {
      current = [];
      messages.set(open[1], current);
      continue;
    }
    if (line === '}') {
      current = undefined;
      continue;
    }
    if (current === undefined || line === '') continue;
    const plain = /^(optional|repeated|required) ([\w.]+) (\w+) = (\d+);$/.exec(line);
    const map = /^map<(\w+), ([\w.]+)> (\w+) = (\d+);$/.exec(line);
    if (plain)
      current.push({
        label: plain[1] === 'repeated' ? 'repeated' : 'optional',
        type: qualify(plain[2], pkg),
        name: plain[3],
        number: Number(plain[4]),
      });
    else if (map) current.push({ label: 'map', keyType: map[1], type: qualify(map[2], pkg), name: map[3], number: Number(map[4]) });
    else throw new Error(`${path}: cannot read "${line}"`);
  }
  return { pkg, dir: resolve(path, '..'), messages };
}

function qualify(type: string, pkg: string): string {
  if (SCALAR_TYPES.has(type)) return type;
  return type.startsWith('.') ? type.slice(1) : `${pkg}.${type}`;
}

/** Go struct fields by struct name and protobuf field number, from the package's hand-written Go files. */
function parseGoStructs(dir: string): { fields: Map<string, Map<number, GoField>>; nullableSlices: Set<string> } {
  const fields = new Map<string, Map<number, GoField>>();
  const nullableSlices = new Set<string>();
  const goFiles = readdirSync(dir).filter(
    (f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_') && !f.startsWith('generated.'),
  );
  for (const file of goFiles) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    let struct: Map<number, GoField> | undefined;
    let nullable = false;
    for (const line of lines) {
      if (/^\/\/ \+protobuf\.nullable=true/.test(line)) nullable = true;
      const slice = /^type (\w+) \[\]/.exec(line);
      if (slice && nullable) nullableSlices.add(slice[1]);
      if (/^type /.test(line)) nullable = false;
      const open = /^type (\w+) struct \{/.exec(line);
      if (open) {
        struct = new Map();
        fields.set(open[1], struct);
        continue;
      }
      if (/^\}/.test(line)) {
        struct = undefined;
        continue;
      }
      if (struct === undefined) continue;
      const field = /^\s*(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(line);
      if (!field) continue;
      const protoTag = /protobuf:"([^"]*)"/.exec(field[3])?.[1];
      const jsonTag = /json:"([^"]*)"/.exec(field[3])?.[1];
      if (protoTag === undefined || jsonTag === undefined) continue;
      const number = Number(protoTag.split(',')[1]);
      const [jsonName, ...options] = jsonTag.split(',');
      struct.set(number, {
        jsonName,
        pointer: field[2].startsWith('*'),
        omitEmpty: options.includes('omitempty'),
        omitZero: options.includes('omitzero'),
        inline: options.includes('inline'),
      });
    }
  }
  return { fields, nullableSlices };
}

/** apiVersion → proto package, from each package's GroupName constant (register.go) or `+groupName=` (doc.go). */
function groupVersionPackages(files: ProtoFile[]): Map<string, string> {
  const byGroupVersion = new Map<string, string>();
  for (const f of files) {
    const group = readGroupName(f.dir);
    if (group === undefined) continue;
    const version = f.dir.split('/').pop() as string;
    byGroupVersion.set(group === '' ? version : `${group}/${version}`, f.pkg);
  }
  return byGroupVersion;
}

function readGroupName(dir: string): string | undefined {
  for (const [file, pattern] of [
    ['register.go', /^const GroupName = "([\w.-]*)"/m],
    ['doc.go', /^\/\/ \+groupName=([\w.-]*)/m],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const group = pattern.exec(text)?.[1];
    if (group !== undefined) return group;
  }
  return undefined;
}

function main(): void {
  const [sourceDir, outArg] = process.argv.slice(2);
  if (sourceDir === undefined) throw new Error('usage: transcribe-protobuf <source dir> [out.json]');
  const repoRoot = resolve(import.meta.dirname, '../..');
  const out = outArg ?? join(repoRoot, 'src/protobuf/protobuf-v1.34.json');
  const kinds = JSON.parse(readFileSync(join(repoRoot, 'src/scheme/kinds-v1.34.json'), 'utf8')) as {
    group: string;
    version: string;
    kind: string;
  }[];

  const files = walk(resolve(sourceDir))
    .filter((p) => !/testapigroup|\/testdata\//.test(p))
    .map(parseProto);
  const protoMessages = new Map<string, { fields: ProtoField[]; file: ProtoFile; name: string }>();
  for (const file of files) for (const [name, fields] of file.messages) protoMessages.set(`${file.pkg}.${name}`, { fields, file, name });
  const goByDir = new Map<string, ReturnType<typeof parseGoStructs>>();
  const goOf = (dir: string) => {
    let go = goByDir.get(dir);
    if (go === undefined) goByDir.set(dir, (go = parseGoStructs(dir)));
    return go;
  };

  const packages = groupVersionPackages(files);
  const kindMessages: Record<string, string> = {};
  const roots: string[] = [...EXTRA_ROOTS];
  for (const k of kinds) {
    const apiVersion = k.group === '' ? k.version : `${k.group}/${k.version}`;
    const pkg = packages.get(apiVersion);
    const message = pkg && `${pkg}.${k.kind}`;
    if (message === undefined || !protoMessages.has(message)) throw new Error(`no protobuf message for ${apiVersion} ${k.kind}`);
    kindMessages[`${apiVersion}/${k.kind}`] = message;
    roots.push(message);
  }
  for (const extra of EXTRA_ROOTS.slice(0, 4)) {
    const [, group, version, kind] = /^k8s\.io\.api\.(\w+)\.(\w+)\.(\w+)$/.exec(extra) as RegExpExecArray;
    const apiVersion = [...packages].find(([, pkg]) => pkg === `k8s.io.api.${group}.${version}`)?.[0] as string;
    kindMessages[`${apiVersion}/${kind}`] = extra;
  }
  for (const name of protoMessages.keys())
    if (name.startsWith(`${META_V1}.`) && name.split('.').length === META_V1.split('.').length + 1) roots.push(name);

  const messages: Record<string, FactMessage> = {};
  const pending = [...roots];
  const warnings: string[] = [];
  while (pending.length > 0) {
    const full = pending.pop() as string;
    if (messages[full] !== undefined) continue;
    const proto = protoMessages.get(full);
    if (proto === undefined) throw new Error(`unknown message ${full}`);
    const go = goOf(proto.file.dir);
    const goFields = go.fields.get(proto.name);
    const message: FactMessage = { fields: [] };
    if (go.nullableSlices.has(proto.name)) message.jsonArray = true;
    for (const f of proto.fields) {
      const g = goFields?.get(f.number);
      if (g === undefined && !message.jsonArray && goFields !== undefined) warnings.push(`${full}.${f.name}: no Go field`);
      const fact: FactField = { name: g && g.jsonName !== '' && g.jsonName !== '-' ? g.jsonName : f.name, number: f.number, type: f.type };
      if (f.label === 'repeated') fact.repeated = true;
      if (f.label === 'map') fact.map = f.keyType as string;
      if (g && SCALAR_TYPES.has(f.type) && (g.pointer || !g.omitEmpty)) fact.keepZero = true;
      if (g?.inline) fact.inline = true;
      if (g?.omitZero) fact.omitZero = true;
      message.fields.push(fact);
      if (!SCALAR_TYPES.has(f.type)) pending.push(f.type);
    }
    messages[full] = message;
  }

  const sorted: Record<string, FactMessage> = {};
  for (const name of Object.keys(messages).sort()) sorted[name] = messages[name];
  const table = {
    generatedBy: 'tools/transcribe-protobuf.ts',
    sources: [
      'kubernetes/api@v0.34.10',
      'kubernetes/apimachinery@v0.34.10',
      'kubernetes/apiextensions-apiserver@v0.34.10',
      'kubernetes/kube-aggregator@v0.34.9',
    ],
    kinds: kindMessages,
    messages: sorted,
  };
  writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`${Object.keys(sorted).length} messages, ${Object.keys(kindMessages).length} kinds → ${relative(process.cwd(), out)}`);
}

main();
