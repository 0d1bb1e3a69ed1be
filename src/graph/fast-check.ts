// A check-only twin of a zod schema, compiled from its definition: true means zod accepts the value AND its
// output equals the value, so the value can be used as parsed without zod building a validated copy.
// False means "ask zod" (which then parses, or reports the error with its file and JSON path as always).
// It reads schemas through zod's public `.def`; a definition's checks (formats, lengths) run through their
// `_zod.check`, the one internal it uses, so zod is pinned to one exact version in package.json and
// fast-check.test.ts fails on any other (check this file against the new version before moving the pin).
import type { z } from 'zod';

type Check = (v: unknown) => boolean;
type Def = Record<string, unknown> & { type: string };
interface ZodCheckLike {
  _zod: { check: (payload: { value: unknown; issues: unknown[] }) => unknown };
}

const defOf = (schema: unknown): Def => (schema as { def: Def }).def;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema's own checks (refinements, formats, lengths) run on the value; any issue -> false. */
function withChecks(def: Def, base: Check): Check {
  const checks = (def.checks as ZodCheckLike[] | undefined) ?? [];
  if (checks.length === 0) return base;
  // One payload per compiled check, reused (checks run synchronously, one at a time).
  const payload = { value: undefined as unknown, issues: [] as unknown[] };
  return (v) => {
    if (!base(v)) return false;
    payload.value = v;
    payload.issues.length = 0;
    for (const c of checks) {
      // An async check cannot be answered here: let zod do it.
      if (c._zod.check(payload) instanceof Promise) return false;
      if (payload.issues.length > 0) return false;
    }
    return true;
  };
}

/** A transform taken as is only where it returns its input unchanged (e.g. a number stays that number). */
function identityTransform(def: Def): Check {
  const fn = def.transform as (v: unknown, ctx: unknown) => unknown;
  // One context for every call (checks run synchronously, one at a time): no allocation per value.
  const issues: unknown[] = [];
  const ctx = { value: undefined as unknown, issues, addIssue: (i: unknown) => issues.push(i) };
  return (v) => {
    if (typeof v === 'object' && v !== null) return false;
    ctx.value = v;
    issues.length = 0;
    try {
      const out = fn(v, ctx);
      return issues.length === 0 && Object.is(out, v);
    } catch {
      return false;
    }
  };
}

function compileObject(def: Def): Check | undefined {
  const shape = def.shape as Record<string, unknown>;
  const keys = Object.keys(shape);
  const checks: Check[] = [];
  for (const k of keys) {
    const c = compile(shape[k]);
    if (!c) return undefined;
    checks.push(c);
  }
  const known = new Set(keys);
  const catchall = def.catchall ? compile(def.catchall) : undefined;
  if (def.catchall && !catchall) return undefined;
  // Unknown properties: kept as they are by a loose object (catchall unknown); anything else, ask zod.
  const openEnded = def.catchall !== undefined && defOf(def.catchall).type === 'unknown';
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (let i = 0; i < keys.length; i++) if (!checks[i](v[keys[i]])) return false;
    if (openEnded) return true;
    for (const k in v) {
      if (known.has(k)) continue;
      if (!catchall?.(v[k])) return false;
    }
    return true;
  };
}

function compileDef(def: Def): Check | undefined {
  switch (def.type) {
    case 'unknown':
    case 'any':
      return () => true;
    case 'string':
    case 'number':
      // A format schema (z.iso.datetime(), z.uuid(), z.int()) is its own check: left to zod.
      if (def.format !== undefined || def.check !== undefined) return undefined;
      return def.type === 'string'
        ? withChecks(def, (v) => typeof v === 'string')
        : withChecks(def, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      return withChecks(def, (v) => typeof v === 'boolean');
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'literal': {
      const values = new Set(def.values as unknown[]);
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === null || inner(v));
    }
    case 'union': {
      // Without transforms inside, whichever option zod picks outputs the value as it is.
      if ((def.options as unknown[]).some(transforms)) return undefined;
      const options = (def.options as unknown[]).map(compile);
      if (options.some((o) => !o)) return undefined;
      const all = options as Check[];
      return (v) => all.some((o) => o(v));
    }
    case 'array': {
      const element = compile(def.element);
      return (
        element &&
        withChecks(def, (v) => {
          if (!Array.isArray(v)) return false;
          for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
          return true;
        })
      );
    }
    case 'record': {
      const key = compile(def.keyType);
      const value = compile(def.valueType);
      if (!key || !value) return undefined;
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const k in v) if (!key(k) || !value(v[k])) return false;
        return true;
      };
    }
    case 'object': {
      const object = compileObject(def);
      return object && withChecks(def, object);
    }
    case 'pipe': {
      const inner = compile(def.in);
      const outDef = defOf(def.out);
      const out = outDef.type === 'transform' ? identityTransform(outDef) : compile(def.out);
      return inner && out && ((v) => inner(v) && out(v));
    }
    default:
      // Defaults, coercions, lazy and other shapes change or defer values: not checked here.
      return undefined;
  }
}

function compile(schema: unknown): Check | undefined {
  return compileDef(defOf(schema));
}

/** Whether a schema changes values anywhere inside (transforms, pipes, defaults, anything unknown). */
function transforms(schema: unknown): boolean {
  const def = defOf(schema);
  switch (def.type) {
    case 'unknown':
    case 'any':
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
      return false;
    case 'optional':
    case 'nullable':
      return transforms(def.innerType);
    case 'array':
      return transforms(def.element);
    case 'union':
      return (def.options as unknown[]).some(transforms);
    case 'record':
      return transforms(def.keyType) || transforms(def.valueType);
    case 'object':
      return (
        Object.values(def.shape as Record<string, unknown>).some(transforms) ||
        (def.catchall !== undefined && transforms(def.catchall))
      );
    default:
      return true;
  }
}

const compiled = new WeakMap<object, Check | null>();

/**
 * The check for a schema, compiled once; undefined when the schema uses something it cannot check (then
 * every value goes through zod, as before).
 */
export function fastCheckOf(schema: z.ZodType): Check | undefined {
  let c = compiled.get(schema);
  if (c === undefined) {
    c = compile(schema) ?? null;
    compiled.set(schema, c);
  }
  return c ?? undefined;
}
