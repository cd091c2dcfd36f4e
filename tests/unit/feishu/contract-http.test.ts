import { chatAdapterContract } from '../../contract/chat-adapter.contract.js';
import { makeFeishuHarness } from './fake/harness.js';

chatAdapterContract('feishu (HTTP callbacks, encrypted + signed)', () => makeFeishuHarness('http'));
