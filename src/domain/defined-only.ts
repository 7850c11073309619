/**
 * `o` without the properties whose value is undefined. Only for objects whose keys something
 * enumerates: a template context (users' Handlebars can `{{#each}}` over it), where
 * `{ x: undefined }` would still list `x`. Everywhere else, assign optional properties plainly.
 */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
