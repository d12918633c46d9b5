import { InvalidArgumentError } from 'commander';
/** Prints data as JSON (for --json) or runs the human formatter. */
export function emit(json: boolean, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Pads cells into aligned columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * An option's parser for a whole number in [min, max], for commander: anything else (`0`,
 * `abc`, `2.5`, `50` where 20 is the most) is refused with the range, before any work starts.
 */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || number < min || number > max)
      throw new InvalidArgumentError(`expects a whole number from ${min} to ${max} (not ${JSON.stringify(value)}).`);
    return number;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
