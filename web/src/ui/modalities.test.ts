// Modality wording: the long Graph name never reaches a narrow fact box or table cell.
import { expect, it } from 'vitest';
import { modalitiesText } from './modalities.ts';

it('shortens the screen-sharing modalities and keeps the others and unknown ones as Graph names them', () => {
  expect(modalitiesText(['audio', 'video', 'videoBasedScreenSharing'])).toBe('audio, video, screen sharing');
  expect(modalitiesText(['screenSharing', 'videoBasedScreenSharing', 'holograms'])).toBe(
    'screen sharing, holograms',
  );
  expect(modalitiesText(null)).toBe('');
});
