// Whether a call record's JSON is the whole record: sessions there, and no page of it left behind a next link.

/**
 * What is missing from a call record as Graph would serve it whole (empty: nothing). A list page or a plain GET
 * has no sessions; a page of sessions, participants_v2 or segments left behind its `@odata.nextLink` cuts the
 * record off. Such a record is stored, but a collector must fetch it again, and an importer must say so.
 */
export function missingParts(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!Array.isArray(record.sessions)) out.push('no sessions');
  if (typeof record['sessions@odata.nextLink'] === 'string')
    out.push('sessions cut off (sessions@odata.nextLink not followed)');
  if (typeof record['participants_v2@odata.nextLink'] === 'string')
    out.push('participants cut off (participants_v2@odata.nextLink not followed)');
  if (Array.isArray(record.sessions)) {
    const cut = (record.sessions as unknown[]).filter(
      (s) => !!s && typeof (s as Record<string, unknown>)['segments@odata.nextLink'] === 'string',
    ).length;
    if (cut > 0) out.push(`segments cut off in ${cut} session(s) (segments@odata.nextLink not followed)`);
  }
  return out;
}

/** What an importer says about a record that is not whole: what is missing, and how to get the whole record. */
export function incompleteHint(): string {
  return 'fetch it whole with `calltrove collect --once --since <its start>` or `calltrove backfill` (the collector fetches stored records that are not whole again), or export it from Graph with $expand=sessions($expand=segments) and every @odata.nextLink followed';
}
