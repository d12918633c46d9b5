/** One SQL statement and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A string as an SQL literal (standard_conforming_strings, the default of both runtimes: only `'` is doubled). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
