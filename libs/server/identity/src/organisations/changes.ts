/** The entries of a DTO that were actually sent (class-transformer leaves absent ones undefined). */
export function definedEntries(dto: object): Array<[string, unknown]> {
  return Object.entries(dto).filter(([, v]) => v !== undefined);
}
