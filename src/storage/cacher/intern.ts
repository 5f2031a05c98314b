// Shares identical managedFields trees between cached objects. FieldsV1 names fields, not values, so every
// object one manager wrote in the same shape carries the same tree; parsed, each copy costs several times its
// JSON size (its keys are unique per level), which made managedFields most of a cached Pod's memory.
// Cached objects are never mutated, so sharing is safe; the table only holds trees some object still uses.

export class FieldsInterner {
  private readonly byText = new Map<string, WeakRef<object>>();
  private readonly cleanup = new FinalizationRegistry<string>((text) => {
    if (this.byText.get(text)?.deref() === undefined) this.byText.delete(text);
  });

  /** Replaces each managedFields entry's fieldsV1 with the shared copy of an identical tree. */
  internManagedFields(obj: Record<string, any>): void {
    const entries = obj.metadata?.managedFields;
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (entry && typeof entry.fieldsV1 === 'object' && entry.fieldsV1 !== null) entry.fieldsV1 = this.intern(entry.fieldsV1);
    }
  }

  private intern(tree: object): object {
    const text = JSON.stringify(tree);
    const existing = this.byText.get(text)?.deref();
    if (existing) return existing;
    this.byText.set(text, new WeakRef(tree));
    this.cleanup.register(tree, text);
    return tree;
  }

  get size(): number {
    return this.byText.size;
  }
}
