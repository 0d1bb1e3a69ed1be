// Types the twin's modules share with its callers (declared once here to keep imports one-way).

/** How the twin POSTs to webhooks; tests inject the collector's handler, the default uses undici over the network. */
export type NotifyFn = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;
