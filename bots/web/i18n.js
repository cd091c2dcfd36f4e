/**
 * The console's words in English and Simplified Chinese. The language comes from the browser
 * (navigator.languages) until the reader picks one, which is remembered. Answers are not
 * translated: they follow the language of the question.
 * Static text is marked in index.html: data-i18n (text), data-i18n-placeholder, data-i18n-label
 * (aria-label), data-i18n-title, data-i18n-empty (the empty-chat hint).
 */
const STORAGE_KEY = 'teamkb-lang';

const MESSAGES = {
  en: {
    citedPassage: 'Cited passage',
    closePassage: 'Close the passage',
    close: 'Close',
    passagePage: 'Passage page',
    loadingPassage: 'Loading the passage…',
    openFile: 'Open {file}',
    openFileAtPage: 'Open {file} at page {page}',
    pageN: 'page {page}',
    apiDocs: 'API docs',
    language: 'Language',
    theme: 'Theme',
    themeSystem: 'System',
    themeLight: 'Light',
    themeDark: 'Dark',
    mode: 'Mode',
    modeKb: 'Knowledge base',
    modeLlm: 'Chat with the model',
    modeSearch: 'Web search',
    modeAgent: 'Agent (searches step by step, then cites)',
    modeConversation: 'Conversation (files and /kb commands)',
    knowledgeBase: 'Knowledge base',
    model: 'Model',
    newConversation: 'New conversation',
    conversations: 'Conversations',
    searchConversations: 'Search conversations',
    noConversations: 'No conversations yet.',
    rename: 'Rename',
    renamePrompt: 'New title for this conversation:',
    delete: 'Delete',
    deleteConversation: 'Delete "{title}"?',
    readOnly: 'From {platform}, read-only',
    readOnlyNote: 'This conversation happened in {platform}; it is shown here read-only.',
    chat: 'Chat',
    emptyChat:
      "Ask a question about your team's files. Answers cite their sources as [1], [2]… Attach a file with the paperclip to ask about it, or type /kb help for commands.",
    question: 'Question',
    hint: '(Enter to send, Shift+Enter for a new line, / to focus, Esc to stop)',
    phKb: 'Ask the knowledge base…',
    phLlm: 'Chat with the model…',
    phSearch: 'Ask the web…',
    phAgent: 'Ask anything; the agent searches every knowledge base (and the web) for you…',
    phConversation: 'Ask, attach files with the paperclip, or type /kb help…',
    ask: 'Ask',
    stop: 'Stop',
    attachFiles: 'Attach files',
    attachedFiles: 'Attached files',
    filesToAsk: 'Files to ask about',
    knowledgeBases: 'Knowledge bases',
    newKbName: 'New knowledge base name',
    create: 'Create',
    filesIn: 'Files in',
    filesToUpload: 'Files to upload',
    uploadToKb: 'Upload to this KB',
    apiKey: 'API key',
    apiKeyPlaceholder: 'only if TEAMKB_API_KEY is set',
    manage: 'Manage',
    noKbYet: 'No knowledge base yet: create one above.',
    noFilesYet: 'No files yet.',
    chunks: '{n} chunks',
    oneChunk: '1 chunk',
    removeFile: 'Remove {file}?',
    thinking: 'Thinking…',
    stopped: 'Stopped.',
    copy: 'Copy',
    copied: 'Copied',
    regenerate: 'Regenerate',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    commentPlaceholder: 'What was wrong or missing? (optional)',
    sendFeedback: 'Send',
    feedbackThanks: 'Thanks for the feedback.',
    took: '{s} s',
    modelUsed: 'Model: {model}',
    sources: 'Sources: {list}',
    noKbToAsk: 'No knowledge base yet: create one and upload files first.',
    you: 'You',
    answerLabel: 'Answer',
  },
  zh: {
    citedPassage: '引用的段落',
    closePassage: '关闭段落',
    close: '关闭',
    passagePage: '段落页面',
    loadingPassage: '正在加载段落…',
    openFile: '打开 {file}',
    openFileAtPage: '打开 {file} 第 {page} 页',
    pageN: '第 {page} 页',
    apiDocs: 'API 文档',
    language: '语言',
    theme: '主题',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    mode: '模式',
    modeKb: '知识库问答',
    modeLlm: '与模型对话',
    modeSearch: '联网搜索',
    modeAgent: '智能体（逐步检索并引用）',
    modeConversation: '会话（文件与 /kb 命令）',
    knowledgeBase: '知识库',
    model: '模型',
    newConversation: '新建会话',
    conversations: '会话',
    searchConversations: '搜索会话',
    noConversations: '还没有会话。',
    rename: '重命名',
    renamePrompt: '会话的新标题：',
    delete: '删除',
    deleteConversation: '删除“{title}”？',
    readOnly: '来自 {platform}，只读',
    readOnlyNote: '此会话发生在 {platform}，这里只读显示。',
    chat: '对话',
    emptyChat: '就团队的文件提问。回答以 [1]、[2]… 标注来源。用回形针附加文件后可就文件提问，输入 /kb help 查看命令。',
    question: '问题',
    hint: '（Enter 发送，Shift+Enter 换行，/ 聚焦输入框，Esc 停止）',
    phKb: '向知识库提问…',
    phLlm: '与模型对话…',
    phSearch: '联网提问…',
    phAgent: '随便问；智能体会替你检索所有知识库（及网络）…',
    phConversation: '提问、用回形针附加文件，或输入 /kb help…',
    ask: '提问',
    stop: '停止',
    attachFiles: '附加文件',
    attachedFiles: '已附加的文件',
    filesToAsk: '要提问的文件',
    knowledgeBases: '知识库',
    newKbName: '新知识库名称',
    create: '创建',
    filesIn: '文件所在知识库',
    filesToUpload: '要上传的文件',
    uploadToKb: '上传到此知识库',
    apiKey: 'API 密钥',
    apiKeyPlaceholder: '仅当设置了 TEAMKB_API_KEY 时需要',
    manage: '管理',
    noKbYet: '还没有知识库：请先在上方创建。',
    noFilesYet: '还没有文件。',
    chunks: '{n} 个分块',
    oneChunk: '1 个分块',
    removeFile: '移除 {file}？',
    thinking: '思考中…',
    stopped: '已停止。',
    copy: '复制',
    copied: '已复制',
    regenerate: '重新生成',
    helpful: '有帮助',
    notHelpful: '没帮助',
    commentPlaceholder: '哪里不对或缺了什么？（可选）',
    sendFeedback: '发送',
    feedbackThanks: '感谢反馈。',
    took: '{s} 秒',
    modelUsed: '模型：{model}',
    sources: '来源：{list}',
    noKbToAsk: '还没有知识库：请先创建并上传文件。',
    you: '你',
    answerLabel: '回答',
  },
};

/** More words, added by other modules (KB administration) with their own keys. */
export function addMessages(extra) {
  for (const lang of Object.keys(MESSAGES)) Object.assign(MESSAGES[lang], extra[lang] ?? {});
}

function browserLang() {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en'];
  for (const l of langs) {
    if (/^zh\b/i.test(l)) return 'zh';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

let lang = localStorage.getItem(STORAGE_KEY) ?? browserLang();
if (!MESSAGES[lang]) lang = 'en';

export const currentLang = () => lang;

/** The text for `key` in the current language, with {name} placeholders filled in. */
export function t(key, vars = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

const listeners = new Set();
/** Called after every language change, to redraw text made in scripts. */
export const onLangChange = (fn) => listeners.add(fn);

/** Fills every marked element of the page with the current language's words. */
export function applyI18n(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  for (const node of root.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
  for (const node of root.querySelectorAll('[data-i18n-empty]')) node.dataset.empty = t(node.dataset.i18nEmpty);
}

export function setLang(next) {
  if (!MESSAGES[next]) return;
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  applyI18n();
  for (const fn of listeners) fn(next);
}
