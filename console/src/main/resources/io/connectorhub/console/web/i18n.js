// English and Simplified Chinese. The choice: what the user picked (remembered), else the browser's languages.

const en = {
  title: 'Connector Hub', username: 'Username', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
  signInFailed: 'Sign-in failed', language: 'Language', chat: 'Chat', account: 'Account', admin: 'Admin',
  conversations: 'Conversations', newConversation: 'New conversation', search: 'Search conversations',
  rename: 'Rename', renamePrompt: 'Name of this conversation', delete: 'Delete', confirmDelete: 'Delete this?',
  message: 'Message', send: 'Send', agent: 'Agent', agentAuto: 'Automatic (routing)', olderMessages: 'Load older messages',
  noConversations: 'No conversations yet.', empty: 'Nothing here yet.', you: 'You', assistant: 'Agent',
  links: 'Linked chat accounts', linkCode: 'Show a link code', linkHelp: 'Send this to the bot: /link {code}',
  unlink: 'Unlink', devices: 'Devices', revoke: 'Revoke', changePassword: 'Change password',
  currentPassword: 'Current password', newPassword: 'New password', save: 'Save', saved: 'Saved.',
  channels: 'Channels', traffic: 'Traffic, last hour', state: 'State', lastError: 'Last error', name: 'Name',
  inbound: 'inbound', replies: 'replies', denied: 'denied', failed: 'failed',
  webhooks: 'Webhooks', hooks: 'Inbound hooks', gateways: 'Gateways', users: 'Users', sessions: 'Sessions',
  config: 'Configuration', url: 'URL', events: 'Events', description: 'Description', add: 'Add',
  secretOnce: 'Secret (shown once, copy it now)', test: 'Test', rotate: 'Rotate secret', enable: 'Enable',
  disable: 'Disable', deliveries: 'Deliveries', enabled: 'Enabled', attempts: 'Attempts', status: 'Status',
  online: 'online', offline: 'offline', weight: 'Weight', heartbeat: 'Last heartbeat', role: 'Role',
  invite: 'Invite', resetPassword: 'Reset password', displayName: 'Display name', filterChannel: 'Channel', read: 'Read', close: 'Close',
  reloadProblems: 'The file on disk was not applied:', configOk: 'The file on disk is the configuration in force.',
  adminRole: 'Admin', created: 'Created', updated: 'Updated', messages: 'Messages', token: 'Token',
  live: 'live', disconnected: 'disconnected, retrying', id: 'ID', when: 'When', actions: 'Actions',
  newPasswordIs: 'New password (shown once): {password}', inviteCode: 'Invite code (shown once): {code}',
  expires: 'Expires', loading: 'Loading…', error: 'Something went wrong: {message}',
};

const zh = {
  title: 'Connector Hub', username: '用户名', password: '密码', signIn: '登录', signOut: '退出登录',
  signInFailed: '登录失败', language: '语言', chat: '聊天', account: '账户', admin: '管理',
  conversations: '会话', newConversation: '新建会话', search: '搜索会话',
  rename: '重命名', renamePrompt: '会话名称', delete: '删除', confirmDelete: '确定删除？',
  message: '消息', send: '发送', agent: '智能体', agentAuto: '自动（按路由）', olderMessages: '加载更早的消息',
  noConversations: '还没有会话。', empty: '暂无内容。', you: '我', assistant: '智能体',
  links: '已绑定的聊天账号', linkCode: '显示绑定码', linkHelp: '把这条消息发给机器人：/link {code}',
  unlink: '解除绑定', devices: '设备', revoke: '吊销', changePassword: '修改密码',
  currentPassword: '当前密码', newPassword: '新密码', save: '保存', saved: '已保存。',
  channels: '渠道', traffic: '最近一小时流量', state: '状态', lastError: '最近错误', name: '名称',
  inbound: '收到', replies: '回复', denied: '拒绝', failed: '失败',
  webhooks: 'Webhook', hooks: '入站钩子', gateways: '网关', users: '用户', sessions: '全部会话',
  config: '配置', url: 'URL', events: '事件', description: '描述', add: '添加',
  secretOnce: '密钥（只显示一次，请立即复制）', test: '测试', rotate: '轮换密钥', enable: '启用',
  disable: '停用', deliveries: '投递记录', enabled: '已启用', attempts: '尝试次数', status: '状态',
  online: '在线', offline: '离线', weight: '权重', heartbeat: '最近心跳', role: '角色',
  invite: '邀请', resetPassword: '重置密码', displayName: '显示名称', filterChannel: '渠道', read: '查看', close: '关闭',
  reloadProblems: '磁盘上的文件未被应用：', configOk: '磁盘上的文件就是当前生效的配置。',
  adminRole: '管理员', created: '创建时间', updated: '更新时间', messages: '消息数', token: '令牌',
  live: '实时', disconnected: '连接断开，正在重试', id: 'ID', when: '时间', actions: '操作',
  newPasswordIs: '新密码（只显示一次）：{password}', inviteCode: '邀请码（只显示一次）：{code}',
  expires: '过期时间', loading: '加载中…', error: '出错了：{message}',
};

export const languages = { en: 'English', 'zh-CN': '简体中文' };
const dictionaries = { en, 'zh-CN': zh };
const KEY = 'hub.lang';

function initial() {
  const saved = localStorage.getItem(KEY);
  if (saved && dictionaries[saved]) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

let current = initial();

export function lang() { return current; }

/** Switches the language and remembers it. */
export function setLang(l) {
  if (!dictionaries[l]) return;
  current = l;
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

/** The text of key in the current language, with {name} replaced from vars. */
export function t(key, vars) {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')) : text;
}

document.documentElement.lang = current;
