import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileDownloadDeps, slackFileRef } from '../../../adapters/slack/files.js';
import { slackUrlResolver } from '../../../adapters/slack/slack-urls.js';
import { isTeamKbError } from '../../../core/errors.js';
import { FakeSlack } from './fake-slack.js';

describe('Slack file downloads', () => {
  const fake = new FakeSlack();
  let deps: FileDownloadDeps;
  beforeAll(async () => {
    await fake.listen();
    deps = { botToken: fake.botToken, maxBytes: 4096, resolveUrl: slackUrlResolver(fake.apiUrl) };
  });
  afterAll(() => fake.close());

  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'resolved';
    } catch (err) {
      return isTeamKbError(err) ? err.code : String(err);
    }
  };

  it('downloads url_private_download with the bot token', async () => {
    const url = fake.hostFile('/files-pri/T1-F1/download/a.txt', Buffer.from('hello'), 'text/plain');
    const ref = slackFileRef({ id: 'F1', name: 'a.txt', size: 5, mimetype: 'text/plain', url_private_download: url }, deps);
    expect(ref).toMatchObject({ name: 'a.txt', size: 5, mimeType: 'text/plain' });
    expect((await ref.fetch()).toString()).toBe('hello');
    expect(fake.downloads.at(-1)).toEqual({ path: '/files-pri/T1-F1/download/a.txt', authorization: `Bearer ${fake.botToken}` });
  });

  it('reaches files.slack.com URLs through a non-default SLACK_API_URL', async () => {
    fake.hostFile('/files-pri/T1-F2/b.txt', Buffer.from('via api origin'));
    const ref = slackFileRef({ name: 'b.txt', url_private: 'https://files.slack.com/files-pri/T1-F2/b.txt' }, deps);
    expect((await ref.fetch()).toString()).toBe('via api origin');
  });

  it('asks files.info when the payload has only the file id', async () => {
    const url = fake.hostFile('/files-pri/T1-F3/c.txt', Buffer.from('looked up'));
    const ref = slackFileRef({ id: 'F3', name: 'c.txt' }, { ...deps, fileInfo: async () => ({ url_private: url }) });
    expect((await ref.fetch()).toString()).toBe('looked up');
  });

  it.each([
    ['declared size over the limit', { size: 10_000 }, 'FILE_TOO_LARGE'],
    ['Content-Length over the limit', { bytes: 10_000 }, 'FILE_TOO_LARGE'],
    ['streamed bytes over the limit (no Content-Length)', { bytes: 10_000, chunked: true }, 'FILE_TOO_LARGE'],
    ['a wrong token gets Slack’s sign-in page', { token: 'xoxb-wrong' }, 'FETCH_FORBIDDEN'],
    ['a missing file', { missing: true }, 'FILE_NOT_FOUND'],
    ['a URL outside Slack never gets the token', { url: 'https://evil.example/steal' }, 'FETCH_FORBIDDEN'],
    ['no URL at all', { url: '' }, 'FETCH_FORBIDDEN'],
  ])(
    '%s → %s',
    async (name, o: {
      size?: number;
      bytes?: number;
      chunked?: boolean;
      token?: string;
      missing?: boolean;
      url?: string;
    }, expected) => {
      const path = `/files-pri/T1-X/${encodeURIComponent(name)}`;
      const hosted = o.missing
        ? `${fake.origin}${path}`
        : fake.hostFile(path, Buffer.alloc(o.bytes ?? 10, 120), 'text/plain', o.chunked);
      const ref = slackFileRef(
        { name: 'x.txt', mimetype: 'text/plain', ...(o.size ? { size: o.size } : {}), url_private: o.url ?? hosted },
        { ...deps, botToken: o.token ?? deps.botToken },
      );
      expect(await code(ref.fetch())).toBe(expected);
    },
  );

  it('names the file and the limit when it is too large', async () => {
    const ref = slackFileRef(
      { name: 'huge.pdf', size: 5 * 1024 * 1024, url_private: `${fake.origin}/x` },
      { ...deps, maxBytes: 1024 * 1024 },
    );
    await expect(ref.fetch()).rejects.toThrow('File "huge.pdf" is larger than the 1 MB limit (SLACK_MAX_FILE_BYTES).');
  });
});

describe('which URLs may receive the token', () => {
  it.each([
    ['https://slack.com/api/', 'https://files.slack.com/files-pri/T1-F1/a.pdf', 'https://files.slack.com/files-pri/T1-F1/a.pdf'],
    ['https://slack.com/api/', 'https://hooks.slack.com/commands/T1/1/x', 'https://hooks.slack.com/commands/T1/1/x'],
    ['https://slack.com/api/', 'http://files.slack.com/a', undefined],
    ['https://slack.com/api/', 'https://files.slack.com.evil.example/a', undefined],
    ['https://slack.com/api/', 'https://example.com/a', undefined],
    ['https://slack.com/api/', 'not a url', undefined],
    ['http://127.0.0.1:9/api/', 'https://files.slack.com/files-pri/a?x=1', 'http://127.0.0.1:9/files-pri/a?x=1'],
    ['http://127.0.0.1:9/api/', 'http://127.0.0.1:9/respond/1', 'http://127.0.0.1:9/respond/1'],
  ])('with API %s: %s → %s', (api, url, expected) => {
    expect(slackUrlResolver(api)(url)).toBe(expected);
  });
});
