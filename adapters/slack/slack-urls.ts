import { DEFAULT_SLACK_API_URL } from './options.js';

/**
 * Decides where a Slack-hosted URL from a payload (file download, response_url) is fetched.
 * The bot token and replies only ever go to Slack's own hosts or to the configured API origin;
 * with a non-default API URL (a proxy, or the loopback fake in tests) Slack hosts are reached
 * through that origin, keeping path and query.
 */
export function slackUrlResolver(apiUrl: string): (url: string) => string | undefined {
  const api = new URL(apiUrl);
  const rewrite = new URL(DEFAULT_SLACK_API_URL).origin !== api.origin;
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return undefined;
    }
    if (url.origin === api.origin) return url.toString();
    const slackHost = url.protocol === 'https:' && (url.hostname === 'slack.com' || url.hostname.endsWith('.slack.com'));
    if (!slackHost) return undefined;
    return rewrite ? new URL(`${url.pathname}${url.search}`, api.origin).toString() : url.toString();
  };
}
