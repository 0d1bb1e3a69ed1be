// Ground truth for tests: every retrievable call id with its latest version per tenant view, and the planted causes.
import { jsonResponse } from './http.ts';
import type { PlantedCause } from './planted-causes.ts';
import type { World } from './world.ts';

export interface Truth {
  tenants: Record<string, Array<{ id: string; version: number }>>;
  causes: readonly PlantedCause[];
}

export function truth(world: World, causes: readonly PlantedCause[], now: number): Truth {
  const tenants: Truth['tenants'] = {};
  for (const t of world.org.tenants) tenants[t.id] = [];
  for (const call of world.calls)
    for (const tenantId of world.tenantsOf(call.id)) {
      const version = world.versionOf(call, tenantId, now);
      if (version === null) continue;
      tenants[tenantId] ??= [];
      tenants[tenantId].push({ id: call.id, version: version.version });
    }
  return { tenants, causes };
}

export function truthResponse(world: World, causes: readonly PlantedCause[], now: number): Response {
  return jsonResponse(truth(world, causes, now));
}
