// Builds the protobufjs reflection Root for the fact table once, on first use: protobufjs does the wire decoding,
// src/protobuf/json.ts the Kubernetes JSON mapping.
import protobuf from 'protobufjs';
import { decodedPropertyName, PROTOBUF_FACTS, SCALAR_TYPES } from './facts.js';

let root: protobuf.Root | undefined;

export function protobufRoot(): protobuf.Root {
  root ??= buildRoot();
  return root;
}

function buildRoot(): protobuf.Root {
  const built = new protobuf.Root();
  for (const [fullName, message] of Object.entries(PROTOBUF_FACTS.messages)) {
    const dot = fullName.lastIndexOf('.');
    const type = new protobuf.Type(fullName.slice(dot + 1));
    for (const f of message.fields) {
      const fieldType = SCALAR_TYPES.has(f.type) ? f.type : `.${f.type}`;
      const name = decodedPropertyName(f);
      if (f.map !== undefined) type.add(new protobuf.MapField(name, f.number, f.map, fieldType));
      else type.add(new protobuf.Field(name, f.number, fieldType, f.repeated ? 'repeated' : 'optional'));
    }
    built.define(fullName.slice(0, dot)).add(type);
  }
  built.resolveAll();
  return built;
}
