// Test support: Microsoft's published callRecords payloads (copied verbatim from shared/graph-samples into fixtures/) by file name.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const samplesDir = fileURLToPath(new URL('../../fixtures/graph-samples/', import.meta.url));

export function samplePath(name: string): string {
  return `${samplesDir}${name}`;
}

export function sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(samplePath(name), 'utf8')) as Record<string, unknown>;
}
