// metadata.generateName → metadata.name as kube-apiserver does it (k8s.io/apiserver pkg/storage/names/generate.go,
// k8s.io/apimachinery pkg/util/rand).

import { randomInt } from 'node:crypto';

const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** No vowels, no 0/1/3: generated names never spell words and never confuse o/0, l/1, e/3. */
export const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = RANDOM_LENGTH, random: (max: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < length; i++) out += GENERATED_NAME_ALPHABET[random(GENERATED_NAME_ALPHABET.length)];
  return out;
}

/**
 * The base cut to 58 bytes (Go's len), then 5 random characters. A cut inside a multi-byte character leaves
 * a replacement character, which name validation then rejects, as kube's invalid UTF-8 would be.
 * `random(max)` returns an integer in [0, max); tests may pass a deterministic one.
 */
export function generateName(base: string, random: (max: number) => number = randomInt): string {
  const bytes = Buffer.from(base, 'utf8');
  const cut = bytes.length > MAX_GENERATED_NAME_LENGTH ? bytes.subarray(0, MAX_GENERATED_NAME_LENGTH).toString('utf8') : base;
  return cut + randomSuffix(RANDOM_LENGTH, random);
}
