// The JSON text of an object, when the layer that made the object already produced it. Storage serializes every
// object it writes; the same text with the new resourceVersion in place is what the client is sent, so a write's
// response needs no second JSON.stringify of the whole object. Plain JSON.stringify text: the Go escapes that
// responses add (src/endpoints/serialize.ts) are applied by the reader.
//
// Objects with a known text are shared and never mutated (ARCHITECTURE.md's invariant for stored objects), so the
// text stays true for the object's life.

const known = new WeakMap<object, string>();

export function rememberJSON(obj: object, text: string): void {
  known.set(obj, text);
}

/** JSON.stringify(obj), when it was recorded. */
export function knownJSON(obj: object): string | undefined {
  return known.get(obj);
}
