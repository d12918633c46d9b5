import { Command } from 'commander';
import { ConfigError, loadConfig } from '@cairn/core';
import { openRuntime } from '@cairn/runtime';
import { embedderForModel } from '@cairn/embed';
import { assertRedisReachable, QueueRunner, SCHEDULE_SYNC_MS, startIngestWorker } from '@cairn/ingest/queue';

export const workerCommand = new Command('worker')
  .description("Process ingestion jobs from the BullMQ queue (needs REDIS_URL); keeps the sources' schedules in the queue")
  .option('--concurrency <n>', 'jobs at once', '2')
  .option('--lock-ms <ms>', "how long a job's lock lasts: a crashed worker's job is taken up again after it", '30000')
  .action(async (options: { concurrency: string; lockMs: string }) => {
    const config = loadConfig();
    // Settings the worker cannot do without: one line and exit status 2, as for any other setting.
    if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'cairn worker needs it (without it, runs are crawled inside the API process)');
    // An embedded PGlite belongs to one process: a worker beside the API would corrupt it.
    if (!config.databaseUrl)
      throw new ConfigError(
        'DATABASE_URL',
        'cairn worker needs it (server Postgres): the embedded database cannot be shared between processes',
      );
    // BullMQ would retry an unreachable Redis in silence for ever: one line and exit status 2 instead.
    await assertRedisReachable(config.redisUrl);
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    // A chat model only with CAIRN_PASSAGE_CONTEXT=llm: it writes the sentence situating each new passage in its page.
    const runtime = await openRuntime(config, { loadStarter: false, passageContextLog: log });
    const queue = new QueueRunner(runtime.store, { redisUrl: config.redisUrl, prefix: config.queuePrefix });
    let scheduled = await queue.syncSchedules();
    log(`scheduled ${scheduled} sources for re-ingestion`);
    // Schedules set, changed or cleared through the API, and sources deleted, reach the queue within a minute.
    const resync = setInterval(() => {
      queue.syncSchedules().then(
        (count) => {
          if (count !== scheduled) log(`scheduled ${count} sources for re-ingestion (was ${scheduled})`);
          scheduled = count;
        },
        (error: Error) => log(`schedules not synced this time: ${error.message}`),
      );
    }, SCHEDULE_SYNC_MS);
    const worker = startIngestWorker(
      { ...runtime, embedderFor: (model) => embedderForModel(model, config) },
      {
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        concurrency: Number(options.concurrency),
        lockDurationMs: Number(options.lockMs),
        log,
      },
    );
    log(
      `worker started (queue prefix ${config.queuePrefix}, concurrency ${options.concurrency}${runtime.passageContext ? `, passage contexts by ${runtime.passageContext.model}` : ''})`,
    );
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      log(`${signal}: stopping; a run in progress, if any, goes back to the queue`);
      const force = setTimeout(() => process.exit(1), 25_000);
      force.unref();
      clearInterval(resync);
      worker
        .close()
        .then(() => queue.close())
        .then(() => runtime.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });
