// THE place a connection string is shown: passwords masked in every form PostgreSQL accepts, in any text.

const mask = '***';

// scheme://user:password@host — the userinfo ends at the last "@" before a space or quote: a password may hold
// "@", "/" or "?" unencoded (a malformed setting), or an escaped quote inside a JSON log line. A harmless "@" in
// a path after a port is masked too.
const part = String.raw`(?:[^\s"'@\\]|\\.)*`;
const userinfo = new RegExp(String.raw`\b([a-z][a-z0-9+.-]*:\/\/)(${part}(?:@${part})*)@`, 'gi');
// ?password=, &password=, ?sslpassword= in a URL, and password=... in a key=value string (quoted or not). A
// quoted value may escape its quote (\'), and a JSON log line doubles that backslash (\\'); an unquoted one ends
// at a quote so the JSON around it stays whole.
const parameter = /(^|[?&;\s])((?:ssl)?password)(\s*=\s*)('(?:[^'\\]|\\+.)*'|(?:[^&\s#"'\\]|\\.)*)/gi;

/**
 * Any text (a URL, a key=value DSN, an error message or a log line holding one) with every connection password
 * replaced by ***: `postgres://u:***@h`, `postgres://:***@h`, `?user=u&password=***`, `password=***`.
 */
export function maskConnectionSecrets(text: string): string {
  return text
    .replace(userinfo, (all, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      return colon < 0 ? all : `${scheme}${info.slice(0, colon)}:${mask}@`;
    })
    .replace(parameter, (_all, lead: string, key: string, eq: string) => `${lead}${key}${eq}${mask}`);
}

/**
 * The database setting as messages name it: a SQLite path as it is, a PostgreSQL URL without its password. The
 * setting may be malformed (a password with an unencoded "/" or "?"), so everything between the user name and
 * the last "@" goes, whatever it holds.
 */
export function shownDatabaseUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return maskConnectionSecrets(url);
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  const masked =
    at >= 0 && colon >= 0 && colon < at ? `${rest.slice(0, colon)}:${mask}${rest.slice(at)}` : rest;
  return maskConnectionSecrets(`${scheme}${masked}`);
}

// libpq's key=value connection strings ("host=db user=calltrove password=..."): calltrove takes URLs only.
const keywords =
  /(^|\s)(host|hostaddr|port|dbname|user|password|passfile|sslmode|sslpassword|options|application_name|connect_timeout|service)\s*=/i;

/** True for a libpq key=value string, which would otherwise be taken for a SQLite file name. */
export function isKeyValueConnectionString(url: string): boolean {
  return keywords.test(url) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}
