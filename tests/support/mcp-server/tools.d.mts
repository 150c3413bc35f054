import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';

/** A red 1×1 PNG. */
export const PIXEL_PNG_BASE64: string;
/** A new MCP server with the test tools; `bonus` is offered only when `bonusOn`. */
export function newMcpServer(bonusOn: boolean): { server: McpServer; bonus: RegisteredTool };
