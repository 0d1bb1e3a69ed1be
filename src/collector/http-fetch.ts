// The fetch every collector request goes through: undici, trusting an extra CA when one is configured.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { CalltroveError } from '../errors.ts';

/** The one shape of fetch the collector uses; tests inject the twin's in-process fetch here. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A fetch over undici; with caFile, that CA is trusted besides the system roots (a tunnel, the twin). */
export function createHttpFetch(options: { caFile?: string } = {}): FetchLike {
  let dispatcher: Agent | undefined;
  if (options.caFile) {
    let ca: string;
    try {
      ca = readFileSync(options.caFile, 'utf8');
    } catch (err) {
      throw new CalltroveError('config', `cannot read the CA file ${options.caFile}`, {
        hint: `Check CALLTROVE_CA_FILE (caFile): it must name a readable PEM file. ${(err as Error).message}`,
      });
    }
    dispatcher = new Agent({ connect: { ca: [...rootCertificates, ca] }, keepAliveTimeout: 30_000 });
  }
  return (url, init) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      ...(dispatcher ? { dispatcher } : {}),
    }) as unknown as Promise<Response>;
}
