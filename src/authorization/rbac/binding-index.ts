// The bindings of one scope (the cluster, or one namespace), indexed by the subjects they name. RBAC walks only the
// bindings that can apply to the requesting user: kube's authorizer walks them all, which costs a user bound through
// one RoleBinding among thousands a pass over every one of them per request. The walk still checks each candidate's
// subjects itself (appliesToUser), so the index only prunes bindings that cannot apply, and candidates come in the
// order a walk over all bindings would meet them.
import type { UserInfo } from '../../apimachinery/user.js';
import type { Binding } from './authorizer.js';
import { serviceAccountUsername, type Subject } from './rules.js';

interface Entry {
  binding: Binding;
  /** Position in the scope, as a Map keeps it: an update keeps it, a delete and re-create moves to the end. */
  seq: number;
  keys: string[];
}

export class BindingScope {
  private readonly byName = new Map<string, Entry>();
  private readonly bySubject = new Map<string, Set<Entry>>();
  private nextSeq = 0;

  constructor(private readonly namespace: string) {}

  set(name: string, binding: Binding): void {
    const previous = this.byName.get(name);
    if (previous) this.unindex(previous);
    const entry: Entry = { binding, seq: previous?.seq ?? this.nextSeq++, keys: subjectKeys(binding.subjects, this.namespace) };
    this.byName.set(name, entry);
    for (const key of entry.keys) {
      let entries = this.bySubject.get(key);
      if (!entries) this.bySubject.set(key, (entries = new Set()));
      entries.add(entry);
    }
  }

  delete(name: string): void {
    const entry = this.byName.get(name);
    if (!entry) return;
    this.unindex(entry);
    this.byName.delete(name);
  }

  *values(): Iterable<Binding> {
    for (const entry of this.byName.values()) yield entry.binding;
  }

  /** The bindings that name the user, one of its groups, or (by its username) its ServiceAccount. */
  for(user: UserInfo): Binding[] {
    const found = new Set<Entry>();
    const add = (key: string) => {
      const entries = this.bySubject.get(key);
      if (entries) for (const e of entries) found.add(e);
    };
    add(userKey(user.name));
    for (const group of user.groups) add(groupKey(group));
    if (found.size === 0) return [];
    return [...found].sort((a, b) => a.seq - b.seq).map((e) => e.binding);
  }

  private unindex(entry: Entry): void {
    for (const key of entry.keys) {
      const entries = this.bySubject.get(key);
      entries?.delete(entry);
      if (entries?.size === 0) this.bySubject.delete(key);
    }
  }
}

const userKey = (name: string) => `u:${name}`;
const groupKey = (name: string) => `g:${name}`;

/** The index keys of the subjects appliesToUser could match; subjects that match nobody have none. */
function subjectKeys(subjects: Subject[] | undefined, bindingNamespace: string): string[] {
  const keys = new Set<string>();
  for (const s of subjects ?? []) {
    if (s.kind === 'User') keys.add(userKey(s.name ?? ''));
    else if (s.kind === 'Group') keys.add(groupKey(s.name ?? ''));
    else if (s.kind === 'ServiceAccount') {
      const namespace = s.namespace || bindingNamespace;
      if (namespace !== '') keys.add(userKey(serviceAccountUsername(namespace, s.name ?? '')));
    }
  }
  return [...keys];
}
