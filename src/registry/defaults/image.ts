// imagePullPolicy's default depends on the image reference's tag, read the way kube does
// (pkg/util/parsers.ParseImageName over github.com/distribution/reference): an unparsable reference has no tag,
// a reference with neither tag nor digest is ":latest", and a digest-only reference has no tag.

const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** A bare 64-hex image ID is not a name. */
const IDENTIFIER = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;
/** Digest algorithms kube links in, and their hex lengths; any other algorithm fails to parse. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  tag: string;
  digest: string;
}

/** The tag and digest of an image reference, or undefined when kube would fail to parse it. */
export function parseImageReference(image: string): ImageReference | undefined {
  if (IDENTIFIER.test(image)) return undefined;
  const m = REFERENCE.exec(image);
  if (!m) return undefined;
  const [, name, tag = '', digest = ''] = m;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (digest) {
    const [algorithm, hex] = digest.split(':');
    if (DIGEST_HEX_LENGTH[algorithm] !== hex.length) return undefined;
  }
  return { tag: !tag && !digest ? 'latest' : tag, digest };
}

/** Always for a `latest` tag (written or implied), IfNotPresent otherwise, including unparsable references. */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  const ref = typeof image === 'string' ? parseImageReference(image) : undefined;
  return ref?.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
