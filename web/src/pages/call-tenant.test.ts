// The call view's "other tenant" note: only against a known view tenant.
import { expect, it } from 'vitest';
import { isOtherTenant } from './call-tenant.ts';

it('marks a participant of another tenant only when the view tenant is known', () => {
  expect(isOtherTenant('t2', 't1')).toBe(true);
  expect(isOtherTenant('t1', 't1')).toBe(false);
  expect(isOtherTenant('DC368399-474C', 'dc368399-474c')).toBe(false);
  // Imported without --tenant: the view is unknown, so no one is marked.
  expect(isOtherTenant('t1', null)).toBe(false);
  expect(isOtherTenant(null, 't1')).toBe(false);
});
