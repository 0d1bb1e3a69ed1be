// Two payloads of the same (id, version) fetched with different $expand (sessions, segments, participants_v2) are
// one record: their union is kept, so importing them in any order, any number of times, ends in the same record.

type Loose = Record<string, unknown>;

function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasData(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/** Keys that identify an element: entities by id, streams by streamId, media by label. */
const elementKeys = ['id', 'streamId', 'label'];

/** The key whose values are present and distinct in every element of both lists, if any. */
function sharedKey(a: unknown[], b: unknown[]): string | undefined {
  for (const key of elementKeys) {
    const ok = (list: unknown[]) => {
      const seen = new Set<unknown>();
      for (const v of list) {
        if (!isObject(v) || typeof v[key] !== 'string' || seen.has(v[key])) return false;
        seen.add(v[key]);
      }
      return true;
    };
    if (ok(a) && ok(b)) return key;
  }
  return undefined;
}

function mergeArrays(stored: unknown[], incoming: unknown[]): unknown[] {
  const key = sharedKey(stored, incoming);
  if (key) {
    const out = stored.slice();
    const at = new Map(stored.map((v, i) => [(v as Loose)[key], i]));
    for (const v of incoming) {
      const i = at.get((v as Loose)[key]);
      if (i === undefined) out.push(v);
      else out[i] = mergeSameVersion(out[i] as Loose, v as Loose);
    }
    return out;
  }
  if (stored.length === incoming.length)
    return stored.map((v, i) =>
      isObject(v) && isObject(incoming[i]) ? mergeSameVersion(v, incoming[i]) : v,
    );
  // Nothing to pair elements by: the longer list says more.
  return incoming.length > stored.length ? incoming : stored;
}

/**
 * `stored` with the gaps `incoming` fills: a property stored lacks (absent, null, empty list) is taken, objects
 * merge property by property, lists merge element by element (by id, streamId or label). Where both have a value,
 * stored's stays: merging is idempotent, so re-importing anything already contained changes nothing.
 */
export function mergeSameVersion(stored: Loose, incoming: Loose): Loose {
  const out: Loose = { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    const prev = out[key];
    if (!hasData(prev)) {
      if (hasData(value) || !(key in out)) out[key] = value;
    } else if (isObject(prev) && isObject(value)) {
      out[key] = mergeSameVersion(prev, value);
    } else if (Array.isArray(prev) && Array.isArray(value) && value.length > 0) {
      out[key] = mergeArrays(prev, value);
    }
  }
  return out;
}
