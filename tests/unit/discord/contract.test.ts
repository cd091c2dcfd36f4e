import { chatAdapterContract } from '../../contract/chat-adapter.contract.js';
import { makeDiscordHarness } from './harness.js';

chatAdapterContract('discord', () => makeDiscordHarness());
