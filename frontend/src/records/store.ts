// The record being edited, outside React: each field subscribes to its own
// value (useSyncExternalStore), so typing re-renders one input, not a
// 200-field form. Values are the record's JSON as the API reads and writes
// it; subform rows are addressed by their unique_id, never by position.
import { useCallback, useSyncExternalStore } from "react";
import type { Data, Row } from "./patch";

/** A field's place: a top-level field, or a field of one subform row. */
export interface Place {
  field: string;
  sub?: string;
  row?: string;
}

/** key names a place as the API's conflict paths do: "sex", "family_details_section[<row id>].relation". */
export function placeKey(p: Place): string {
  return p.sub ? `${p.sub}[${p.row}].${p.field}` : p.field;
}

/** topOf: the top-level field a place belongs to (a subform row's field belongs to its subform). */
function topOf(p: Place): string {
  return p.sub ?? p.field;
}

export class RecordStore {
  values: Data;
  errors: Record<string, string> = {};
  private listeners = new Set<() => void>();
  // Listeners of one top-level field's value and errors (a widget's own value):
  // a keystroke wakes these and the record-wide listeners, not every widget.
  private fieldListeners = new Map<string, Set<() => void>>();
  private changeListeners = new Set<(v: Data) => void>();

  constructor(values: Data) {
    this.values = values;
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  /** subscribeField listens to one top-level field (its value, its rows, their errors); every other change of the record wakes it too. */
  subscribeField = (field: string, l: () => void) => {
    let set = this.fieldListeners.get(field);
    if (!set) this.fieldListeners.set(field, (set = new Set()));
    set.add(l);
    return () => {
      set.delete(l);
      if (!set.size) this.fieldListeners.delete(field);
    };
  };

  /** onChange tells of every change people make (to keep unsent edits). */
  onChange(l: (v: Data) => void) {
    this.changeListeners.add(l);
    return () => {
      this.changeListeners.delete(l);
    };
  }

  /** emit wakes the record-wide listeners and those of field, or of every field when none is named. */
  private emit(field?: string) {
    for (const l of this.listeners) l();
    if (field === undefined) {
      for (const set of this.fieldListeners.values()) for (const l of set) l();
    } else {
      for (const l of this.fieldListeners.get(field) ?? []) l();
    }
  }

  row(sub: string, row: string): Row | undefined {
    const list = this.values[sub];
    return Array.isArray(list) ? (list as Row[]).find((r) => r.unique_id === row) : undefined;
  }

  get(p: Place): unknown {
    if (!p.sub) return this.values[p.field];
    return this.row(p.sub, p.row!)?.[p.field];
  }

  set(p: Place, value: unknown) {
    if (!p.sub) {
      this.values = { ...this.values, [p.field]: value };
    } else {
      const list = ((this.values[p.sub] as Row[]) ?? []).map((r) => (r.unique_id === p.row ? { ...r, [p.field]: value } : r));
      this.values = { ...this.values, [p.sub]: list };
    }
    const k = placeKey(p);
    if (this.errors[k]) {
      const { [k]: _, ...rest } = this.errors;
      this.errors = rest;
    }
    this.emit(topOf(p));
    for (const l of this.changeListeners) l(this.values);
  }

  addRow(sub: string): string {
    const id = crypto.randomUUID();
    const list = [...((this.values[sub] as Row[]) ?? []), { unique_id: id }];
    this.values = { ...this.values, [sub]: list };
    this.emit(sub);
    for (const l of this.changeListeners) l(this.values);
    return id;
  }

  removeRow(sub: string, row: string) {
    this.values = { ...this.values, [sub]: ((this.values[sub] as Row[]) ?? []).filter((r) => r.unique_id !== row) };
    this.emit(sub);
    for (const l of this.changeListeners) l(this.values);
  }

  /** replace sets the whole data (a record read again, a resolved conflict). */
  replace(values: Data) {
    this.values = values;
    this.errors = {};
    this.emit();
  }

  setErrors(errors: Record<string, string>) {
    this.errors = errors;
    this.emit();
  }
}

const never = () => () => {};

/** useSelect re-renders when what select picks from the store changes (compare by ===); with live false it reads once and does not listen. */
export function useSelect<T>(store: RecordStore, select: (s: RecordStore) => T, live = true): T {
  const get = useCallback(() => select(store), [store, select]);
  return useSyncExternalStore(live ? store.subscribe : never, get, get);
}

/**
 * useSelectField is useSelect for a select that reads only one top-level
 * field (its value, its rows, their errors): typing elsewhere does not wake
 * it, so a keystroke in a 200-field form asks a few widgets, not all.
 */
export function useSelectField<T>(store: RecordStore, field: string, select: (s: RecordStore) => T): T {
  const get = useCallback(() => select(store), [store, select]);
  const subscribe = useCallback((l: () => void) => store.subscribeField(field, l), [store, field]);
  return useSyncExternalStore(subscribe, get, get);
}

