// Graph's modality names as the dashboard shows them: one short wording for call list, call view and sessions.

const names: Record<string, string> = {
  videoBasedScreenSharing: 'screen sharing',
  screenSharing: 'screen sharing',
};

/** `["audio", "videoBasedScreenSharing"]` -> `audio, screen sharing`; anything not a list of strings -> ''. */
export function modalitiesText(modalities: unknown): string {
  if (!Array.isArray(modalities)) return '';
  const out: string[] = [];
  for (const m of modalities) {
    if (typeof m !== 'string') continue;
    const name = names[m] ?? m;
    // Graph may list both screen-sharing modalities; they read the same.
    if (!out.includes(name)) out.push(name);
  }
  return out.join(', ');
}
