// A CSV table as an HTTP download (`?format=csv`): the text comes from the one CSV writer (format/csv.ts).

/** A CSV download response named `<name>.csv`. */
export function csvResponse(body: string, name: string): Response {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${safe}.csv"`,
    },
  });
}
