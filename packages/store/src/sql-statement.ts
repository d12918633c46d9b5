/** One SQL statement and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}
