/**
 * HTTP(S)_PROXY and NO_PROXY for got, which uses Node's agents and reads no proxy variables itself:
 * hpagent's keep-alive proxy agents (CONNECT tunnels; tested with got, and already installed with the
 * Elasticsearch client), chosen per target URL with the usual curl/wget rules for NO_PROXY.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';

const pick = (env: NodeJS.ProcessEnv, ...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v.trim() !== '');

/** NO_PROXY: `*`, host names (matching their subdomains too; a leading dot is optional), optional `:port`. */
export const bypassesProxy = (url: URL, env: NodeJS.ProcessEnv): boolean => {
  const list = pick(env, 'NO_PROXY', 'no_proxy');
  if (!list) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return list
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase()) as RegExpExecArray;
      const name = (m[1] as string).replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
      if (m[2] && m[2] !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
};

/** The proxy URL for a target, or null for a direct connection. */
export const proxyFor = (url: URL, env: NodeJS.ProcessEnv): string | null => {
  if (bypassesProxy(url, env)) return null;
  const proxy = url.protocol === 'https:' ? pick(env, 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy') : pick(env, 'HTTP_PROXY', 'http_proxy');
  return proxy ?? null;
};

export interface Agents {
  http?: HttpAgent;
  https?: HttpsAgent;
}

/** got's `agent` option for a target URL; agents are made once per proxy and reused. */
export const agentsFor = (env: NodeJS.ProcessEnv) => {
  const made = new Map<string, Agents>();
  return (url: URL): Agents => {
    const proxy = proxyFor(url, env);
    if (!proxy) return {};
    let agents = made.get(proxy);
    if (!agents) {
      agents = {
        http: new HttpProxyAgent({ proxy, keepAlive: true }),
        https: new HttpsProxyAgent({ proxy, keepAlive: true }),
      };
      made.set(proxy, agents);
    }
    return agents;
  };
};
