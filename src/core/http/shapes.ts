// Checks at the edge: a response is the shape the explorer reads, or a `malformed` error that names the
// product, the address and the path. Nothing past this point has to guess at types.
import { ApiError, Product } from './apiError';

type Where = { product: Product; address: string; path: string };

function malformed(where: Where, reason: string): ApiError {
  return new ApiError({ kind: 'malformed', ...where, reason });
}

/**
 * A body read as text (a status that is an answer, not an error: Nomad's 404 and 409, Consul's KV 404) parsed as
 * JSON, or a `malformed` error that names where it came from and how the body starts, as `requestJson` says it.
 */
export function parseJsonBody(text: string, where: Where): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed(where, `${(error as Error).message}; body starts with ${JSON.stringify(text.slice(0, 80))}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list (null counts as empty, as Go sends nil slices) whose every item is an object with these string fields. */
export function checkList<T>(value: unknown, where: Where, stringFields: readonly string[]): T[] {
  if (value === null) return [];
  if (!Array.isArray(value)) return reject(where, `expected a JSON list, got ${describe(value)}`);
  value.forEach((item, index) => {
    if (!isObject(item)) reject(where, `item ${index} is ${describe(item)}, not an object`);
    for (const field of stringFields) {
      if (typeof (item as Record<string, unknown>)[field] !== 'string') reject(where, `item ${index} has no string "${field}"`);
    }
  });
  return value as T[];
}

/** An object whose every value is a list of strings (or null): Consul's service → tags map. */
export function checkStringListMap(value: unknown, where: Where): Record<string, string[]> {
  if (value === null) return {};
  if (!isObject(value)) return reject(where, `expected a JSON object, got ${describe(value)}`);
  for (const [key, tags] of Object.entries(value)) {
    if (tags !== null && (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))) reject(where, `"${key.slice(0, 60)}" is not a list of strings`);
  }
  return value as Record<string, string[]>;
}

/**
 * An object with these fields of these types (`number`, `string`, `object` — null allowed for `object`):
 * what a write endpoint answers.
 */
export function checkObject<T>(value: unknown, where: Where, fields: Record<string, 'string' | 'number' | 'object'>): T {
  if (!isObject(value)) return reject(where, `expected a JSON object, got ${describe(value)}`);
  for (const [field, type] of Object.entries(fields)) {
    const actual = value[field];
    const ok = type === 'object' ? actual === null || actual === undefined || isObject(actual) : typeof actual === type;
    if (!ok) reject(where, `"${field}" is ${describe(actual)}, not ${type === 'object' ? 'an object' : `a ${type}`}`);
  }
  return value as T;
}

function reject(where: Where, reason: string): never {
  throw malformed(where, reason);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
