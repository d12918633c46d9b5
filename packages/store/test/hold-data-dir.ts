// A second process for the data directory lock tests: opens the embedded database in the
// directory given, says so, and holds it until SIGTERM (or until it is killed).
import { PgliteDatabase } from '../src/pglite-database.js';

const database = await PgliteDatabase.open(process.argv[2]);
process.stdout.write('open\n');
process.once('SIGTERM', () => {
  void database.close().then(() => process.exit(0));
});
setInterval(() => undefined, 60_000);
