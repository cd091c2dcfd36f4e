import { chatAdapterContract } from '../../contract/chat-adapter.contract.js';
import { makeFeishuHarness } from './fake/harness.js';

chatAdapterContract('feishu (long connection, protobuf frames)', () => makeFeishuHarness('ws'));
