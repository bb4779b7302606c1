/**
 * Interface strings in Chinese and English. The choice is remembered in localStorage; the first visit
 * follows navigator.language. Only the interface changes: questions, answers and document text are shown as
 * they are.
 */

const STORAGE_KEY = 'zhengce.lang';

const STRINGS = {
  en: {
    appName: 'Zhengce · policy answers',
    skipToQuestion: 'Skip to the question box',
    navLabel: 'Sections',
    navChat: 'Ask',
    navDocuments: 'Documents',
    navTargets: 'Targets',
    navCompare: 'Compare',
    navCheck: 'Check a claim',
    langToggle: '中文',
    langToggleLabel: 'Switch the interface to Chinese',
    chatTitle: 'Ask about the health-policy documents',
    chatIntro: 'Answers quote the clauses they rest on. Click a [number] to read the clause in its document.',
    newConversation: 'New conversation',
    deleteConversation: 'Delete conversation',
    deleteConfirm:
      'Delete this conversation and all its answers from the server? Links to its answers will stop working.',
    conversationDeleted: 'The conversation was deleted.',
    deleteFailed: 'Could not delete the conversation: {message}',
    examplesTitle: 'Try an example',
    conversationLabel: 'Conversation',
    questionLabel: 'Your question',
    questionPlaceholder: "e.g. What is Jiaxing's 2027 family-doctor target?",
    send: 'Send',
    sendHint: 'Enter sends · Shift+Enter starts a new line',
    you: 'You',
    assistant: 'Zhengce',
    searching: 'Searching the documents…',
    writing: 'Found {n} passages; writing the answer…',
    notFound: 'Not found in these documents.',
    relatedTitle: 'Related clauses you may want to read',
    sourcesTitle: 'Sources',
    openClause: 'Show clause',
    citeLabel: 'Source {n}: {title}, {clause}',
    copy: 'Copy with sources',
    copied: 'Copied the answer with its sources.',
    copyFallback: 'Copying is not available here; select the text below and press Ctrl+C.',
    permalink: 'Permalink',
    sharedAnswer: 'Shared answer',
    backToChat: 'Back to the chat',
    permalinkAskHint: 'A question asked here starts a new conversation of your own.',
    fallbackNote: 'Live streaming is unavailable; the answer was fetched in one piece.',
    error: 'The answer could not be produced: {message}',
    loading: 'Loading…',
    loadFailed: 'Could not load: {message}',
    documentsTitle: 'Documents',
    documentsIntro: 'The policy documents answers are drawn from. Open one to read it with its outline.',
    documentsEmpty: 'No documents are loaded.',
    read: 'Read',
    docNumber: 'Document number',
    region: 'Region',
    issuer: 'Issued by',
    issuedDate: 'Written',
    publishedDate: 'Published',
    period: 'Plan period',
    horizon: 'Target years',
    none: '—',
    placeUnknown: 'unknown place',
    outline: 'Outline',
    closePanel: 'Close',
    closePanelLabel: 'Close the document panel',
    documentPanel: 'Document',
    clause: 'Clause',
    tableRow: 'table row',
    targetsTitle: 'Numeric targets',
    targetsIntro: 'Every target links to the clause it was read from.',
    filterRegion: 'Region',
    filterYear: 'Year',
    filterMetric: 'Metric',
    filterText: 'Contains',
    any: 'Any',
    applyFilters: 'Filter',
    downloadCsv: 'Download CSV',
    colRegion: 'Region',
    colYear: 'Year',
    colMetric: 'Metric',
    colValue: 'Target',
    colSource: 'Source',
    targetsEmpty: 'No targets match these filters.',
    targetsNone: 'No numeric targets are available yet.',
    targetCount: '{n} targets',
    targetCountShown: '{shown} of {n} targets',
    loadMore: 'Load more',
    compareTruncated: 'The first {shown} of {n} targets of this metric.',
    earlierText: 'Show earlier text',
    laterText: 'Show later text',
    compareTitle: 'Compare a metric across regions and years',
    compareIntro: 'Pick a metric; each cell links to its clause.',
    compareMetric: 'Metric',
    compareEmpty: 'No targets to compare yet.',
    noYear: 'no year',
    metricPlaceholder: 'Type a metric, in Chinese or English',
    metricListLabel: 'Metrics',
    metricNoMatch: 'No metric matches “{q}”.',
    metricMore: '{n} more: type to narrow the list.',
    downloadPng: 'Download chart (PNG)',
    downloadCompareCsv: 'Download table (CSV)',
    chartLabel:
      'Chart of {metric} ({unit}) for {places} places; the table gives every value with its source.',
    chartRangeNote:
      'Each dot is a target as a document states it. A range (10-13) is drawn at its lower bound with a bar to its upper bound; “45%以上” (at least 45%) is drawn at 45.',
    chartRangeValue: '{text}, drawn at {value} (its lower bound)',
    chartOtherUnits: '{n} targets in other units ({units}) are in the table only.',
    chartUnavailable: 'The chart could not be drawn ({message}); the table has every value.',
    docSearchLabel: 'Find in this document',
    docSearchFind: 'Find',
    docSearchPrev: 'Previous',
    docSearchCount: 'Match {i} of {n}',
    docSearchNone: 'No match for “{q}”.',
    docSearchPartial:
      '(Searched the loaded text only: {loaded} of {total} characters. Show earlier or later text to search more.)',
    docSearchLoading: 'Loading the whole document to search it…',
    checkTitle: 'Check a claim against the documents',
    checkIntro:
      'Type a sentence from a draft article: a figure is checked against the targets, a statement against the clauses.',
    claimLabel: 'Claim',
    claimPlaceholder: "e.g. Jiaxing's 2027 family-doctor coverage target is 50%",
    checkButton: 'Check',
    verdict_supported: 'Supported by the documents',
    verdict_contradicted: 'Contradicted by the documents',
    verdict_not_found: 'Not in these documents',
    verdict_other_year: 'Right value, another year',
    alsoStated: 'Also stated in',
    claimClauses: 'Where the documents say it',
    documentValue: 'The document says',
    evidence: 'Evidence',
    adminTitle: 'Add or remove documents (administrator)',
    adminToken: 'Administrator token',
    uploadFiles: 'Documents (HTML, Markdown, text, DOCX or PDF)',
    uploadSubmit: 'Add and index',
    removeLabel: 'Document to remove',
    removeSubmit: 'Remove from the index',
    uploading: 'Adding {name} and indexing it…',
    uploaded: 'Added {name}: {titles}',
    uploadFailed: 'Could not add {name}: {message}',
    removing: 'Removing the document and re-indexing…',
    removed: 'Removed from the index.',
    removeFailed: 'Could not remove it: {message}',
    errors: {
      unauthorized: 'Enter the administrator token.',
      forbidden: 'The administrator token is not valid.',
      reingest_in_progress: 'Documents are being indexed; try again when that is done.',
      unsupported_file: 'Only HTML, Markdown, text, DOCX and PDF documents can be added.',
      body_too_large: 'The file is larger than this server accepts.',
      upload_empty: 'The file is empty.',
      question_empty: 'Type a question first.',
      question_too_long: 'The question is too long.',
      claim_empty: 'Type a claim first.',
      claim_too_long: 'The claim is too long.',
      rate_limited: 'Too many requests; wait a minute and try again.',
      busy: 'Still answering the previous question.',
      network_error: 'The server could not be reached.',
      not_found: 'Not found.',
      internal_error: 'The server had a problem; please try again.',
    },
  },
  zh: {
    appName: '政策问答',
    skipToQuestion: '跳到提问框',
    navLabel: '栏目',
    navChat: '提问',
    navDocuments: '文件',
    navTargets: '指标',
    navCompare: '对比',
    navCheck: '核查说法',
    langToggle: 'English',
    langToggleLabel: '将界面切换为英文',
    chatTitle: '就卫生健康政策文件提问',
    chatIntro: '回答会引用所依据的条款。点击 [编号] 可在原文中查看该条款。',
    newConversation: '新对话',
    deleteConversation: '删除对话',
    deleteConfirm: '从服务器删除此对话及其全部回答?这些回答的链接将失效。',
    conversationDeleted: '对话已删除。',
    deleteFailed: '无法删除对话:{message}',
    examplesTitle: '试试这些问题',
    conversationLabel: '对话',
    questionLabel: '您的问题',
    questionPlaceholder: '例如:嘉兴2027年家庭医生签约覆盖率目标是多少?',
    send: '发送',
    sendHint: '回车发送 · Shift+回车换行',
    you: '您',
    assistant: '政策问答',
    searching: '正在检索文件…',
    writing: '找到 {n} 段相关内容,正在生成回答…',
    notFound: '在这些文件中未找到。',
    relatedTitle: '可参考的相关条款',
    sourcesTitle: '来源',
    openClause: '查看条款',
    citeLabel: '来源 {n}:{title},{clause}',
    copy: '复制(含来源)',
    copied: '已复制回答及来源。',
    copyFallback: '此处无法直接复制;请选中下面的文字并按 Ctrl+C。',
    permalink: '永久链接',
    sharedAnswer: '分享的回答',
    backToChat: '返回提问',
    permalinkAskHint: '在此提问会开始一个您自己的新对话。',
    fallbackNote: '实时流式传输不可用,已一次性获取回答。',
    error: '无法生成回答:{message}',
    loading: '加载中…',
    loadFailed: '加载失败:{message}',
    documentsTitle: '文件',
    documentsIntro: '回答所依据的政策文件。打开文件可按目录阅读。',
    documentsEmpty: '尚未加载任何文件。',
    read: '阅读',
    docNumber: '文号',
    region: '地区',
    issuer: '发布机关',
    issuedDate: '成文日期',
    publishedDate: '发布日期',
    period: '规划期',
    horizon: '目标年份',
    none: '—',
    placeUnknown: '地点未知',
    outline: '目录',
    closePanel: '关闭',
    closePanelLabel: '关闭文件面板',
    documentPanel: '文件',
    clause: '条款',
    tableRow: '表格行',
    targetsTitle: '量化指标',
    targetsIntro: '每项指标都链接到其出处条款。',
    filterRegion: '地区',
    filterYear: '年份',
    filterMetric: '指标',
    filterText: '包含',
    any: '全部',
    applyFilters: '筛选',
    downloadCsv: '下载 CSV',
    colRegion: '地区',
    colYear: '年份',
    colMetric: '指标',
    colValue: '目标值',
    colSource: '出处',
    targetsEmpty: '没有符合条件的指标。',
    targetsNone: '暂无量化指标数据。',
    targetCount: '共 {n} 项指标',
    targetCountShown: '已显示 {shown} 项,共 {n} 项指标',
    loadMore: '加载更多',
    compareTruncated: '仅显示该指标的前 {shown} 项(共 {n} 项)。',
    earlierText: '显示前文',
    laterText: '显示后文',
    compareTitle: '按地区和年份对比同一指标',
    compareIntro: '选择一个指标;每个单元格都链接到出处条款。',
    compareMetric: '指标',
    compareEmpty: '暂无可对比的指标。',
    noYear: '未注明年份',
    metricPlaceholder: '输入指标名称(中文或英文)',
    metricListLabel: '指标',
    metricNoMatch: '没有与“{q}”匹配的指标。',
    metricMore: '还有 {n} 项,继续输入可缩小范围。',
    downloadPng: '下载图表(PNG)',
    downloadCompareCsv: '下载表格(CSV)',
    chartLabel: '{metric}({unit})图表,共 {places} 个地区;表格列出每个数值及其出处。',
    chartRangeNote:
      '每个点是文件所述的一项指标。区间(如10-13)画在下限处,并以竖线延伸到上限;“45%以上”画在45处。',
    chartRangeValue: '{text},画在 {value}(下限)',
    chartOtherUnits: '另有 {n} 项指标单位不同({units}),仅列于表格中。',
    chartUnavailable: '图表无法绘制({message});表格中有全部数值。',
    docSearchLabel: '在本文件中查找',
    docSearchFind: '查找',
    docSearchPrev: '上一个',
    docSearchCount: '第 {i} 处,共 {n} 处',
    docSearchNone: '没有找到“{q}”。',
    docSearchPartial: '(仅搜索了已加载的文本:{total} 字中的 {loaded} 字。显示前文或后文后可继续搜索。)',
    docSearchLoading: '正在加载全文以便搜索…',
    checkTitle: '对照文件核查说法',
    checkIntro: '输入稿件中的一句话:数字与文件目标核对,表述与文件条款核对。',
    claimLabel: '说法',
    claimPlaceholder: '例如:嘉兴2027年家庭医生签约覆盖率目标是50%',
    checkButton: '核查',
    verdict_supported: '与文件一致',
    verdict_contradicted: '与文件不符',
    verdict_not_found: '文件中未提及',
    verdict_other_year: '数值属于其他年份',
    alsoStated: '另见',
    claimClauses: '文件原文',
    documentValue: '文件中的数值',
    evidence: '依据',
    adminTitle: '添加或移除文件(管理员)',
    adminToken: '管理员令牌',
    uploadFiles: '文件(HTML、Markdown、文本、DOCX 或 PDF)',
    uploadSubmit: '添加并建立索引',
    removeLabel: '要移除的文件',
    removeSubmit: '从索引中移除',
    uploading: '正在添加 {name} 并建立索引…',
    uploaded: '已添加 {name}:{titles}',
    uploadFailed: '无法添加 {name}:{message}',
    removing: '正在移除文件并重建索引…',
    removed: '已从索引中移除。',
    removeFailed: '无法移除:{message}',
    errors: {
      unauthorized: '请输入管理员令牌。',
      forbidden: '管理员令牌无效。',
      reingest_in_progress: '正在建立索引,请稍后再试。',
      unsupported_file: '只能添加 HTML、Markdown、文本、DOCX 和 PDF 文件。',
      body_too_large: '文件超过了服务器允许的大小。',
      upload_empty: '文件是空的。',
      question_empty: '请先输入问题。',
      question_too_long: '问题过长。',
      claim_empty: '请先输入要核查的说法。',
      claim_too_long: '说法过长。',
      rate_limited: '请求过于频繁,请稍候一分钟再试。',
      busy: '仍在回答上一个问题。',
      network_error: '无法连接服务器。',
      not_found: '未找到。',
      internal_error: '服务器出现问题,请重试。',
    },
  },
};

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage can be disabled; fall back to the browser language.
  }
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang = initialLang();
const listeners = new Set();

export function currentLang() {
  return lang;
}

/** The string for `key` with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** A user-facing message for an error code, falling back to the server's own message. */
export function errorMessage(error) {
  return STRINGS[lang].errors[error?.code] ?? error?.message ?? String(error);
}

/** Fills elements marked with data-i18n (text), data-i18n-placeholder and data-i18n-aria-label. */
export function applyStaticStrings(root = document) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  }
}

export function setLang(next) {
  if (next !== 'en' && next !== 'zh') return;
  lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still switched for this page.
  }
  applyStaticStrings();
  for (const listener of listeners) listener(lang);
}

/**
 * Strings of a feature kept in its own file (chat-strings.js), merged in so `t` finds them; keys already
 * defined here win, so a feature cannot change the shared interface by accident.
 * @param {{ en: Record<string, string>, zh: Record<string, string> }} strings
 */
export function addStrings(strings) {
  for (const code of ['en', 'zh']) {
    for (const [key, text] of Object.entries(strings[code])) {
      if (!(key in STRINGS[code])) STRINGS[code][key] = text;
    }
  }
}

/** Calls `listener` after every language switch, so views can redraw their dynamic text. */
export function onLangChange(listener) {
  listeners.add(listener);
}
