// Structured JSON logs (pino) with secrets and EUII-bearing fields redacted wherever they appear.
import { type Logger, pino } from 'pino';
import { maskConnectionSecrets } from './connection-string.ts';

export type { Logger };

/** Field names whose values never reach a log line. */
export const redactedPaths = [
  '*.clientSecret',
  '*.secret',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.clientState',
  '*.ipAddress',
  '*.userPrincipalName',
  '*.upn',
  '*.macAddress',
  // EUII of the privacy catalog (src/privacy/euii-json.ts), in Graph's and the normalized columns' spelling.
  '*.reflexiveIPAddress',
  '*.relayIPAddress',
  '*.basicServiceSetIdentifier',
  '*.displayName',
  '*.userDisplayName',
  '*.callerNumber',
  '*.calleeNumber',
  '*.joinWebUrl',
  '*.feedback',
  '*.ip_address',
  '*.mac_address',
  '*.feedback_text',
  '*.identity_upn',
  '*.organizer_upn',
  '*.user_principal_name',
  'clientSecret',
  'accessToken',
  'authorization',
  'clientState',
  'headers.authorization',
  'req.headers.authorization',
];

/** Replaces personal values in a log line's fields at any depth (src/privacy/log-redaction.ts, from the catalog). */
export type LogRedactor = (fields: Record<string, unknown>) => Record<string, unknown>;

/**
 * A logger with the fixed paths above redacted. The product passes the EUII catalog's redactor
 * (privacy/log-redaction.ts createRedactingLogger): the base layer cannot know the catalog itself.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream | pino.DestinationStream,
  redactor?: LogRedactor,
): Logger {
  return pino(
    {
      level,
      base: { app: 'calltrove' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // A driver error or a setting logged whole may hold a connection string: its password never reaches a line.
      // The redactor sees the finished line (fields, child bindings and serialized errors alike): pino applies
      // its bindings formatter to the root logger's bindings only.
      hooks: {
        streamWrite: (line) => maskConnectionSecrets(redactor ? redactLine(line, redactor) : line),
      },
    },
    destination ?? pino.destination(2),
  );
}

/** One JSON log line through the redactor; a line it leaves alone is written as it was. */
function redactLine(line: string, redactor: LogRedactor): string {
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const redacted = redactor(fields);
  return redacted === fields ? line : `${JSON.stringify(redacted)}\n`;
}

/** A logger that drops everything: the default in tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
