import { chatAdapterContract } from '../../contract/chat-adapter.contract.js';
import { SlackHttpHarness } from './http-harness.js';

chatAdapterContract('slack (HTTP mode, real Bolt app, fake Slack Web API)', () => SlackHttpHarness.create());
chatAdapterContract('slack (HTTP mode, native streaming)', () => SlackHttpHarness.create({ streaming: 'native' }));
