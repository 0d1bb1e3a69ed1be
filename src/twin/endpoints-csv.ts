// The organization's Teams Rooms in CQD's endpoint data file layout: tab-separated, no header, six columns.
import type { Organization } from './organization.ts';

const models = ['Logitech Rally Bar', 'Poly Studio X50', 'Yealink MeetingBar A20'] as const;

/** EndpointName, EndpointModel, EndpointType, EndpointLabel1, EndpointLabel2, EndpointLabel3. */
export function endpointsCsv(org: Organization): string {
  const rows = org.rooms.map((room, i) =>
    [
      room.device.machineName,
      models[i % models.length],
      'Teams Room',
      room.building?.name ?? '',
      room.displayName,
      `Floor ${1 + (i % 4)}`,
    ]
      .map((v) => v.replace(/[\t\r\n]+/g, ' '))
      .join('\t'),
  );
  return rows.length ? `${rows.join('\n')}\n` : '';
}
