// Whether a participant belongs to another organization than the one whose view the record is.

/**
 * True only when both tenants are known and differ: a record imported without --tenant has no view tenant,
 * and then nobody is "other".
 */
export function isOtherTenant(
  tenantId: string | null | undefined,
  viewTenantId: string | null | undefined,
): boolean {
  // Tenant ids are GUIDs: the same tenant may be spelled in upper or lower case.
  return Boolean(tenantId && viewTenantId && tenantId.toLowerCase() !== viewTenantId.toLowerCase());
}
