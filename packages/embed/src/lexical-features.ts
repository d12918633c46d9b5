/**
 * The lexical features of weighted terms, as the local embedders hash them: `w:term` at the
 * term's weight, and for a term of four letters or more its character trigrams `c:abc`
 * (over `^term$`), sharing gramWeight × the weight. A feature that recurs adds up.
 */
export function lexicalFeatures(terms: ReadonlyMap<string, number>, gramWeight: number): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  for (const [term, weight] of terms) {
    add(`w:${term}`, weight);
    if (term.length >= 4 && gramWeight > 0) {
      const padded = `^${term}$`;
      const gramCount = padded.length - 2;
      for (let start = 0; start < gramCount; start += 1) add(`c:${padded.slice(start, start + 3)}`, (weight * gramWeight) / gramCount);
    }
  }
  return features;
}
