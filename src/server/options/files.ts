// Reading the files flags name, with failures worded as Go's *os.PathError ("open /x: no such file or
// directory"), the text kube-apiserver prints when it refuses to start over a missing or unreadable file.
import { readFileSync, statSync } from 'node:fs';

const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
};

/** Go's `<op> <path>: <errno text>` for a Node fs error; other errors pass through unchanged. */
export function goPathError(op: 'open' | 'stat' | 'read', path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const text = code === undefined ? undefined : GO_ERRNO_TEXT[code];
  return text === undefined ? (error as Error) : new Error(`${op} ${path}: ${text}`);
}

/** os.ReadFile. */
export function readFlagFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw goPathError(error instanceof Error && (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open', path, error);
  }
}

/** clientcmd's check on an explicit kubeconfig path: it must exist (os.Stat). */
export function statFlagFile(path: string): void {
  try {
    statSync(path);
  } catch (error) {
    throw goPathError('stat', path, error);
  }
}
