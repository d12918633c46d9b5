/**
 * Citation markers: the `[n]` a model writes after a claim to cite passage n, one
 * definition for every check that reads, strips or renumbers them.
 */

/**
 * One citation marker, anywhere in a text: `[1]`, `[12]`, or a list `[1, 2]` / `[1,2]`
 * (white space, line breaks included, allowed around each comma). Group 1 is the numbers
 * as written (`"1, 2"`). Adjacent markers `[1][3]` are two matches; the white space before
 * a marker is not part of it. Not markers: `[a]`, `[1.5]`, `[ 1]`, `[1 ]`, `[1,]`, `[]`.
 *
 * Global: use it with `replace` and `matchAll`; to ask whether a text has a marker, use
 * `containsCitationMarker` (a global pattern's `test` remembers where it stopped).
 */
export const citationMarkerPattern = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/**
 * A citation marker with the white space before it (`" [9]"`, `"\n[9]"`), so that taking a
 * marker out leaves no space before what follows it: `Claim [9].` → `Claim.`, and a marker
 * kept can be written back after the same space. Group 1 is the numbers, as in
 * `citationMarkerPattern`. Global, like it.
 */
export const citationMarkerWithSpaceBeforePattern = new RegExp(String.raw`\s*${citationMarkerPattern.source}`, 'g');

/** Whether a text carries at least one citation marker (see `citationMarkerPattern`). */
export function containsCitationMarker(text: string): boolean {
  return new RegExp(citationMarkerPattern.source).test(text);
}
