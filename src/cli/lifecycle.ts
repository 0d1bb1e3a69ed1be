// The one owner of the process lifecycle: SIGINT/SIGTERM become one AbortSignal every command hands down.

/** Exit code of a process killed by a second signal (128 + the signal number), as shells report it. */
const signalExitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export interface ProcessStop {
  /** Aborted by the first SIGINT or SIGTERM; its reason is a StopRequested naming the signal. */
  readonly signal: AbortSignal;
  /** Resolves with the signal's name when the stop was asked for (never rejects). */
  readonly requested: Promise<string>;
}

/** The abort reason: waits that end because of it are a stop, not a failure. */
export class StopRequested extends Error {
  override name = 'StopRequested';
  constructor(readonly by: string) {
    super(`stopped by ${by}`);
  }
}

export function isStopRequested(err: unknown): err is StopRequested {
  return err instanceof StopRequested;
}

let current: ProcessStop | undefined;

/**
 * The process's stop signal, created on first use: the first SIGINT/SIGTERM aborts it (every sleep, request and
 * job wait given it ends at once); a second one ends the process at once, for an admin who does not want to wait.
 * Signal handlers do not keep the process alive: a command that waits for the stop must hold something that does
 * (a listening server), or keepAliveUntilStopped.
 */
export function processStop(): ProcessStop {
  if (current) return current;
  const controller = new AbortController();
  let resolve: (by: string) => void = () => undefined;
  const requested = new Promise<string>((r) => {
    resolve = r;
  });
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signalExitCodes[name] ?? 1);
    controller.abort(new StopRequested(name));
    resolve(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  current = { signal: controller.signal, requested };
  return current;
}

/** Waits for SIGINT/SIGTERM, keeping the process alive meanwhile (a command whose servers may all be closed). */
export async function keepAliveUntilStopped(): Promise<string> {
  const stop = processStop();
  // An interval is the cheapest handle that keeps Node's event loop from ending while nothing else is pending.
  const alive = setInterval(() => undefined, 1 << 30);
  try {
    return await stop.requested;
  } finally {
    clearInterval(alive);
  }
}
