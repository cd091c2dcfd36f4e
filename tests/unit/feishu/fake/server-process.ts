import { FakeOpenApi } from './open-api.js';

/**
 * The fake Open API in its own process (benchmarks: the platform's work must not share the
 * adapter's event loop). Talks over IPC: sends `{ url }` once listening, answers `stats`, exits on `close`.
 */
const fake = new FakeOpenApi();
await fake.start();
process.send?.({ url: fake.url });
process.on('message', async (message: unknown) => {
  if (message === 'stats') {
    const answersShown = fake.botMessages().filter((m) => fake.render(m).text.includes('final answer')).length;
    process.send?.({ answersShown, calls: fake.calls.length });
  }
  if (message === 'close') {
    await fake.close();
    process.exit(0);
  }
});
