export * from './calls-tool.js';
export * from './create-cairn-mcp-server.js';
export * from './mcp-access.js';
export * from './mcp-services.js';
export * from './token-budget.js';
export * from './tool-result.js';
export * from './stdio-http-bridge.js';
