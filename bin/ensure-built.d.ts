// Types of bin/ensure-built.js for the TypeScript test helpers that build dist/ before running it.
export function isCheckout(): boolean;
export function ensureBuilt(options?: { only?: ('cli' | 'web')[]; say?: (message: string) => void }): boolean;
