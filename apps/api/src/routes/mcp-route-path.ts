/** Where the Model Context Protocol is served (Streamable HTTP), on the API's own origin. */
export const mcpRoute = '/mcp';
