// Node-RED settings for the anchor benchmark: the flow beside this file, no editor, quiet logs,
// no context or flow persistence beyond the flow file (it stores nothing per message).
const { join } = require('node:path');

module.exports = {
  uiPort: Number(process.env.ANCHOR_PORT),
  uiHost: '127.0.0.1',
  flowFile: join(__dirname, 'flow.json'),
  userDir: process.env.ANCHOR_USER_DIR,
  credentialSecret: false,
  disableEditor: true,
  httpAdminRoot: false,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  editorTheme: { projects: { enabled: false } },
};
