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

export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream | pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { app: 'calltrove' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // A driver error or a setting logged whole may hold a connection string: its password never reaches a line.
      hooks: { streamWrite: maskConnectionSecrets },
    },
    destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: the default in tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
