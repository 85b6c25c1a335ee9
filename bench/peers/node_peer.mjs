#!/usr/bin/env node
// The benchmark's Node peer: an MCP server on the official TypeScript SDK (v1 API, stdio) whose
// `prompt` tool forwards an OpenAI chat request through Lava's gateway with `fetch`, the way a
// Node implementation of lava-mcp would (a stand-in for Lava's own Node server). Same gateway
// contract as lava-mcp: POST <LAVA_API_URL>/v1/forward?u=<percent-encoded target> with
// `Authorization: Bearer <base64 forward token>`, and the same fallback rule (try the next
// {url, model} on 429, 5xx or a network error). It does not translate: targets speak OpenAI.
//
//   LAVA_API_URL=http://127.0.0.1:PORT LAVA_SECRET_KEY=aks_test_... node node_peer.mjs
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const apiOrigin = (process.env.LAVA_API_URL || 'https://api.lava.so').replace(/\/+$/, '').replace(/\/v1$/, '');
const secretKey = process.env.LAVA_SECRET_KEY || '';
const bearer = Buffer.from(JSON.stringify({ secret_key: secretKey })).toString('base64');
const defaultUrl = 'api.openai.com/v1/chat/completions';

const server = new McpServer({ name: 'node-peer', version: '0.0.1' }, { capabilities: { tools: {} } });

const input = z
  .object({
    model: z.string().min(1).max(256),
    messages: z.array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']) }).passthrough()).min(1),
    url: z.string().min(1).optional(),
    fallbacks: z.array(z.object({ url: z.string().min(1), model: z.string().min(1) })).max(10).optional(),
    timeout_ms: z.number().int().min(1).max(600000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().min(1).optional(),
  })
  .passthrough();

async function attempt(target, body, timeoutMs) {
  const response = await fetch(`${apiOrigin}/v1/forward?u=${encodeURIComponent(target)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, text, requestId: response.headers.get('x-lava-request-id') };
}

server.registerTool(
  'prompt',
  {
    title: 'Prompt any model',
    description: 'Chat completion in OpenAI format through Lava\'s gateway, with ordered fallbacks.',
    inputSchema: input,
  },
  async (args) => {
    const { url, fallbacks = [], timeout_ms: timeoutMs = 120000, ...request } = args;
    const chain = [{ url: url || defaultUrl, model: request.model }, ...fallbacks];
    const attempts = [];
    for (const [i, step] of chain.entries()) {
      const target = 'https://' + step.url.replace(/^https?:\/\//, '');
      const started = performance.now();
      const record = { attempt: i + 1, url: step.url, model: step.model };
      try {
        const { status, text, requestId } = await attempt(target, { ...request, model: step.model }, timeoutMs);
        record.status = status;
        record.duration_ms = Math.round(performance.now() - started);
        attempts.push(record);
        if (status >= 200 && status < 300) {
          const completion = JSON.parse(text);
          completion.routing = { served_by: record, attempts, request_id: requestId ?? undefined };
          const message = completion.choices?.[0]?.message ?? {};
          return {
            content: [{ type: 'text', text: message.content || JSON.stringify(message.tool_calls ?? '') }],
            structuredContent: completion,
          };
        }
        if (status !== 429 && status < 500) {
          return { isError: true, content: [{ type: 'text', text: `HTTP ${status}: ${text}` }] };
        }
      } catch (error) {
        record.error = String(error?.cause?.code || error?.message || error);
        record.duration_ms = Math.round(performance.now() - started);
        attempts.push(record);
      }
    }
    return { isError: true, content: [{ type: 'text', text: `all ${chain.length} attempts failed: ${JSON.stringify(attempts)}` }] };
  },
);

await server.connect(new StdioServerTransport());
