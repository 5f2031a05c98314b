// Reads @kubernetes/client-node's generated model classes: attributeTypeMap from each *.js, descriptions and
// required markers (no `?`) from each *.d.ts. Text parsing keeps the generator synchronous and import-free.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type AttributeType =
  | { kind: 'string'; format: string }
  | { kind: 'number'; format: string }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'microTime' }
  | { kind: 'intOrString' }
  | { kind: 'any' }
  | { kind: 'model'; name: string }
  | { kind: 'array'; of: AttributeType }
  | { kind: 'map'; of: AttributeType };

export interface Attribute {
  /** The JSON field name. */
  baseName: string;
  type: AttributeType;
  required: boolean;
  description: string;
}

export interface Model {
  name: string;
  description: string;
  attributes: Attribute[];
}

interface RawAttribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** The directory holding package.json of kgate, found from this script's location (not the cwd). */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kgate') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the kgate repository root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function modelsDir(root: string): string {
  return resolve(root, 'node_modules/@kubernetes/client-node/dist/gen/models');
}

export function parseType(type: string, format: string): AttributeType {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { kind: 'array', of: parseType(array[1], format) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { kind: 'map', of: parseType(map[1], format) };
  switch (type) {
    case 'string':
      return { kind: 'string', format };
    case 'number':
      return { kind: 'number', format };
    case 'boolean':
      return { kind: 'boolean' };
    case 'Date':
      return { kind: 'date' };
    case 'V1MicroTime': // format date-time-micro: metav1.MicroTime, which has no model class of its own
      return { kind: 'microTime' };
    case 'IntOrString':
      return { kind: 'intOrString' };
    case 'any':
      return { kind: 'any' };
    default:
      if (!/^[A-Z][A-Za-z0-9]*$/.test(type)) throw new Error(`unexpected model attribute type ${type}`);
      return { kind: 'model', name: type };
  }
}

function unescapeDoc(text: string): string {
  return text.replace(/\\(['"\\])/g, '$1').trim();
}

interface DeclaredProperty {
  optional: boolean;
  description: string;
}

/** The class JSDoc and each property's JSDoc and optionality, keyed by TS property name. */
function parseDeclaration(dts: string, className: string): { description: string; properties: Map<string, DeclaredProperty> } {
  const classAt = dts.indexOf(`export declare class ${className} `);
  if (classAt < 0) throw new Error(`no class ${className} in its .d.ts`);
  const classDoc = /\/\*\*\n\* ([\s\S]*?)\n\*\/\n$/.exec(dts.slice(0, classAt));
  const properties = new Map<string, DeclaredProperty>();
  let pendingDoc = '';
  const lines = dts.slice(classAt).split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '    /**') {
      const doc: string[] = [];
      for (i++; i < lines.length && lines[i] !== '    */'; i++) doc.push(lines[i].replace(/^ {4}\* ?/, ''));
      pendingDoc = doc.join('\n');
      continue;
    }
    const prop = /^ {4}'([^']+)'(\?)?: /.exec(line);
    if (prop) {
      properties.set(prop[1], { optional: prop[2] === '?', description: unescapeDoc(pendingDoc) });
      pendingDoc = '';
    } else if (line.startsWith('    static ')) {
      break;
    }
  }
  return { description: classDoc ? unescapeDoc(classDoc[1]) : '', properties };
}

function parseAttributeTypeMap(js: string, className: string): RawAttribute[] {
  const m = new RegExp(`${className}\\.attributeTypeMap = (\\[[\\s\\S]*?\\n\\]);`).exec(js);
  if (m === null) throw new Error(`no attributeTypeMap in ${className}.js`);
  return JSON.parse(m[1]) as RawAttribute[];
}

export function loadModel(dir: string, name: string): Model {
  const js = readFileSync(join(dir, `${name}.js`), 'utf8');
  const dts = readFileSync(join(dir, `${name}.d.ts`), 'utf8');
  const decl = parseDeclaration(dts, name);
  const attributes = parseAttributeTypeMap(js, name).map((raw): Attribute => {
    const declared = decl.properties.get(raw.name);
    if (declared === undefined) throw new Error(`${name}.d.ts does not declare ${raw.name}`);
    return {
      baseName: raw.baseName,
      type: parseType(raw.type, raw.format),
      required: !declared.optional,
      description: declared.description,
    };
  });
  return { name, description: decl.description, attributes };
}

/** Every model class the package ships, by class name, parsed on first use. */
export class ModelCatalog {
  private readonly dir: string;
  private readonly names: Set<string>;
  private readonly parsed = new Map<string, Model>();

  constructor(root: string) {
    this.dir = modelsDir(root);
    this.names = new Set(
      readdirSync(this.dir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => f.slice(0, -'.js'.length))
        .filter((n) => /^(?:[A-Z][a-z]+)?V[0-9]/.test(n)),
    );
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  get(name: string): Model | undefined {
    if (!this.names.has(name)) return undefined;
    let model = this.parsed.get(name);
    if (model === undefined) {
      model = loadModel(this.dir, name);
      this.parsed.set(name, model);
    }
    return model;
  }
}

/**
 * The model class of a group/version/kind. openapi-generator names a definition `<Version><Kind>` (V1Pod,
 * V2HorizontalPodAutoscaler) and, when two groups define the same kind name, prefixes the group's first DNS label
 * (CoreV1Event, EventsV1Event; the core group is "Core"). So the prefixed name wins when it exists.
 */
export function modelNameFor(ref: { group: string; version: string; kind: string }, models: ModelCatalog): string | undefined {
  const version = ref.version[0].toUpperCase() + ref.version.slice(1);
  const label = ref.group === '' ? 'core' : ref.group.split('.')[0];
  const prefixed = `${label[0].toUpperCase()}${label.slice(1)}${version}${ref.kind}`;
  if (models.has(prefixed)) return prefixed;
  const plain = `${version}${ref.kind}`;
  return models.has(plain) ? plain : undefined;
}
