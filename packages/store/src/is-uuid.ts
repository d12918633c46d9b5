const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` has the shape of a UUID: anything else cannot name a stored row. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}
