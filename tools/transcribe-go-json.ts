// One-off transcription of the Go JSON facts that the protobuf table (src/protobuf/protobuf-v1.34.json) does not
// carry, into tools/facts/go-json-v1.34.json, which `make generate` (tools/json-fields.ts) joins with that table to
// write the encoder's field table. Not part of the build. Follows encoding/json's rules for the Kubernetes types.
//
// Sources (checked-out trees, as for tools/transcribe-protobuf.ts; the types are unchanged across v1.34 patches):
//   kubernetes/api, apimachinery, apiextensions-apiserver, kube-aggregator   tag v0.34.9
//   node dist/tools/transcribe-go-json.js <dir> [out.json]
//
// What it records:
// - Field order. generated.proto lists each message's fields in the Go struct's declaration order (go-to-protobuf
//   walks the struct), and the protobuf table keeps that order, so the table's order IS the Go order; the field
//   numbers are not (47 messages in v1.34 declare fields out of number order, e.g. Container's envFrom (19) before
//   env (7)). This tool checks the claim for every message and fails if a struct disagrees.
// - `typeMeta`: the struct embeds metav1.TypeMeta first, so its JSON starts with "kind" then "apiVersion".
// - `always`: fields Go writes even when the object lacks them, with the JSON Go writes for the zero value:
//   a value struct (not pointer, no omitzero) is `{}`, a nil slice/map/pointer without omitempty is `null`, a value
//   scalar without omitempty is its zero, and custom-marshaled values write what their MarshalJSON gives for zero.
//   Every other field is omitempty: a zero value of it is left out (pointers keep zeros: `keepZero` in the table).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

interface GoField {
  goName: string | undefined;
  goType: string;
  jsonName: string;
  omitEmpty: boolean;
  omitZero: boolean;
  number: number | undefined;
}

interface GoStruct {
  fields: GoField[];
  typeMetaFirst: boolean;
}

interface TableField {
  name: string;
  number: number;
  type: string;
  repeated?: boolean;
  map?: string;
  inline?: boolean;
}

/**
 * Values whose MarshalJSON decides their JSON (so the encoder treats them as leaves), with the text their zero value
 * marshals to. Sources: metav1 time.go and micro_time.go (zero → null), resource/quantity.go (zero → "0"),
 * intstr/intstr.go (Type Int, 0 → 0), metav1 duration.go (time.Duration(0).String() = "0s"),
 * runtime/types.go RawExtension (nil Raw → null), apiextensions v1 marshal.go (JSON: empty Raw → null).
 */
const LEAF_ZERO: Record<string, string> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'null',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'null',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': '"0"',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': '0',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': '"0s"',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'null',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON': 'null',
};

const SCALAR_ZERO: Record<string, string> = {
  string: '""',
  bool: 'false',
  bytes: 'null',
  int32: '0',
  int64: '0',
  uint32: '0',
  uint64: '0',
  sint32: '0',
  sint64: '0',
  fixed32: '0',
  fixed64: '0',
  sfixed32: '0',
  sfixed64: '0',
  double: '0',
  float: '0',
};

function walk(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (entry === 'generated.proto') found.push(path);
  }
  return found;
}

function parseGo(dir: string): { structs: Map<string, GoStruct>; marshalers: Set<string> } {
  const structs = new Map<string, GoStruct>();
  const marshalers = new Set<string>();
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_') && !f.startsWith('generated.'),
  );
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^func \(\w+ \*?(\w+)\) MarshalJSON\(/gm)) marshalers.add(m[1]);
    let current: GoStruct | undefined;
    for (const line of text.split('\n')) {
      const open = /^type (\w+) struct \{/.exec(line);
      if (open) {
        current = { fields: [], typeMetaFirst: false };
        structs.set(open[1], current);
        continue;
      }
      if (/^\}/.test(line)) {
        current = undefined;
        continue;
      }
      if (current === undefined || /^\s*(\/\/|\/\*|\*)/.test(line)) continue;
      const field = /^\s*(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(line);
      if (!field) continue;
      const jsonTag = /json:"([^"]*)"/.exec(field[3])?.[1];
      const protoTag = /protobuf:"([^"]*)"/.exec(field[3])?.[1];
      if (jsonTag === undefined || jsonTag === '-') continue;
      if (field[1] === undefined && /(^|\.)TypeMeta$/.test(field[2])) {
        if (current.fields.length === 0) current.typeMetaFirst = true;
        continue;
      }
      const [jsonName, ...options] = jsonTag.split(',');
      current.fields.push({
        goName: field[1],
        goType: field[2],
        jsonName,
        omitEmpty: options.includes('omitempty'),
        omitZero: options.includes('omitzero'),
        number: protoTag === undefined ? undefined : Number(protoTag.split(',')[1]),
      });
    }
  }
  return { structs, marshalers };
}

function main(): void {
  const [sourceDir, outArg] = process.argv.slice(2);
  if (sourceDir === undefined) throw new Error('usage: transcribe-go-json <source dir> [out.json]');
  const repoRoot = resolve(import.meta.dirname, '../..');
  const out = outArg ?? join(repoRoot, 'tools/facts/go-json-v1.34.json');
  const table = JSON.parse(readFileSync(join(repoRoot, 'src/protobuf/protobuf-v1.34.json'), 'utf8')) as {
    messages: Record<string, { fields: TableField[]; jsonArray?: boolean }>;
  };

  const dirs = new Map<string, string>();
  for (const proto of walk(resolve(sourceDir))) {
    const pkg = /^package ([\w.]+);/m.exec(readFileSync(proto, 'utf8'))?.[1];
    if (pkg !== undefined && !/testapigroup|\/testdata\//.test(proto)) dirs.set(pkg, resolve(proto, '..'));
  }
  const parsed = new Map<string, ReturnType<typeof parseGo>>();
  const goOf = (pkg: string) => {
    const dir = dirs.get(pkg);
    if (dir === undefined) throw new Error(`no source directory for ${pkg}`);
    let go = parsed.get(dir);
    if (go === undefined) parsed.set(dir, (go = parseGo(dir)));
    return go;
  };

  const messages: Record<string, { typeMeta?: true; always?: Record<string, string> }> = {};
  const leaves: string[] = [];
  const problems: string[] = [];
  for (const [full, message] of Object.entries(table.messages)) {
    const pkg = full.slice(0, full.lastIndexOf('.'));
    const name = full.slice(full.lastIndexOf('.') + 1);
    const go = goOf(pkg);
    if (go.marshalers.has(name) || message.jsonArray) {
      leaves.push(full);
      continue;
    }
    const struct = go.structs.get(name);
    if (struct === undefined) {
      if (message.fields.length > 0) problems.push(`${full}: no Go struct`);
      continue;
    }
    const goNumbers = struct.fields.filter((f) => f.number !== undefined).map((f) => f.number);
    const tableNumbers = message.fields.map((f) => f.number);
    if (goNumbers.join(',') !== tableNumbers.join(','))
      problems.push(`${full}: Go order ${goNumbers.join(',')} ≠ table order ${tableNumbers.join(',')}`);
    const fact: { typeMeta?: true; always?: Record<string, string> } = {};
    if (struct.typeMetaFirst) fact.typeMeta = true;
    for (const f of message.fields) {
      const g = struct.fields.find((x) => x.number === f.number);
      if (g === undefined || f.inline) continue;
      let zero: string | undefined;
      const pointer = g.goType.startsWith('*');
      if (f.repeated || f.map !== undefined || pointer || g.goType.startsWith('[]') || g.goType.startsWith('map[')) {
        if (!g.omitEmpty && !g.omitZero) zero = 'null';
      } else if (SCALAR_ZERO[f.type] !== undefined) {
        if (!g.omitEmpty && !g.omitZero) zero = SCALAR_ZERO[f.type];
      } else if (table.messages[f.type]?.jsonArray) {
        if (!g.omitEmpty && !g.omitZero) zero = 'null';
      } else if (LEAF_ZERO[f.type] !== undefined) {
        // omitempty never drops a struct value, so a zero Time is written as null unless omitzero says otherwise.
        if (!g.omitZero) zero = LEAF_ZERO[f.type];
      } else if (!g.omitZero) {
        zero = '{}';
      }
      if (zero !== undefined) (fact.always ??= {})[f.name] = zero;
    }
    if (fact.typeMeta || fact.always) messages[full] = fact;
  }
  if (problems.length > 0) throw new Error(`the protobuf table disagrees with the Go types:\n${problems.join('\n')}`);

  const sorted: typeof messages = {};
  for (const name of Object.keys(messages).sort()) sorted[name] = messages[name];
  const facts = {
    generatedBy: 'tools/transcribe-go-json.ts',
    sources: [
      'kubernetes/api@v0.34.9',
      'kubernetes/apimachinery@v0.34.9',
      'kubernetes/apiextensions-apiserver@v0.34.9',
      'kubernetes/kube-aggregator@v0.34.9',
    ],
    leaves: leaves.sort(),
    messages: sorted,
  };
  writeFileSync(out, `${JSON.stringify(facts, null, 1)}\n`);
  console.log(`${leaves.length} leaves, ${Object.keys(sorted).length} messages with facts → ${relative(process.cwd(), out)}`);
}

main();
