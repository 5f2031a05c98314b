// Warning response headers as k8s.io/apiserver's warning recorder writes them (endpoints/filters/warning.go and
// apimachinery's net.NewWarningHeader): `299 - "<text>"` with only `"` and `\` escaped, each text once per
// response, and a text with control characters dropped.

/** The header value for `text`, or undefined when kube would drop it (empty, or with control characters). */
export function warningHeader(text: string): string | undefined {
  // unicode.IsControl: C0, DEL and C1.
  if (text.length === 0 || /[\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined;
  const quoted = text.replace(/["\\]/g, (c) => `\\${c}`);
  // Node writes header values as UTF-8 but refuses characters beyond U+00FF, which kube would send as they are:
  // those are written as \uXXXX escapes (a difference), rather than failing the request.
  const sendable = quoted.replace(/[^\u0000-\u00ff]/gu, (c) =>
    [...c].map((ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(''),
  );
  return `299 - "${sendable}"`;
}

/** Adds `text` as a Warning header through `append`, once per response (`seen` holds the texts already added). */
export function addWarning(append: (name: string, value: string) => void, seen: Set<string>, text: string): void {
  if (seen.has(text)) return;
  seen.add(text);
  const header = warningHeader(text);
  if (header !== undefined) append('Warning', header);
}
