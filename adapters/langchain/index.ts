/**
 * `teamkb/langchain`: TeamKB knowledge bases inside LangChain.js chains and agents.
 *
 *   const client = httpTeamKbClient({ url: 'http://localhost:7860', apiKey });
 *   const docs = await new TeamKbRetriever({ client, kbs: ['handbook'] }).invoke('VPN key');
 *   const tools = teamKbTools(client);
 */
export {
  type HttpClientOptions,
  httpTeamKbClient,
  localTeamKbClient,
  type TeamKbClient,
  type TeamKbKb,
  type TeamKbPassage,
} from './client.js';
export { TeamKbRetriever, type TeamKbRetrieverInput, toDocument } from './retriever.js';
export { teamKbTools } from './tools.js';
