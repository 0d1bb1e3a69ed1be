// Two payloads of the same (id, version) fetched with different $expand (sessions, participants_v2) are one record:
// their union is kept, so importing them in any order ends in the same stored record.

type Loose = Record<string, unknown>;

function hasData(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/**
 * `stored` with what `incoming` adds: a data property incoming has (non-null, non-empty) replaces stored's,
 * annotations (`@odata.*`, `x@odata.nextLink`) only fill gaps. Key order of `stored` is kept.
 */
export function mergeSameVersion(stored: Loose, incoming: Loose): Loose {
  const out: Loose = { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    if (key.includes('@')) {
      if (!(key in out)) out[key] = value;
    } else if (hasData(value) || !(key in out)) {
      out[key] = value;
    }
  }
  return out;
}
